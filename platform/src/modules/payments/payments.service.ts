import { createHmac, randomInt } from 'node:crypto';
import {
  PAYMENT_JOBS,
  QUEUES,
  type Discrepancy,
  type DiscrepancyKind,
  type OrderStatus,
  type Page,
  type PaymentClient,
  type PaymentMethod,
  type PaymentProviderName,
  type PayOrderBody,
  type PayParams,
  type JobFailure,
  type Refund,
  type RefundFailure,
  type RefundKind,
} from '@shopfleet/contracts';
import type { RequestContext, TenantContext } from '../../kernel/context';
import { AppError, ConflictError, ForbiddenError, NotFoundError, UpstreamError } from '../../kernel/errors';
import type { Transactions } from '../../kernel/db/database';
import type { Queues } from '../../kernel/queue';
import type { Log, Logger } from '../../kernel/logger';
import { chinaDayStart, chinaStamp } from '../../kernel/china-time';
import { yuan } from '../../kernel/money';
import { describeJobFailure } from '../../kernel/job-failure';
import type { AppliedPayment, OrderMoney, OrderPayment, OrdersService, RefundableOrder } from '../orders';
import { orderPaymentView, refundView } from './payment-rows';
import type { PaymentsRepository } from './payments.repository';
import type { TenantsService } from '../tenants';
import type { ShoppersService } from '../shoppers';
import { notifyPaths, type PaymentSettingsService, type TenantPaymentCredentials } from './payment-settings.service';
import { AlipayProvider } from './providers/alipay.provider';
import { SandboxProvider } from './providers/sandbox.provider';
import { WechatPayProvider } from './providers/wechatpay.provider';
import { UnionPayProvider } from './providers/unionpay.provider';
import type { AcpTrust } from './providers/unionpay-acp';
import { WechatPayTransfers, type WechatTransfer } from './providers/wechatpay-transfers';
import { paymentMachine, refundMachine } from './payment-states';
import {
  NotificationRejected,
  ProviderRefused,
  ProviderUnavailable,
  type IncomingNotification,
  type NotificationAck,
  type PaymentProvider,
  type VerifiedEvent,
} from './providers/provider';

/**
 * What payments needs of orders: the shopper's order to pay, and the order's side of a refund — its row locked while a
 * refund is recorded, the amount refunded or reserved on it, and its timeline.
 */
export type OrderLedger = Pick<OrdersService, 'get' | 'lockForRefund' | 'moveRefunded' | 'note' | 'statusOf'>;

/** What applying a verified provider event did (see `applyEvent`). */
export type AppliedEvent =
  | { kind: 'duplicate' }
  | { kind: 'done' }
  /** A payment succeeded: the order it was for is to be paid by it. */
  | { kind: 'succeeded'; orderId: number; payment: AppliedPayment };

/** A notification verified as coming from the provider, for the tenant its URL names. */
export interface VerifiedNotification {
  ctx: TenantContext;
  provider: PaymentProvider;
  event: VerifiedEvent;
}

export interface PaymentsDeps {
  repo: PaymentsRepository;
  tx: Transactions;
  orders: OrderLedger;
  tenants: TenantsService;
  /** A shopper's WeChat openid, which JSAPI pays with. */
  shoppers: Pick<ShoppersService, 'openid'>;
  settings: PaymentSettingsService;
  queues: Queues;
  log: Logger;
  wechatpayBaseUrl: string;
  alipayGateway: string;
  /** UnionPay's gateway (https://gateway.95516.com) and its root and middle certificates; no trust, no UnionPay. */
  unionpayGateway: string;
  unionpayTrust: AcpTrust | null;
  notifyBaseUrl: string;
  publicUrl: string;
  notificationMaxAgeSeconds: number;
  /** Derives each tenant's sandbox signing key. */
  sandboxSecret: string;
  now?: () => Date;
}

const PROVIDER_OF: Record<PaymentMethod, PaymentProviderName> = {
  wechat_jsapi: 'wechatpay',
  wechat_h5: 'wechatpay',
  wechat_native: 'wechatpay',
  alipay_wap: 'alipay',
  unionpay_wap: 'unionpay',
  sandbox: 'sandbox',
};

/** When a UnionPay trade with no back notification is asked about (after it was opened): 5, 10, 30, 60 minutes. */
export const UNIONPAY_QUERY_DELAYS_MS = [5, 10, 30, 60].map((m) => m * 60_000);

/**
 * Our trade and refund numbers: P / R, China time to the second, the tenant, and ten random digits
 * (29 characters; WeChat Pay takes 32). Six digits could collide at hundreds a second.
 */
function number(prefix: 'P' | 'R', tenantId: number, at: Date): string {
  return `${prefix}${chinaStamp(at)}${String(tenantId).padStart(4, '0')}${String(randomInt(0, 10_000_000_000)).padStart(10, '0')}`;
}

/** A China-time day [start, end) as instants. */
function dayRange(day: string): [Date, Date] {
  const start = chinaDayStart(day);
  return [start, new Date(start.getTime() + 86_400_000)];
}

