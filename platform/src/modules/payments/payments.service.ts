import { createHmac, randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import {
  PAYMENT_JOBS,
  QUEUES,
  type Discrepancy,
  type DiscrepancyKind,
  type Order,
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
import { TenantScope } from '../../kernel/db/tenant-scope';
import { iso, isDuplicateKey, totalOf } from '../../kernel/db/rows';
import type { Queues } from '../../kernel/queue';
import type { Log, Logger } from '../../kernel/logger';
import { chinaDayStart, chinaStamp } from '../../kernel/china-time';
import { yuan } from '../../kernel/money';
import { describeJobFailure } from '../../kernel/job-failure';
import type { OrderMoney, OrderPayment, OrdersService } from '../orders';
import { toOrderPayment, toRefund } from './payment-rows';
import type { TenantsService } from '../tenants';
import type { ShoppersService } from '../shoppers';
import { notifyPaths, type PaymentSettingsService, type TenantPaymentCredentials } from './payment-settings.service';
import { AlipayProvider } from './providers/alipay.provider';
import { SandboxProvider } from './providers/sandbox.provider';
import { WechatPayProvider } from './providers/wechatpay.provider';
import { paymentMachine, refundMachine } from './payment-states';
import { NotificationRejected, ProviderRefused, ProviderUnavailable, type IncomingNotification, type NotificationAck, type PaymentProvider, type VerifiedEvent } from './providers/provider';

export interface PaymentsDeps {
  knex: Knex;
  orders: OrdersService;
  tenants: TenantsService;
  /** A shopper's WeChat openid, which JSAPI pays with. */
  shoppers: Pick<ShoppersService, 'openid'>;
  settings: PaymentSettingsService;
  queues: Queues;
  log: Logger;
  wechatpayBaseUrl: string;
  alipayGateway: string;
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
  sandbox: 'sandbox',
};

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

/** Refunds of the order's own payment count against what it paid; money that came for a closed or already paid order is the shopper's own. */
const countsOnOrder = (kind: string) => kind === 'merchant' || kind === 'order_cancelled';

/**
 * A prepay the provider refused, as the shopper reads it: our own adapters' refusals have reasons of
 * their own; the provider's text (WeChat Pay and Alipay answer in Chinese) is shown as it came.
 */
function prepayRefusal(err: ProviderRefused, method: string): AppError {
  if (err.code === 'METHOD_NOT_SUPPORTED') {
    return new AppError('CONFLICT', { reason: 'PAYMENT_METHOD_UNAVAILABLE', params: { method }, message: err.message }, 409, { providerCode: err.code });
  }
  if (err.code === 'NO_OPENID') return new AppError('CONFLICT', { reason: 'PAYMENT_NEEDS_WECHAT_SIGN_IN', message: err.message }, 409, { providerCode: err.code });
  const text = { reason: 'PAYMENT_PROVIDER_REFUSED', params: { providerMessage: err.message }, message: `The payment provider refused: ${err.message}` } as const;
  return new AppError('CONFLICT', text, 409, { providerCode: err.code });
}

/**
 * Payments and refunds. A payment is applied only from a notification that passed its provider's
 * verification (signature, timestamp window, decryption) and matches a payment of this tenant with the
 * same amount; each notification id is applied once; a payment that finds its order closed or already
 * paid is refunded automatically. Refunds reserve their amount on the order in the same transaction
 * that records them, so the sum refunded can never pass what was paid.
 */
export function paymentsService(deps: PaymentsDeps) {
  const now = deps.now ?? (() => new Date());
  const scopeOf = (ctx: TenantContext, trx?: Knex.Transaction) => new TenantScope(trx ?? deps.knex, ctx.tenantId);
  const systemCtx = (tenantId: number, what: string, log: Log = deps.log): TenantContext => ({ requestId: `${what}:${tenantId}`, tenantId, actor: { type: 'system', job: what }, log });

  function sandbox(tenantId: number): SandboxProvider {
    const key = createHmac('sha256', deps.sandboxSecret).update(`sandbox-payments:${tenantId}`).digest();
    return new SandboxProvider(key, { maxAgeSeconds: deps.notificationMaxAgeSeconds, now });
  }

  function provider(ctx: TenantContext, name: PaymentProviderName, creds: TenantPaymentCredentials): PaymentProvider | null {
    if (name === 'sandbox') return sandbox(ctx.tenantId);
    if (name === 'wechatpay') return creds.wechat ? new WechatPayProvider(creds.wechat, { baseUrl: deps.wechatpayBaseUrl, maxAgeSeconds: deps.notificationMaxAgeSeconds, now }) : null;
    return creds.alipay ? new AlipayProvider(creds.alipay, { gateway: deps.alipayGateway }) : null;
  }

  async function mustProvider(ctx: TenantContext, name: PaymentProviderName): Promise<PaymentProvider> {
    const p = provider(ctx, name, await deps.settings.credentials(ctx));
    if (!p) throw new ConflictError({ reason: 'PAYMENT_PROVIDER_NOT_SET', params: { provider: name }, message: `This shop has no ${name} settings` });
    return p;
  }

  function methodsFor(creds: TenantPaymentCredentials, client: PaymentClient | null): PaymentMethod[] {
    if (creds.testMode) return ['sandbox'];
    const list: PaymentMethod[] = [];
    if (creds.wechat && client !== 'h5') list.push('wechat_jsapi');
    if (creds.wechat && client !== 'mp-weixin') list.push('wechat_h5', 'wechat_native');
    if (creds.alipay && client !== 'mp-weixin') list.push('alipay_wap');
    return list;
  }

  const notifyUrl = (ctx: TenantContext, provider: PaymentProviderName) => {
    const paths = notifyPaths(ctx.tenantId);
    return deps.notifyBaseUrl + (provider === 'wechatpay' ? paths.wechat : provider === 'alipay' ? paths.alipay : paths.sandbox);
  };

  /** Records a refund and reserves its amount on the order, inside the caller's transaction. */
  async function recordRefund(
    ctx: TenantContext,
    trx: Knex.Transaction,
    r: { orderId: number; paymentId: number; amountFen: number; reason: string; kind: RefundKind; status: string },
  ): Promise<number> {
    const scope = scopeOf(ctx, trx);
    const id = await scope.insert('refunds', {
      order_id: r.orderId,
      payment_id: r.paymentId,
      refund_no: number('R', ctx.tenantId, now()),
      amount_fen: r.amountFen,
      reason: r.reason.slice(0, 80),
      kind: r.kind,
      status: 'processing',
    });
    if (countsOnOrder(r.kind)) await deps.orders.moveRefunded(ctx, trx, r.orderId, r.amountFen);
    await deps.orders.note(ctx, trx, r.orderId, countsOnOrder(r.kind) ? 'refund_requested' : r.kind, r.status as Order['status'], `¥${yuan(r.amountFen)} ${r.reason}`);
    return id;
  }

  /** Marks a refund done or failed, once; a failed refund gives its reserved amount back to the order. */
  async function settleRefund(ctx: TenantContext, refundId: number, outcome: { succeeded: boolean; providerRefundId: string | null; failure?: RefundFailure }, trx?: Knex.Transaction): Promise<boolean> {
    const failure = outcome.failure ?? { code: 'PROVIDER_REFUSED' as const, params: {} };
    const failureText = failure.code === 'PROVIDER_REFUSED' ? [failure.params.providerCode, failure.params.message].filter(Boolean).join(': ') || 'refused' : describeJobFailure(failure as JobFailure);
    const run = async (t: Knex.Transaction) => {
      const scope = scopeOf(ctx, t);
      const r = await scope.table('refunds').where({ id: refundId }).forUpdate().first();
      const event = outcome.succeeded ? 'succeed' : 'fail';
      if (!r || !refundMachine.can(r.status, event)) return false;
      const at = now();
      await scope.table('refunds').where({ id: refundId }).update(
        outcome.succeeded
          ? { status: refundMachine.next(r.status, event), succeeded_at: at, provider_refund_id: outcome.providerRefundId ?? r.provider_refund_id }
          : { status: refundMachine.next(r.status, event), failure: failureText.slice(0, 200), failure_code: failure.code, failure_params: JSON.stringify(failure.params) },
      );
      if (!outcome.succeeded && countsOnOrder(String(r.kind))) await deps.orders.moveRefunded(ctx, t, Number(r.order_id), -Number(r.amount_fen));
      const status = await deps.orders.statusOf(ctx, t, Number(r.order_id));
      await deps.orders.note(ctx, t, Number(r.order_id), outcome.succeeded ? 'refunded' : 'refund_failed', status, `¥${yuan(Number(r.amount_fen))} ${outcome.succeeded ? '' : failureText}`.trim());
      return true;
    };
    return trx ? run(trx) : deps.knex.transaction(run);
  }

  /** Sends a recorded refund to its provider. Unreachable: retried by a job with backoff (same refund number, so never twice). */
  async function submitRefund(ctx: TenantContext, refundId: number, fromJob = false): Promise<void> {
    const scope = scopeOf(ctx);
    const r = await scope.table('refunds').where({ id: refundId }).first();
    if (!r || r.status !== 'processing') return;
    const payment = await scope.table('payments').where({ id: r.payment_id }).first();
    const p = await mustProvider(ctx, payment.provider as PaymentProviderName);
    await scope.table('refunds').where({ id: refundId }).increment('attempts', 1);
    try {
      const result = await p.refund({
        paymentNo: String(payment.payment_no),
        refundNo: String(r.refund_no),
        amountFen: Number(r.amount_fen),
        totalFen: Number(payment.amount_fen),
        reason: String(r.reason),
        notifyUrl: deps.notifyBaseUrl + notifyPaths(ctx.tenantId).wechatRefunds,
      });
      if (result.status === 'succeeded') await settleRefund(ctx, refundId, { succeeded: true, providerRefundId: result.providerRefundId });
      else if (result.providerRefundId) await scope.table('refunds').where({ id: refundId }).update({ provider_refund_id: result.providerRefundId });
    } catch (err) {
      if (err instanceof ProviderRefused) {
        ctx.log.warn({ refundId, code: err.code, err: err.message }, 'refund refused by the provider');
        await settleRefund(ctx, refundId, { succeeded: false, providerRefundId: null, failure: { code: 'PROVIDER_REFUSED', params: { providerCode: err.code, message: err.message.slice(0, 150) } } });
        return;
      }
      if (fromJob) throw err;
      ctx.log.warn({ refundId, err: (err as Error).message }, 'refund not sent; retrying in the background');
      await deps.queues
        .get(QUEUES.payments)
        .add(PAYMENT_JOBS.submitRefund, { tenantId: ctx.tenantId, refundId }, { jobId: `refund-${ctx.tenantId}-${refundId}`, attempts: 10, backoff: { type: 'exponential', delay: 30_000 } });
    }
  }

  /** Applies a verified event once. Returns the refunds to send after commit, and whether it paid an order. */
  async function apply(ctx: TenantContext, providerName: PaymentProviderName, ev: VerifiedEvent): Promise<{ duplicate: boolean; refunds: number[]; paid?: boolean }> {
    return deps.knex.transaction(async (trx) => {
      const scope = scopeOf(ctx, trx);
      const reference = ev.kind === 'payment' ? ev.paymentNo : ev.kind === 'refund' ? ev.refundNo : null;
      try {
        await scope.insert('payment_notifications', { provider: providerName, notification_id: ev.notificationId.slice(0, 64), event: ev.kind, reference });
      } catch (err) {
        if (isDuplicateKey(err)) return { duplicate: true, refunds: [] };
        throw err;
      }
      if (ev.kind === 'ignored') return { duplicate: false, refunds: [] };
      if (ev.kind === 'refund') {
        const r = await scope.table('refunds').where({ refund_no: ev.refundNo }).forUpdate().first();
        if (!r) throw new NotificationRejected(`no refund ${ev.refundNo} in this shop`);
        if (Number(r.amount_fen) !== ev.amountFen) throw new NotificationRejected(`refund amount ${ev.amountFen} differs from ${String(r.amount_fen)}`);
        await settleRefund(ctx, Number(r.id), { succeeded: ev.succeeded, providerRefundId: ev.providerRefundId, failure: { code: 'PROVIDER_REFUSED', params: { message: 'the provider could not refund' } } }, trx);
        return { duplicate: false, refunds: [] };
      }
      const payment = await scope.table('payments').where({ payment_no: ev.paymentNo }).forUpdate().first();
      if (!payment) throw new NotificationRejected(`no payment ${ev.paymentNo} in this shop`);
      if (payment.provider !== providerName) throw new NotificationRejected(`payment ${ev.paymentNo} is not a ${providerName} payment`);
      if (Number(payment.amount_fen) !== ev.amountFen) throw new NotificationRejected(`amount ${ev.amountFen} differs from the payment's ${String(payment.amount_fen)}`);
      if (!paymentMachine.can(payment.status, 'succeed')) return { duplicate: true, refunds: [] };
      await scope.table('payments').where({ id: payment.id }).update({ status: paymentMachine.next(payment.status, 'succeed'), transaction_id: ev.transactionId.slice(0, 64), payer: ev.payer?.slice(0, 128) ?? null, paid_at: ev.paidAt, updated_at: now() });
      const applied = await deps.orders.applyPayment(ctx, trx, Number(payment.order_id), {
        paymentId: Number(payment.id),
        amountFen: ev.amountFen,
        provider: providerName,
        method: payment.method as PaymentMethod,
        at: ev.paidAt,
      });
      if (applied) return { duplicate: false, refunds: [], paid: true };
      const status = await deps.orders.statusOf(ctx, trx, Number(payment.order_id));
      const kind: RefundKind = status === 'cancelled' ? 'late_payment' : 'duplicate_payment';
      const refundId = await recordRefund(ctx, trx, {
        orderId: Number(payment.order_id),
        paymentId: Number(payment.id),
        amountFen: ev.amountFen,
        reason: kind === 'late_payment' ? '订单已关闭，自动退款' : '重复支付，自动退款',
        kind,
        status,
      });
      return { duplicate: false, refunds: [refundId] };
    });
  }

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
      if (order.status !== 'pending_payment') throw new ConflictError({ reason: 'ORDER_NOT_PAYABLE', params: { status: order.status }, message: `This order is ${order.status}; there is nothing to pay` });
      if (new Date(order.paymentDeadline).getTime() <= now().getTime()) throw new ConflictError({ reason: 'PAYMENT_WINDOW_CLOSED', message: 'The payment window of this order has closed' });
      const creds = await deps.settings.credentials(ctx);
      if (!methodsFor(creds, null).includes(body.method)) throw new ConflictError({ reason: 'PAYMENT_METHOD_UNAVAILABLE', params: { method: body.method }, message: `This shop does not take ${body.method} now` }, { methods: methodsFor(creds, null) });
      const providerName = PROVIDER_OF[body.method];
      const p = provider(ctx, providerName, creds)!;
      const scope = scopeOf(ctx);
      let payment = await scope.table('payments').where({ order_id: orderId, method: body.method, status: 'pending', amount_fen: order.totalFen }).orderBy('id', 'desc').first();
      if (!payment) {
        const paymentNo = number('P', ctx.tenantId, now());
        await scope.insert('payments', { order_id: orderId, payment_no: paymentNo, provider: providerName, method: body.method, amount_fen: order.totalFen, status: 'pending' });
        payment = await scope.table('payments').where({ payment_no: paymentNo }).first();
      }
      let openid: string | null = null;
      if (body.method === 'wechat_jsapi' && ctx.actor.type === 'shopper') {
        openid = await deps.shoppers.openid(ctx, ctx.actor.shopperId);
      }
      const tenant = await deps.tenants.mustGet(ctx.tenantId);
      try {
        const prepaid = await p.prepay({
          method: body.method,
          paymentNo: String(payment.payment_no),
          amountFen: order.totalFen,
          description: `${tenant.name}-订单${order.orderNo}`,
          openid,
          clientIp: ctx.ip ?? '127.0.0.1',
          expiresAt: new Date(order.paymentDeadline),
          notifyUrl: notifyUrl(ctx, providerName),
          returnUrl: body.returnPath ? deps.publicUrl + body.returnPath : null,
        });
        return { ...prepaid, paymentNo: String(payment.payment_no) } as PayParams;
      } catch (err) {
        if (err instanceof ProviderRefused) throw prepayRefusal(err, body.method);
        if (err instanceof ProviderUnavailable) throw new UpstreamError({ reason: 'PAYMENT_PROVIDER_UNREACHABLE', message: 'The payment provider cannot be reached; try again' });
        throw err;
      }
    },

    /** Test mode: the shopper confirms a sandbox payment; it is applied through the notification path. */
    async confirmSandbox(ctx: TenantContext, paymentNo: string): Promise<Order> {
      const payment = await scopeOf(ctx).table('payments').where({ payment_no: paymentNo }).first();
      if (!payment || payment.provider !== 'sandbox') throw new NotFoundError('PAYMENT_NOT_FOUND');
      const order = await deps.orders.get(ctx, Number(payment.order_id)); // the shopper's own order, or 404
      if (!(await deps.settings.credentials(ctx)).testMode) throw new ForbiddenError({ reason: 'SHOP_NOT_IN_TEST_MODE', message: 'This shop is not in test mode' });
      const ack = await this.handleNotification(ctx.tenantId, 'sandbox', sandbox(ctx.tenantId).notification({ paymentNo, amountFen: Number(payment.amount_fen) }), ctx.log);
      if (ack.status >= 300) throw new ConflictError({ reason: 'SANDBOX_PAYMENT_NOT_APPLIED', message: 'The sandbox payment was not applied' });
      return deps.orders.get(ctx, order.id);
    },

    /**
     * A provider's notification for the tenant its URL names. Anything that fails verification or
     * does not match this tenant's records changes nothing and is logged; a notification applied
     * before is acknowledged again without effect.
     */
    async handleNotification(tenantId: number, providerName: PaymentProviderName, incoming: IncomingNotification, log: Log = deps.log): Promise<NotificationAck> {
      const ctx = systemCtx(tenantId, `notify:${providerName}`, log.child({ tenantId, provider: providerName }));
      const refuse = (message: string): NotificationAck =>
        providerName === 'alipay' ? { status: 200, contentType: 'text/plain', body: 'fail' } : { status: 400, contentType: 'application/json', body: JSON.stringify({ code: 'FAIL', message }) };
      const tenant = await deps.tenants.findById(tenantId);
      if (!tenant) {
        ctx.log.warn('payment notification for an unknown tenant');
        return refuse('unknown shop');
      }
      const p = provider(ctx, providerName, await deps.settings.credentials(ctx));
      if (!p) {
        ctx.log.warn('payment notification for a provider this shop has not configured');
        return refuse('not configured');
      }
      let ev: VerifiedEvent;
      try {
        ev = p.verifyNotification(incoming);
      } catch (err) {
        ctx.log.warn({ reason: (err as Error).message }, 'payment notification rejected');
        return p.ack(false, 'verification failed');
      }
      try {
        const outcome = await apply(ctx, providerName, ev);
        if (outcome.duplicate) ctx.log.info({ notificationId: ev.notificationId }, 'payment notification already applied; nothing changed');
        if (outcome.paid) await deps.orders.publishSales(ctx);
        for (const refundId of outcome.refunds) {
          ctx.log.warn({ refundId, notificationId: ev.notificationId }, 'payment for an order that is closed or paid: refunding it');
          await submitRefund(ctx, refundId);
        }
        return p.ack(true);
      } catch (err) {
        if (err instanceof NotificationRejected) {
          ctx.log.warn({ reason: err.message, notificationId: ev.notificationId }, 'payment notification rejected');
          return p.ack(false, 'rejected');
        }
        throw err;
      }
    },

    /**
     * The merchant refunds part or all of what is left of a paid order; more than is left is refused
     * whole (409 `exceeds_refundable`), never cut down. The refund that leaves nothing to refund closes
     * the order (`refunded`, see orders' `closeRefunded`) in the same transaction. An order closed or
     * cancelled with a refund that then failed can be refunded again, up to what is left.
     */
    async refund(ctx: TenantContext, orderId: number, amountFen: number, reason: string): Promise<void> {
      const { refundId, closed } = await deps.knex.transaction(async (trx) => {
        const row = await deps.orders.lockForRefund(ctx, trx, orderId);
        if (!row) throw new NotFoundError('ORDER_NOT_FOUND');
        const left = row.paidFen - row.refundedFen;
        if (!row.paymentId || left <= 0) {
          throw new ConflictError({ reason: 'ORDER_NOT_REFUNDABLE', params: { status: row.status }, message: `An order that is ${row.status} has nothing to refund` }, { reason: 'nothing_to_refund', status: row.status, refundableFen: Math.max(left, 0) });
        }
        if (amountFen > left) {
          throw new ConflictError({ reason: 'REFUND_TOO_LARGE', params: { refundableYuan: yuan(left) }, message: `At most ¥${yuan(left)} is left to refund` }, { reason: 'exceeds_refundable', refundableFen: left, requestedFen: amountFen });
        }
        const id = await recordRefund(ctx, trx, { orderId, paymentId: row.paymentId, amountFen, reason, kind: 'merchant', status: row.status });
        return { refundId: id, closed: amountFen === left && (await deps.orders.closeRefunded(ctx, trx, orderId, reason)) };
      });
      if (closed) await deps.orders.publishSales(ctx);
      await submitRefund(ctx, refundId);
    },

    /** Inside a merchant's cancellation of a paid order: refunds what is left of it. Returns the refund to send after commit. */
    async refundRemainderInTrx(ctx: TenantContext, trx: Knex.Transaction, row: Record<string, unknown>, reason: string): Promise<number | null> {
      const left = Number(row.paid_fen) - Number(row.refunded_fen);
      if (left <= 0 || !row.payment_id) return null;
      return recordRefund(ctx, trx, { orderId: Number(row.id), paymentId: Number(row.payment_id), amountFen: left, reason, kind: 'order_cancelled', status: 'cancelled' });
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
    async retryRefund(ctx: TenantContext, refundId: number): Promise<Refund> {
      await deps.knex.transaction(async (trx) => {
        const scope = scopeOf(ctx, trx);
        const r = await scope.table('refunds').where({ id: refundId }).forUpdate().first();
        if (!r) throw new NotFoundError('REFUND_NOT_FOUND');
        if (!refundMachine.can(r.status, 'retry')) throw new ConflictError({ reason: 'REFUND_NOT_FAILED', params: { status: String(r.status) }, message: `This refund is ${String(r.status)}; only a failed refund can be retried` }, { status: r.status });
        const order = (await deps.orders.lockForRefund(ctx, trx, Number(r.order_id)))!;
        if (countsOnOrder(String(r.kind))) {
          const left = order.paidFen - order.refundedFen;
          if (Number(r.amount_fen) > left) throw new ConflictError({ reason: 'REFUND_TOO_LARGE', params: { refundableYuan: yuan(left) }, message: `At most ¥${yuan(left)} is left to refund` }, { refundableFen: left });
          await deps.orders.moveRefunded(ctx, trx, Number(r.order_id), Number(r.amount_fen));
        }
        await scope.table('refunds').where({ id: refundId }).update({ status: refundMachine.next(r.status, 'retry'), failure: null, failure_code: null, failure_params: null });
        await deps.orders.note(ctx, trx, Number(r.order_id), 'refund_requested', order.status, `¥${yuan(Number(r.amount_fen))} ${String(r.reason)}`);
      });
      await submitRefund(ctx, refundId);
      return toRefund(await scopeOf(ctx).table('refunds').where({ id: refundId }).first());
    },

    /** The payments that paid these orders and the orders' refunds, for the order views (see orders' `OrderMoney`). */
    async ofOrders(ctx: TenantContext, q: { orderIds: number[]; paymentIds: number[] }, trx?: Knex.Transaction): ReturnType<OrderMoney['ofOrders']> {
      const scope = scopeOf(ctx, trx);
      const [paymentRows, refundRows] = await Promise.all([
        (q.paymentIds.length ? scope.table('payments').whereIn('id', q.paymentIds) : Promise.resolve([])) as Promise<Array<Record<string, unknown>>>,
        (q.orderIds.length ? scope.table('refunds').whereIn('order_id', q.orderIds).orderBy('id') : Promise.resolve([])) as Promise<Array<Record<string, unknown>>>,
      ]);
      const payments = new Map<number, OrderPayment>();
      for (const p of paymentRows) {
        const paid = toOrderPayment(p);
        if (paid) payments.set(Number(p.id), paid);
      }
      const refunds = new Map<number, Refund[]>();
      for (const r of refundRows) refunds.set(Number(r.order_id), [...(refunds.get(Number(r.order_id)) ?? []), toRefund(r)]);
      return { payments, refunds };
    },

    /** Closes the provider trades still open for an order that was cancelled, so it cannot be paid any more. */
    async closeOpenTrades(ctx: TenantContext, orderId: number): Promise<void> {
      const open = (await scopeOf(ctx).table('payments').where({ order_id: orderId }).whereIn('status', paymentMachine.sources('close'))) as Array<Record<string, unknown>>;
      if (open.length === 0) return;
      const creds = await deps.settings.credentials(ctx);
      for (const payment of open) {
        const p = provider(ctx, payment.provider as PaymentProviderName, creds);
        try {
          await p?.close(String(payment.payment_no));
          await scopeOf(ctx).table('payments').where({ id: payment.id }).whereIn('status', paymentMachine.sources('close')).update({ status: paymentMachine.transitions.close.to, updated_at: now() });
        } catch (err) {
          // A payment that still arrives is refunded as a late payment.
          ctx.log.warn({ err: (err as Error).message, paymentNo: payment.payment_no }, 'could not close the provider trade');
        }
      }
    },

    /**
     * Compares one China-time day of a tenant's payments with the provider's records and stores every
     * difference once. The sandbox keeps no books and is skipped.
     */
    async reconcile(ctx: TenantContext, day: string): Promise<number> {
      const [from, to] = dayRange(day);
      const rows = (await scopeOf(ctx).table('payments').whereNot({ provider: 'sandbox' }).where('created_at', '>=', from).where('created_at', '<', to).whereIn('status', ['pending', 'succeeded', 'closed'])) as Array<Record<string, unknown>>;
      if (rows.length === 0) return 0;
      const creds = await deps.settings.credentials(ctx);
      let found = 0;
      for (const payment of rows) {
        const p = provider(ctx, payment.provider as PaymentProviderName, creds);
        const ours = String(payment.status);
        const flag = async (kind: string, detail: string) => {
          found++;
          await scopeOf(ctx).table('payment_discrepancies').insert({ day, payment_no: payment.payment_no, kind, detail: detail.slice(0, 300) }).onConflict().ignore();
        };
        if (!p) {
          await flag('provider_error', 'the shop no longer has settings for this provider');
          continue;
        }
        try {
          const theirs = await p.query(String(payment.payment_no));
          const paidThere = theirs.state === 'paid' || theirs.state === 'refunded';
          if (ours === 'succeeded' && theirs.state === 'not_found') await flag('missing_at_provider', 'we recorded a payment the provider does not know');
          else if (ours === 'succeeded' && !paidThere) await flag('unpaid_at_provider', `the provider says ${theirs.state}`);
          else if (ours !== 'succeeded' && paidThere) await flag('paid_not_recorded', `the provider has it paid (${theirs.transactionId ?? '?'}) but no notification was applied`);
          else if (paidThere && theirs.amountFen !== null && theirs.amountFen !== Number(payment.amount_fen)) await flag('amount_mismatch', `provider ${theirs.amountFen} fen, ours ${String(payment.amount_fen)} fen`);
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

    async discrepancies(ctx: TenantContext, q: { resolved?: 'true' | 'false'; page: number; pageSize: number }): Promise<Page<Discrepancy>> {
      const base = () => {
        const b = scopeOf(ctx).table('payment_discrepancies');
        if (q.resolved) b.where({ resolved: q.resolved === 'true' });
        return b;
      };
      const [rows, counted] = await Promise.all([base().orderBy('id', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize), base().count({ total: '*' })]);
      return {
        items: (rows as Array<Record<string, unknown>>).map((r) => ({
          id: Number(r.id),
          day: r.day instanceof Date ? new Date(r.day.getTime() - r.day.getTimezoneOffset() * 60_000).toISOString().slice(0, 10) : String(r.day).slice(0, 10),
          paymentNo: String(r.payment_no),
          kind: r.kind as DiscrepancyKind,
          detail: String(r.detail),
          resolved: Boolean(r.resolved),
          createdAt: iso(r.created_at as Date),
        })),
        page: q.page,
        pageSize: q.pageSize,
        total: totalOf(counted),
      };
    },
  };
}

export type PaymentsService = ReturnType<typeof paymentsService>;
