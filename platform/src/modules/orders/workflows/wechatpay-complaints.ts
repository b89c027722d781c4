import { AFTER_SALES_JOBS, QUEUES, type ComplaintReason, type ComplaintSide } from '@shopfleet/contracts';
import type { RequestContext, TenantContext } from '../../../kernel/context';
import type { Transactions } from '../../../kernel/db/database';
import type { Queues } from '../../../kernel/queue';
import type { ComplaintsService } from '../../after-sales';
import {
  NotificationRejected,
  type IncomingNotification,
  type NotificationAck,
  type PaymentsService,
  type WechatComplaint,
  type WechatPayComplaints,
} from '../../payments';
import type { OrdersService } from '../orders.service';

export interface WechatComplaintsDeps {
  /** The service provider's complaints client; null when the platform has no service-provider account. */
  client: Pick<
    WechatPayComplaints,
    | 'verifyNotification'
    | 'detail'
    | 'list'
    | 'history'
    | 'respond'
    | 'updateRefundProgress'
    | 'complete'
    | 'ensureNotificationUrl'
  > | null;
  payments: Pick<PaymentsService, 'tenantOfSubMerchant' | 'orderOfPayment'>;
  orders: Pick<OrdersService, 'forAfterSales'>;
  complaints: Pick<
    ComplaintsService,
    'fileWechat' | 'addWechatStatement' | 'noteWechatState' | 'noteWechatReply' | 'mustGet'
  >;
  tx: Transactions;
  queues: Queues;
  /** Where WeChat Pay sends complaint notifications (this platform's webhook). */
  notifyUrl: string;
  now?: () => Date;
}

/** WeChat Pay's problem types, as our complaint reasons. */
const REASON_OF: Record<string, ComplaintReason> = {
  REFUND: 'refund_refused',
  SERVICE_NOT_WORK: 'service',
  OTHERS: 'other',
};

/** Who said a line of WeChat Pay's negotiation history: the shopper, us (the service provider answers), or WeChat Pay. */
function sideOf(type: string): ComplaintSide {
  if (type.startsWith('USER_')) return 'shopper';
  if (type.startsWith('MERCHANT_')) return 'platform';
  return 'wechatpay';
}

const yuan = (fen: number) => (fen / 100).toFixed(2);
const DAY_MS = 86_400_000;
/** A China calendar date, as the list takes it. */
const chinaDate = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * WeChat Pay's consumer complaints (消费者投诉 2.0) against shops that pay out as sub-merchants of the platform's
 * service-provider account, in the platform's arbitration queue:
 *
 * - a notification (verified, decrypted) names a complaint: its detail — payments: which shop the sub-merchant is, and
 *   which order the trade paid; after-sales: the complaint is filed once per WeChat Pay id; then its negotiation
 *   history arrives as statements, once per log line, and its state at WeChat Pay follows (processed there: withdrawn);
 * - every 30 minutes the last week's list does the same for any notification lost;
 * - once the platform decides, a job replies to the shopper at WeChat Pay (a 申请退款 complaint's refund approved or
 *   rejected) and marks it complete — retried until it lands, its state visible on the complaint.
 */