/** Why a payment that paid no order was refunded, as the shopper and the merchant read it. */
const UNAPPLIED_REASON: Record<RefundKind, string> = {
  merchant: '',
  order_cancelled: '',
  late_payment: '订单已关闭，自动退款',
  duplicate_payment: '重复支付，自动退款',
  price_changed: '订单已改价，按原价付的款自动退回',
};

/** Refunds of the order's own payment count against what it paid; money that came for a closed or already paid order is the shopper's own. */
const countsOnOrder = (kind: string) => kind === 'merchant' || kind === 'order_cancelled';

/**
 * A prepay the provider refused, as the shopper reads it: our own adapters' refusals have reasons of
 * their own; the provider's text (WeChat Pay and Alipay answer in Chinese) is shown as it came.
 */
function prepayRefusal(err: ProviderRefused, method: string): AppError {
  if (err.code === 'METHOD_NOT_SUPPORTED') {
    return new AppError(
      'CONFLICT',
      { reason: 'PAYMENT_METHOD_UNAVAILABLE', params: { method }, message: err.message },
      409,
      { providerCode: err.code },
    );
  }
  if (err.code === 'NO_OPENID')
    return new AppError('CONFLICT', { reason: 'PAYMENT_NEEDS_WECHAT_SIGN_IN', message: err.message }, 409, {
      providerCode: err.code,
    });
  const text = {
    reason: 'PAYMENT_PROVIDER_REFUSED',
    params: { providerMessage: err.message },
    message: `The payment provider refused: ${err.message}`,
  } as const;
  return new AppError('CONFLICT', text, 409, { providerCode: err.code });
}

/**
/**
 * Payments and refunds. A payment is applied only from a notification that passed its provider's verification
 * (signature, timestamp window, decryption) and matches a payment of this tenant with the same amount; each
 * notification id is applied once (the apply-payment workflow pays the order, or has the payment refunded when the order
 * is closed or paid already). Refunds reserve their amount on the order in the same transaction that records them, so
 * the sum refunded can never pass what was paid.
 */