export function wechatpayComplaintsWorkflow(deps: WechatComplaintsDeps) {
  const now = deps.now ?? (() => new Date());

  /** Brings one complaint in (or up to date); `unknown_merchant` when no shop has that sub-merchant number. */
  async function sync(ctx: RequestContext, known: string | WechatComplaint): Promise<'synced' | 'unknown_merchant'> {
    const client = deps.client!;
    const d = typeof known === 'string' ? await client.detail(known) : known;
    const tenantId = await deps.payments.tenantOfSubMerchant(ctx, d.complaintedMchid);
    if (tenantId === null) {
      ctx.log.warn({ complaintId: d.complaintId, mchid: d.complaintedMchid }, 'a complaint for no shop of ours');
      return 'unknown_merchant';
    }
    const tctx: TenantContext = { ...ctx, tenantId, log: ctx.log.child({ tenantId }) };
    const trade = d.orders[0];
    const orderId = trade ? await deps.payments.orderOfPayment(tctx, trade.outTradeNo) : null;
    const order = orderId === null ? null : await deps.orders.forAfterSales(tctx, orderId, null);
    const history = await client.history(d.complaintId);
    await deps.tx.transaction(tctx, async (ttx) => {
      const c = await deps.complaints.fileWechat(
        ttx,
        {
          reason: REASON_OF[d.problemType] ?? 'other',
          orderId: order?.id ?? null,
          orderNo: order?.orderNo ?? null,
          caseId: null,
          caseNo: null,
          shopperId: order?.shopperId ?? null,
          requestedFen: d.applyRefundFen,
          wechatComplaintId: d.complaintId,
          wechatState: d.state,
          wechatProblem: d.problemDescription,
          wechatProblemType: d.problemType,
        },
        { body: d.detail || d.problemDescription, mediaUrls: d.mediaUrls, at: d.complainedAt },
      );
      for (const e of history) {
        // The complaint's own words are its first statement already.
        if (e.type === 'USER_CREATE_COMPLAINT') continue;
        await deps.complaints.addWechatStatement(ttx, c.id, {
          side: sideOf(e.type),
          body: e.details || e.type,
          mediaUrls: e.mediaUrls,
          logId: e.logId,
          at: e.at,
        });
      }
      await deps.complaints.noteWechatState(ttx, c.id, d.state, d.problemDescription);
    });
    return 'synced';
  }

  /** The words of the platform's decision, as the shopper reads them at WeChat Pay (at most 200 characters). */
  function replyText(c: { decision: string | null; decidedFen: number; decisionNote: string }): string {
    return c.decision === 'refund'
      ? `平台处理结果：退款 ¥${yuan(c.decidedFen)}，已原路退回。${c.decisionNote}`
      : `平台处理结果：经核实，不予支持。${c.decisionNote}`;
  }

  return {
    /** Whether the platform takes WeChat Pay complaints (it has a service-provider account). */
    enabled: deps.client !== null,

    sync,

    /** WeChat Pay's complaint notification: verified, then the complaint brought in; a failure asks it to resend. */
    async notified(ctx: RequestContext, incoming: IncomingNotification): Promise<NotificationAck> {
      const fail = (status: number, message: string): NotificationAck => ({
        status,
        contentType: 'application/json',
        body: JSON.stringify({ code: 'FAIL', message }),
      });
      if (!deps.client) return fail(404, 'no service-provider account');
      let complaintId: string;
      try {
        complaintId = deps.client.verifyNotification(incoming).complaintId;
      } catch (err) {
        if (err instanceof NotificationRejected) {
          ctx.log.warn({ reason: err.message }, 'a complaint notification was rejected');
          return fail(400, err.message);
        }
        throw err;
      }
      try {
        await sync(ctx, complaintId);
      } catch (err) {
        ctx.log.error({ err, complaintId }, 'a complaint notification could not be applied; WeChat Pay will resend it');
        return fail(500, '处理失败，请重试');
      }
      return { status: 204, contentType: 'application/json', body: '' };
    },

    /** The last week's complaints, listed: the backstop for lost notifications; the notification URL kept registered. */
    async syncRecent(ctx: RequestContext): Promise<number> {
      if (!deps.client) return 0;
      await deps.client.ensureNotificationUrl(deps.notifyUrl);
      const at = now();
      let synced = 0;
      for (const d of await deps.client.list(chinaDate(new Date(at.getTime() - 6 * DAY_MS)), chinaDate(at))) {
        const done = await sync(ctx, d).catch((err: unknown) => {
          ctx.log.error({ err, complaintId: d.complaintId }, 'a WeChat Pay complaint could not be synced');
          return null;
        });
        if (done === 'synced') synced++;
      }
      return synced;
    },

    /** Queues the answer to WeChat Pay of a decided complaint, once the decision has committed. */
    async queueReply(ctx: TenantContext, complaintId: number): Promise<void> {
      await deps.tx.afterCommit(ctx, async () => {
        await deps.queues.get(QUEUES.afterSales).add(
          AFTER_SALES_JOBS.complaintReply,
          { tenantId: ctx.tenantId, complaintId },
          {
            jobId: `cpr-${ctx.tenantId}-${complaintId}`,
            attempts: 10,
            backoff: { type: 'exponential', delay: 30_000 },
            removeOnComplete: true,
          },
        );
      });
    },

    /**
     * Answers WeChat Pay for a decided complaint: the reply to the shopper, the refund decision of a 申请退款
     * complaint, and completion. Done already (or done at WeChat Pay): nothing more. A failure marks it failed and
     * throws, for the job to retry.
     */
    async reply(ctx: TenantContext, complaintId: number): Promise<'sent' | 'skipped'> {
      const c = await deps.complaints.mustGet(ctx, complaintId);
      if (!deps.client || !c.wechatComplaintId || c.status !== 'resolved' || c.wechatReply === 'sent') return 'skipped';
      try {
        const d = await deps.client.detail(c.wechatComplaintId);
        if (d.state !== 'PROCESSED') {
          await deps.client.respond(d.complaintId, d.complaintedMchid, replyText(c));
          if (d.problemType === 'REFUND')
            await deps.client.updateRefundProgress(
              d.complaintId,
              c.decision === 'refund' ? { action: 'APPROVE' } : { action: 'REJECT', rejectReason: c.decisionNote },
            );
          await deps.client.complete(d.complaintId, d.complaintedMchid);
        }
        await deps.complaints.noteWechatState(ctx, complaintId, 'PROCESSED', d.problemDescription);
        await deps.complaints.noteWechatReply(ctx, complaintId, 'sent');
        return 'sent';
      } catch (err) {
        await deps.complaints.noteWechatReply(ctx, complaintId, 'failed');
        throw err;
      }
    },
  };
}

export type WechatpayComplaintsWorkflow = ReturnType<typeof wechatpayComplaintsWorkflow>;