export function paymentsService(deps: PaymentsDeps) {
  const now = deps.now ?? (() => new Date());
  const { repo } = deps;
  const systemCtx = (tenantId: number, what: string, log: Log = deps.log): TenantContext => ({
    requestId: `${what}:${tenantId}`,
    tenantId,
    actor: { type: 'system', job: what },
    log,
  });

  function sandbox(tenantId: number): SandboxProvider {
    const key = createHmac('sha256', deps.sandboxSecret).update(`sandbox-payments:${tenantId}`).digest();
    return new SandboxProvider(key, { maxAgeSeconds: deps.notificationMaxAgeSeconds, now });
  }

  function provider(
    ctx: TenantContext,
    name: PaymentProviderName,
    creds: TenantPaymentCredentials,
  ): PaymentProvider | null {
    if (name === 'sandbox') return sandbox(ctx.tenantId);
    if (name === 'wechatpay')
      return creds.wechat
        ? new WechatPayProvider(creds.wechat, {
            baseUrl: deps.wechatpayBaseUrl,
            maxAgeSeconds: deps.notificationMaxAgeSeconds,
            now,
          })
        : null;
    if (name === 'unionpay')
      return creds.unionpay && deps.unionpayTrust
        ? new UnionPayProvider(creds.unionpay, { gateway: deps.unionpayGateway, trust: deps.unionpayTrust, now })
        : null;
    return creds.alipay ? new AlipayProvider(creds.alipay, { gateway: deps.alipayGateway }) : null;
  }

  async function transfersClient(ctx: TenantContext): Promise<WechatPayTransfers> {
    const creds = await deps.settings.credentials(ctx);
    if (creds.testMode || creds.wechat?.mode !== 'merchant')
      throw new ConflictError({
        reason: 'WECHAT_TRANSFER_UNAVAILABLE',
        message: 'This shop cannot pay by WeChat Pay transfer',
      });
    return new WechatPayTransfers(creds.wechat, {
      baseUrl: deps.wechatpayBaseUrl,
      maxAgeSeconds: deps.notificationMaxAgeSeconds,
      now,
    });
  }

  const asTransferState = (t: WechatTransfer) => ({
    state: t.outcome,
    transferBillNo: t.transferBillNo,
    packageInfo: t.packageInfo,
    failReason: t.failReason ?? (t.outcome === 'failed' ? t.state : null),
  });

  async function mustProvider(ctx: TenantContext, name: PaymentProviderName): Promise<PaymentProvider> {
    const p = provider(ctx, name, await deps.settings.credentials(ctx));
    if (!p)
      throw new ConflictError({
        reason: 'PAYMENT_PROVIDER_NOT_SET',
        params: { provider: name },
        message: `This shop has no ${name} settings`,
      });
    return p;
  }

  function methodsFor(creds: TenantPaymentCredentials, client: PaymentClient | null): PaymentMethod[] {
    if (creds.testMode) return ['sandbox'];
    const list: PaymentMethod[] = [];
    if (creds.wechat && client !== 'h5') list.push('wechat_jsapi');
    if (creds.wechat && client !== 'mp-weixin') list.push('wechat_h5', 'wechat_native');
    if (creds.alipay && client !== 'mp-weixin') list.push('alipay_wap');
    if (creds.unionpay && deps.unionpayTrust && client !== 'mp-weixin') list.push('unionpay_wap');
    return list;
  }

  const notifyUrl = (ctx: TenantContext, provider: PaymentProviderName) => {
    const paths = notifyPaths(ctx.tenantId);
    return (
      deps.notifyBaseUrl +
      { wechatpay: paths.wechat, alipay: paths.alipay, unionpay: paths.unionpay, sandbox: paths.sandbox }[provider]
    );
  };
  /** Where a provider reports a refund's outcome: WeChat Pay to its refunds URL, UnionPay to its one URL. */
  const refundNotifyUrl = (ctx: TenantContext, provider: PaymentProviderName) =>
    provider === 'unionpay' ? notifyUrl(ctx, provider) : deps.notifyBaseUrl + notifyPaths(ctx.tenantId).wechatRefunds;

  /** Records a refund and reserves its amount on the order, in the context's transaction. */
  async function recordRefund(
    ctx: TenantContext,
    r: { orderId: number; paymentId: number; amountFen: number; reason: string; kind: RefundKind; status: OrderStatus },
  ): Promise<number> {
    const id = await repo.insertRefund(ctx, {
      orderId: r.orderId,
      paymentId: r.paymentId,
      refundNo: number('R', ctx.tenantId, now()),
      amountFen: r.amountFen,
      reason: r.reason.slice(0, 80),
      kind: r.kind,
    });
    if (countsOnOrder(r.kind)) await deps.orders.moveRefunded(ctx, r.orderId, r.amountFen);
    await deps.orders.note(
      ctx,
      r.orderId,
      countsOnOrder(r.kind) ? 'refund_requested' : r.kind,
      r.status,
      `¥${yuan(r.amountFen)} ${r.reason}`,
    );
    return id;
  }

  /** Marks a refund done or failed, once; a failed refund gives its reserved amount back to the order. */
  async function settleRefund(
    ctx: TenantContext,
    refundId: number,
    outcome: { succeeded: boolean; providerRefundId: string | null; failure?: RefundFailure },
  ): Promise<boolean> {
    const failure = outcome.failure ?? { code: 'PROVIDER_REFUSED' as const, params: {} };
    const failureText =
      failure.code === 'PROVIDER_REFUSED'
        ? [failure.params.providerCode, failure.params.message].filter(Boolean).join(': ') || 'refused'
        : describeJobFailure(failure as JobFailure);
    return deps.tx.transaction(ctx, async (tctx) => {
      const r = await repo.refund(tctx, { id: refundId }, { lock: true });
      const event = outcome.succeeded ? 'succeed' : 'fail';
      if (!r || !refundMachine.can(r.status, event)) return false;
      await repo.changeRefund(
        tctx,
        refundId,
        outcome.succeeded
          ? {
              status: refundMachine.next(r.status, event)!,
              succeededAt: now(),
              providerRefundId: outcome.providerRefundId ?? r.providerRefundId,
            }
          : { status: refundMachine.next(r.status, event)!, failure: { failure, text: failureText } },
      );
      if (!outcome.succeeded && countsOnOrder(r.kind)) await deps.orders.moveRefunded(tctx, r.orderId, -r.amountFen);
      const status = await deps.orders.statusOf(tctx, r.orderId);
      await deps.orders.note(
        tctx,
        r.orderId,
        outcome.succeeded ? 'refunded' : 'refund_failed',
        status,
        `¥${yuan(r.amountFen)} ${outcome.succeeded ? '' : failureText}`.trim(),
      );
      return true;
    });
  }

  /** Sends a recorded refund to its provider. Unreachable: retried by a job with backoff (same refund number, so never twice). */
  async function submitRefund(ctx: TenantContext, refundId: number, fromJob = false): Promise<void> {
    const r = await repo.refund(ctx, { id: refundId });
    if (!r || r.status !== 'processing') return;
    const payment = (await repo.payment(ctx, { id: r.paymentId }))!;
    const p = await mustProvider(ctx, payment.provider);
    await repo.countRefundAttempt(ctx, refundId);
    try {
      const result = await p.refund({
        paymentNo: payment.paymentNo,
        refundNo: r.refundNo,
        amountFen: r.amountFen,
        totalFen: payment.amountFen,
        reason: r.reason,
        notifyUrl: refundNotifyUrl(ctx, payment.provider),
      });
      if (result.status === 'succeeded')
        await settleRefund(ctx, refundId, { succeeded: true, providerRefundId: result.providerRefundId });
      else if (result.providerRefundId)
        await repo.changeRefund(ctx, refundId, { providerRefundId: result.providerRefundId });
    } catch (err) {
      if (err instanceof ProviderRefused) {
        ctx.log.warn({ refundId, code: err.code, err: err.message }, 'refund refused by the provider');
        await settleRefund(ctx, refundId, {
          succeeded: false,
          providerRefundId: null,
          failure: { code: 'PROVIDER_REFUSED', params: { providerCode: err.code, message: err.message.slice(0, 150) } },
        });
        return;
      }
      if (fromJob) throw err;
      ctx.log.warn({ refundId, err: (err as Error).message }, 'refund not sent; retrying in the background');
      await deps.queues.get(QUEUES.payments).add(
        PAYMENT_JOBS.submitRefund,
        { tenantId: ctx.tenantId, refundId },
        {
          jobId: `refund-${ctx.tenantId}-${refundId}`,
          attempts: 10,
          backoff: { type: 'exponential', delay: 30_000 },
        },
      );
    }
  }

  const tooLarge = (left: number, details: Record<string, unknown>) =>
    new ConflictError(
      {
        reason: 'REFUND_TOO_LARGE',
        params: { refundableYuan: yuan(left) },
        message: `At most ¥${yuan(left)} is left to refund`,
      },
      details,
    );

  return {
    async methods(ctx: TenantContext, client: PaymentClient): Promise<{ testMode: boolean; methods: PaymentMethod[] }> {
      const creds = await deps.settings.credentials(ctx);
      return { testMode: creds.testMode, methods: methodsFor(creds, client) };
    },

    /**
     * Starts paying an unpaid order of this shopper. The same method again reuses the open trade (the
     * provider answers the same prepay for the same number and parameters).
     */
    async pay(ctx: TenantContext, orderId: number, body: PayOrderBody): Promise<PayParams> {
      const order = await deps.orders.get(ctx, orderId);
      if (order.status !== 'pending_payment')
        throw new ConflictError({
          reason: 'ORDER_NOT_PAYABLE',
          params: { status: order.status },
          message: `This order is ${order.status}; there is nothing to pay`,
        });
      if (new Date(order.paymentDeadline).getTime() <= now().getTime())
        throw new ConflictError({
          reason: 'PAYMENT_WINDOW_CLOSED',
          message: 'The payment window of this order has closed',
        });
      const creds = await deps.settings.credentials(ctx);
      if (!methodsFor(creds, null).includes(body.method))
        throw new ConflictError(
          {
            reason: 'PAYMENT_METHOD_UNAVAILABLE',
            params: { method: body.method },
            message: `This shop does not take ${body.method} now`,
          },
          { methods: methodsFor(creds, null) },
        );
      const providerName = PROVIDER_OF[body.method];
      const p = provider(ctx, providerName, creds)!;
      const open = await repo.openPayment(ctx, orderId, body.method, order.totalFen);
      const payment =
        open ??
        (await repo.insertPayment(ctx, {
          orderId,
          paymentNo: number('P', ctx.tenantId, now()),
          provider: providerName,
          method: body.method,
          amountFen: order.totalFen,
        }));
      // The merchant changed the price while this trade was being opened: its old-price trades were closed after the
      // change committed, perhaps before this one existed. Opened after the change, this one sees the new total here
      // and is refused; a payment of an old-price trade that still happens is refunded when it is applied.
      const current = await deps.orders.get(ctx, orderId);
      if (current.totalFen !== order.totalFen) {
        if (!open)
          await repo.movePayment(
            ctx,
            payment.id,
            paymentMachine.sources('close'),
            { status: paymentMachine.transitions.close.to },
            now(),
          );
        throw new ConflictError(
          {
            reason: 'PRICE_CHANGED',
            params: { total: yuan(current.totalFen) },
            message: `The shop changed this order's price to ${yuan(current.totalFen)} yuan; pay that`,
          },
          { totalFen: current.totalFen },
        );
      }
      let openid: string | null = null;
      if (body.method === 'wechat_jsapi' && ctx.actor.type === 'shopper') {
        openid = await deps.shoppers.openid(ctx, ctx.actor.shopperId);
      }
      const tenant = await deps.tenants.mustGet(ctx.tenantId);
      try {
        const prepaid = await p.prepay({
          method: body.method,
          paymentNo: payment.paymentNo,
          amountFen: order.totalFen,
          description: `${tenant.name}-订单${order.orderNo}`,
          openid,
          clientIp: ctx.ip ?? '127.0.0.1',
          expiresAt: new Date(order.paymentDeadline),
          notifyUrl: notifyUrl(ctx, providerName),
          returnUrl: body.returnPath ? deps.publicUrl + body.returnPath : null,
        });
        // UnionPay's back notification is the source of truth; when none comes, the trade is asked about.
        if (providerName === 'unionpay' && !open)
          for (const [i, delay] of UNIONPAY_QUERY_DELAYS_MS.entries())
            await deps.queues.get(QUEUES.payments).add(
              PAYMENT_JOBS.queryPayment,
              { tenantId: ctx.tenantId, paymentNo: payment.paymentNo },
              {
                jobId: `query-${ctx.tenantId}-${payment.paymentNo}-${i}`,
                delay,
                attempts: 3,
                backoff: { type: 'exponential', delay: 60_000 },
              },
            );
        return { ...prepaid, paymentNo: payment.paymentNo } as PayParams;
      } catch (err) {
        if (err instanceof ProviderRefused) throw prepayRefusal(err, body.method);
        if (err instanceof ProviderUnavailable)
          throw new UpstreamError({
            reason: 'PAYMENT_PROVIDER_UNREACHABLE',
            message: 'The payment provider cannot be reached; try again',
          });
        throw err;
      }
    },

    /**
     * Test mode: the notification the sandbox would send for a payment of the shopper's own order (else 404), for the
     * apply-payment workflow to apply through the notification path. Returns the order's id with it.
     */
    async sandboxNotification(
      ctx: TenantContext,
      paymentNo: string,
    ): Promise<{ orderId: number; notification: IncomingNotification }> {
      const payment = await repo.payment(ctx, { paymentNo });
      if (!payment || payment.provider !== 'sandbox') throw new NotFoundError('PAYMENT_NOT_FOUND');
      const order = await deps.orders.get(ctx, payment.orderId); // the shopper's own order, or 404
      if (!(await deps.settings.credentials(ctx)).testMode)
        throw new ForbiddenError({ reason: 'SHOP_NOT_IN_TEST_MODE', message: 'This shop is not in test mode' });
      return {
        orderId: order.id,
        notification: sandbox(ctx.tenantId).notification({ paymentNo, amountFen: payment.amountFen }),
      };
    },

    /**
     * A payment that had no notification, asked about at its provider: what the provider's signed answer says happened,
     * as an event for the apply-payment workflow (null while it is unpaid there, or when it was applied already).
     * The answer is trusted as a notification is (UnionPay's answers are verified against its certificate chain).
     */
    async queriedEvent(ctx: TenantContext, paymentNo: string): Promise<VerifiedNotification | null> {
      const payment = await repo.payment(ctx, { paymentNo });
      // A trade closed on our side whose money came all the same is applied too, and refunded as a late payment.
      if (!payment || !paymentMachine.can(payment.status, 'succeed') || payment.provider === 'sandbox') return null;
      const p = provider(ctx, payment.provider, await deps.settings.credentials(ctx));
      if (!p) return null;
      const trade = await p.query(paymentNo);
      if (trade.state !== 'paid' || trade.amountFen === null || !trade.transactionId) return null;
      return {
        ctx,
        provider: p,
        event: {
          kind: 'payment',
          notificationId: `query:${trade.transactionId}`.slice(0, 64),
          paymentNo,
          transactionId: trade.transactionId,
          amountFen: trade.amountFen,
          paidAt: trade.paidAt ?? now(),
          payer: null,
        },
      };
    },

    /**
     * Verifies a provider's notification for the tenant its URL names. Anything that fails verification is logged and
     * answered with the provider's refusal (`ack`); the tenant, its provider and the event otherwise.
     */
    async verifyNotification(
      tenantId: number,
      providerName: PaymentProviderName,
      incoming: IncomingNotification,
      log: Log = deps.log,
    ): Promise<VerifiedNotification | { ack: NotificationAck }> {
      const ctx = systemCtx(tenantId, `notify:${providerName}`, log.child({ tenantId, provider: providerName }));
      const refuse = (message: string): NotificationAck =>
        providerName === 'alipay'
          ? { status: 200, contentType: 'text/plain', body: 'fail' }
          : { status: 400, contentType: 'application/json', body: JSON.stringify({ code: 'FAIL', message }) };
      const tenant = await deps.tenants.findById(tenantId);
      if (!tenant) {
        ctx.log.warn('payment notification for an unknown tenant');
        return { ack: refuse('unknown shop') };
      }
      const p = provider(ctx, providerName, await deps.settings.credentials(ctx));
      if (!p) {
        ctx.log.warn('payment notification for a provider this shop has not configured');
        return { ack: refuse('not configured') };
      }
      try {
        return { ctx, provider: p, event: p.verifyNotification(incoming) };
      } catch (err) {
        ctx.log.warn({ reason: (err as Error).message }, 'payment notification rejected');
        return { ack: p.ack(false, 'verification failed') };
      }
    },

    /**
     * Applies a verified event once, in the context's transaction: a refund's outcome settles the refund; a payment's
     * success marks the payment succeeded and returns it, for its order to be paid. An event applied before, or a payment
     * no longer pending, is a duplicate. A notification that does not match this shop's records throws NotificationRejected.
     */
    async applyEvent(ctx: TenantContext, providerName: PaymentProviderName, ev: VerifiedEvent): Promise<AppliedEvent> {
      return deps.tx.transaction(ctx, async (tctx) => {
        const reference = ev.kind === 'payment' ? ev.paymentNo : ev.kind === 'refund' ? ev.refundNo : null;
        if (
          !(await repo.recordNotification(tctx, {
            provider: providerName,
            notificationId: ev.notificationId,
            event: ev.kind,
            reference,
          }))
        )
          return { kind: 'duplicate' };
        if (ev.kind === 'ignored') return { kind: 'done' };
        if (ev.kind === 'refund') {
          const r = await repo.refund(tctx, { refundNo: ev.refundNo }, { lock: true });
          if (!r) throw new NotificationRejected(`no refund ${ev.refundNo} in this shop`);
          if (r.amountFen !== ev.amountFen)
            throw new NotificationRejected(`refund amount ${ev.amountFen} differs from ${r.amountFen}`);
          await settleRefund(tctx, r.id, {
            succeeded: ev.succeeded,
            providerRefundId: ev.providerRefundId,
            failure: { code: 'PROVIDER_REFUSED', params: { message: 'the provider could not refund' } },
          });
          return { kind: 'done' };
        }
        const payment = await repo.payment(tctx, { paymentNo: ev.paymentNo }, { lock: true });
        if (!payment) throw new NotificationRejected(`no payment ${ev.paymentNo} in this shop`);
        if (payment.provider !== providerName)
          throw new NotificationRejected(`payment ${ev.paymentNo} is not a ${providerName} payment`);
        if (payment.amountFen !== ev.amountFen)
          throw new NotificationRejected(`amount ${ev.amountFen} differs from the payment's ${payment.amountFen}`);
        if (!paymentMachine.can(payment.status, 'succeed')) return { kind: 'duplicate' };
        const to = paymentMachine.next(payment.status, 'succeed')!;
        await repo.movePayment(
          tctx,
          payment.id,
          [payment.status],
          {
            status: to,
            transactionId: ev.transactionId.slice(0, 64),
            payer: ev.payer?.slice(0, 128) ?? null,
            paidAt: ev.paidAt,
          },
          now(),
        );
        return {
          kind: 'succeeded',
          orderId: payment.orderId,
          payment: {
            paymentId: payment.id,
            amountFen: ev.amountFen,
            provider: providerName,
            method: payment.method,
            at: ev.paidAt,
          },
        };
      });
    },

    /**
     * A payment that came for an order closed or paid already, or for an unpaid order whose price changed since (it is
     * not the order's amount), is the shopper's money: records its refund in full (late, duplicate or price-changed
     * payment), in the context's transaction. Returns the refund, to send after commit.
     */
    async refundUnapplied(ctx: TenantContext, orderId: number, payment: AppliedPayment): Promise<number> {
      const status = await deps.orders.statusOf(ctx, orderId);
      const kind: RefundKind =
        status === 'cancelled' ? 'late_payment' : status === 'pending_payment' ? 'price_changed' : 'duplicate_payment';
      return recordRefund(ctx, {
        orderId,
        paymentId: payment.paymentId,
        amountFen: payment.amountFen,
        reason: UNAPPLIED_REASON[kind],
        kind,
        status,
      });
    },

    /**
     * The merchant's refund of part or all of what is left of a paid order, recorded in the context's transaction with
     * the order's row locked; more than is left is refused whole (409 `exceeds_refundable`), never cut down. Returns the
     * refund, and whether it leaves nothing to refund (then the order closes). An order closed or cancelled with a
     * refund that then failed can be refunded again, up to what is left. `'rest'`: all that is left (the last units of
     * a refund by line take the shipping fee with them).
     */
    async startRefund(
      ctx: TenantContext,
      orderId: number,
      amount: number | 'rest',
      reason: string,
    ): Promise<{ refundId: number; amountFen: number; leavesNothing: boolean; shopperId: number }> {
      return deps.tx.transaction(ctx, async (tctx) => {
        const order = await deps.orders.lockForRefund(tctx, orderId);
        if (!order) throw new NotFoundError('ORDER_NOT_FOUND');
        const left = order.paidFen - order.refundedFen;
        const amountFen = amount === 'rest' ? left : amount;
        if (!order.paymentId || left <= 0) {
          throw new ConflictError(
            {
              reason: 'ORDER_NOT_REFUNDABLE',
              params: { status: order.status },
              message: `An order that is ${order.status} has nothing to refund`,
            },
            { reason: 'nothing_to_refund', status: order.status, refundableFen: Math.max(left, 0) },
          );
        }
        if (amountFen > left)
          throw tooLarge(left, { reason: 'exceeds_refundable', refundableFen: left, requestedFen: amountFen });
        const refundId = await recordRefund(tctx, {
          orderId,
          paymentId: order.paymentId,
          amountFen,
          reason,
          kind: 'merchant',
          status: order.status,
        });
        return { refundId, amountFen, leavesNothing: amountFen === left, shopperId: order.shopperId };
      });
    },

    /** In a merchant's cancellation of a paid order (its transaction): refunds what is left of it. Returns the refund to send after commit. */
    async refundRemainder(
      ctx: TenantContext,
      order: Omit<RefundableOrder, 'status'>,
      reason: string,
    ): Promise<number | null> {
      const left = order.paidFen - order.refundedFen;
      if (left <= 0 || !order.paymentId) return null;
      return recordRefund(ctx, {
        orderId: order.id,
        paymentId: order.paymentId,
        amountFen: left,
        reason,
        kind: 'order_cancelled',
        status: 'cancelled',
      });
    },

    submitRefund,

    /** A refund whose job gave up (the worker calls this): it fails with the reason, once, and its amount goes back to the order. */
    async failRefund(ctx: TenantContext, refundId: number, failure: JobFailure): Promise<boolean> {
      return settleRefund(ctx, refundId, { succeeded: false, providerRefundId: null, failure });
    },

    /**
     * Sends a failed refund again under the same refund number, so a provider that did take it the first
     * time answers with that refund and nothing is paid twice. Its amount is reserved on the order again
     * first, in one transaction with the order's row locked: never more than what is left to refund.
     */
    /** The shop whose WeChat Pay sub-merchant number this is (for the service provider's complaints). */
    tenantOfSubMerchant: (ctx: RequestContext, subMchid: string) => deps.repo.tenantOfSubMerchant(ctx, subMchid),

    /** The order a payment number paid for, or null. */
    async orderOfPayment(ctx: TenantContext, paymentNo: string): Promise<number | null> {
      return (await deps.repo.payment(ctx, { paymentNo }))?.orderId ?? null;
    },

    async retryRefund(ctx: TenantContext, refundId: number): Promise<Refund> {
      await deps.tx.transaction(ctx, async (tctx) => {
        const r = await repo.refund(tctx, { id: refundId }, { lock: true });
        if (!r) throw new NotFoundError('REFUND_NOT_FOUND');
        if (!refundMachine.can(r.status, 'retry'))
          throw new ConflictError(
            {
              reason: 'REFUND_NOT_FAILED',
              params: { status: r.status },
              message: `This refund is ${r.status}; only a failed refund can be retried`,
            },
            { status: r.status },
          );
        const order = (await deps.orders.lockForRefund(tctx, r.orderId))!;
        if (countsOnOrder(r.kind)) {
          const left = order.paidFen - order.refundedFen;
          if (r.amountFen > left) throw tooLarge(left, { refundableFen: left });
          await deps.orders.moveRefunded(tctx, r.orderId, r.amountFen);
        }
        await repo.changeRefund(tctx, refundId, { status: refundMachine.next(r.status, 'retry')!, failure: null });
        await deps.orders.note(tctx, r.orderId, 'refund_requested', order.status, `¥${yuan(r.amountFen)} ${r.reason}`);
      });
      await submitRefund(ctx, refundId);
      return refundView((await repo.refund(ctx, { id: refundId }))!);
    },

    /** The payments that paid these orders and the orders' refunds, for the order views (see orders' `OrderMoney`). */
    async ofOrders(
      ctx: TenantContext,
      q: { orderIds: number[]; paymentIds: number[] },
    ): ReturnType<OrderMoney['ofOrders']> {
      const [paid, refunded] = await Promise.all([
        repo.paymentsByIds(ctx, q.paymentIds),
        repo.refundsOfOrders(ctx, q.orderIds),
      ]);
      const payments = new Map<number, OrderPayment>();
      for (const p of paid) {
        const view = orderPaymentView(p);
        if (view) payments.set(p.id, view);
      }
      const refunds = new Map<number, Refund[]>();
      for (const r of refunded) refunds.set(r.orderId, [...(refunds.get(r.orderId) ?? []), refundView(r)]);
      return { payments, refunds };
    },

    /**
     * Closes the provider trades still open for an order that was cancelled, so it cannot be paid any more — or, with
     * `keepAmountFen`, those of another amount than the order's new price (a trade at the old price must not be paid).
     */
    async closeOpenTrades(ctx: TenantContext, orderId: number, opts: { keepAmountFen?: number } = {}): Promise<void> {
      const open = (await repo.paymentsOfOrder(ctx, orderId, paymentMachine.sources('close'))).filter(
        (p) => p.amountFen !== opts.keepAmountFen,
      );
      if (open.length === 0) return;
      const creds = await deps.settings.credentials(ctx);
      for (const payment of open) {
        const p = provider(ctx, payment.provider, creds);
        try {
          await p?.close(payment.paymentNo);
          await repo.movePayment(
            ctx,
            payment.id,
            paymentMachine.sources('close'),
            { status: paymentMachine.transitions.close.to },
            now(),
          );
        } catch (err) {
          // A payment that still arrives is refunded as a late payment.
          ctx.log.warn(
            { err: (err as Error).message, paymentNo: payment.paymentNo },
            'could not close the provider trade',
          );
        }
      }
    },

    /**
     * Compares one China-time day of a tenant's payments with the provider's records and stores every
     * difference once. The sandbox keeps no books and is skipped.
     */
    async reconcile(ctx: TenantContext, day: string): Promise<number> {
      const [from, to] = dayRange(day);
      const rows = await repo.providerPaymentsCreated(ctx, from, to, ['pending', 'succeeded', 'closed']);
      if (rows.length === 0) return 0;
      const creds = await deps.settings.credentials(ctx);
      let found = 0;
      // The providers' own statements of the day first (UnionPay's settlement file): a payment settled there that we
      // have not recorded, or at another amount.
      for (const name of new Set(rows.map((r) => r.provider))) {
        const p = provider(ctx, name, creds);
        if (!p?.settled) continue;
        let settled: Awaited<ReturnType<NonNullable<PaymentProvider['settled']>>>;
        try {
          settled = await p.settled(day);
        } catch (err) {
          ctx.log.warn({ provider: name, day, err: (err as Error).message }, 'no settlement file to reconcile with');
          continue;
        }
        for (const s of settled) {
          const ours = await repo.payment(ctx, { paymentNo: s.paymentNo });
          if (!ours || ours.provider !== name) continue;
          const flag = async (kind: DiscrepancyKind, detail: string) => {
            found++;
            await repo.flagDiscrepancy(ctx, { day, paymentNo: s.paymentNo, kind, detail });
          };
          if (ours.status !== 'succeeded')
            await flag(
              'paid_not_recorded',
              `on the provider's settlement file (${s.transactionId}) but not recorded paid`,
            );
          else if (ours.amountFen !== s.amountFen)
            await flag('amount_mismatch', `settlement file ${s.amountFen} fen, ours ${ours.amountFen} fen`);
        }
      }
      for (const payment of rows) {
        const p = provider(ctx, payment.provider, creds);
        const ours = payment.status;
        const flag = async (kind: DiscrepancyKind, detail: string) => {
          found++;
          await repo.flagDiscrepancy(ctx, { day, paymentNo: payment.paymentNo, kind, detail });
        };
        if (!p) {
          await flag('provider_error', 'the shop no longer has settings for this provider');
          continue;
        }
        try {
          const theirs = await p.query(payment.paymentNo);
          const paidThere = theirs.state === 'paid' || theirs.state === 'refunded';
          if (ours === 'succeeded' && theirs.state === 'not_found')
            await flag('missing_at_provider', 'we recorded a payment the provider does not know');
          else if (ours === 'succeeded' && !paidThere)
            await flag('unpaid_at_provider', `the provider says ${theirs.state}`);
          else if (ours !== 'succeeded' && paidThere)
            await flag(
              'paid_not_recorded',
              `the provider has it paid (${theirs.transactionId ?? '?'}) but no notification was applied`,
            );
          else if (paidThere && theirs.amountFen !== null && theirs.amountFen !== payment.amountFen)
            await flag('amount_mismatch', `provider ${theirs.amountFen} fen, ours ${payment.amountFen} fen`);
        } catch (err) {
          await flag('provider_error', (err as Error).message);
        }
      }
      return found;
    },

    /** Reconciles a day for every tenant (the daily job). */
    async reconcileAll(ctx: RequestContext, day: string): Promise<number> {
      let found = 0;
      await deps.tenants.forEachId(['active', 'suspended'], async (tenantId) => {
        found += await this.reconcile({ ...ctx, tenantId }, day);
      });
      return found;
    },

    /**
     * WeChat Pay's transfer to a user's change (商家转账), as the shop's own WeChat Pay merchant, out of test mode: what
     * distribution pays withdrawals with. A request WeChat Pay refuses (not enough balance, a user it cannot pay) is a
     * failed transfer; an unreachable one throws, and is asked again later by its bill number.
     */
    transfers: {
      async available(ctx: TenantContext): Promise<boolean> {
        const creds = await deps.settings.credentials(ctx);
        return !creds.testMode && creds.wechat?.mode === 'merchant';
      },
      async transfer(ctx: TenantContext, t: { billNo: string; openid: string; amountFen: number; remark: string }) {
        const client = await transfersClient(ctx);
        try {
          return asTransferState(
            await client.transfer({ outBillNo: t.billNo, openid: t.openid, amountFen: t.amountFen, remark: t.remark }),
          );
        } catch (err) {
          if (!(err instanceof ProviderRefused)) throw err;
          ctx.log.warn({ code: err.code, billNo: t.billNo }, 'WeChat Pay refused a transfer');
          return { state: 'failed' as const, transferBillNo: null, packageInfo: null, failReason: err.code };
        }
      },
      async query(ctx: TenantContext, billNo: string) {
        const found = await (await transfersClient(ctx)).query(billNo);
        return found ? asTransferState(found) : null;
      },
      async merchantId(ctx: TenantContext): Promise<string | null> {
        const creds = await deps.settings.credentials(ctx);
        return creds.wechat?.mode === 'merchant' ? creds.wechat.mchId : null;
      },
    },

    async discrepancies(
      ctx: TenantContext,
      q: { resolved?: 'true' | 'false'; page: number; pageSize: number },
    ): Promise<Page<Discrepancy>> {
      const { items, total } = await repo.discrepancies(ctx, {
        resolved: q.resolved === undefined ? undefined : q.resolved === 'true',
        page: q.page,
        pageSize: q.pageSize,
      });
      return {
        items: items.map((d) => ({ ...d, createdAt: d.createdAt.toISOString() })),
        page: q.page,
        pageSize: q.pageSize,
        total,
      };
    },
  };
}

export type PaymentsService = ReturnType<typeof paymentsService>;
