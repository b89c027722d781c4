import type { Order, PaymentProviderName } from '@shopfleet/contracts';
import type { TenantContext } from '../../../kernel/context';
import type { Transactions } from '../../../kernel/db/database';
import type { Log } from '../../../kernel/logger';
import { ConflictError } from '../../../kernel/errors';
import { yuan } from '../../../kernel/money';
import type { NotificationsService } from '../../notifications';
import type { SalesLedgerService } from '../../catalog';
import {
  NotificationRejected,
  type IncomingNotification,
  type NotificationAck,
  type PaymentsService,
} from '../../payments';
import type { OrdersService } from '../orders.service';
import type { OrderCommission, OrderFigures, OrderLifecycleOffers, OrderMembership } from '../ports';

export interface ApplyPaymentDeps {
  tx: Transactions;
  payments: Pick<
    PaymentsService,
    'verifyNotification' | 'applyEvent' | 'refundUnapplied' | 'submitRefund' | 'sandboxNotification' | 'queriedEvent'
  >;
  orders: Pick<OrdersService, 'applyPayment' | 'get'>;
  sales: SalesLedgerService;
  offers?: Pick<OrderLifecycleOffers, 'orderPaid'>;
  membership?: Pick<OrderMembership, 'orderPaid'>;
  commission?: Pick<OrderCommission, 'orderPaid'>;
  figures?: Pick<OrderFigures, 'orderPaid'>;
  alerts?: Pick<NotificationsService, 'alert'>;
}

/**
 * A payment provider's notification, applied:
 *
 * 1. payments: the notification is verified (signature, timestamp window, decryption) for the shop its URL names;
 * 2. in one transaction — payments: the event is recorded once and applied (a refund settles; a payment succeeds);
 *    orders: the order the payment was for becomes paid, if it is still waiting; catalog: its sales count;
 *    marketing: its campaigns count it paid; members: it earns its shopper points (frozen) and growth;
 *    distribution: its buyer's distributors earn commission (frozen) on what was paid for each line;
 *    analytics: the payment counts in the shop's figures at its time, with each line;
 *    notifications: the shop's staff who see orders hear of it (the bell; live in their open consoles);
 *    or, when the order is closed or paid already, payments: the payment is refunded in full;
 * 3. after commit: the refund goes to the provider, and the shop shows the new sales figures.
 *
 * The answer is the provider's acknowledgement: a notification applied before is acknowledged again without effect;
 * one that fails verification or does not match the shop's records changes nothing and is refused.
 */
export function applyPaymentWorkflow(deps: ApplyPaymentDeps) {
  async function handle(
    tenantId: number,
    providerName: PaymentProviderName,
    incoming: IncomingNotification,
    log?: Log,
  ): Promise<NotificationAck> {
    const verified = await deps.payments.verifyNotification(tenantId, providerName, incoming, log);
    if ('ack' in verified) return verified.ack;
    return apply(providerName, verified);
  }

  /** Step 2 and 3 for an event that passed verification (a notification, or a provider's signed answer to a query). */
  async function apply(
    providerName: PaymentProviderName,
    { ctx, provider, event }: Exclude<Awaited<ReturnType<PaymentsService['verifyNotification']>>, { ack: unknown }>,
  ): Promise<NotificationAck> {
    try {
      const outcome = await deps.tx.transaction(ctx, async (tctx) => {
        const applied = await deps.payments.applyEvent(tctx, providerName, event);
        if (applied.kind !== 'succeeded')
          return { duplicate: applied.kind === 'duplicate', paid: false, refundId: null };
        const paid = await deps.orders.applyPayment(tctx, applied.orderId, applied.payment);
        if (paid) {
          await deps.sales.record(
            tctx,
            paid.goods.map((g) => ({ productId: g.productId, quantity: g.quantity })),
          );
          await deps.offers?.orderPaid(tctx, applied.orderId);
          await deps.membership?.orderPaid(tctx, {
            orderId: applied.orderId,
            shopperId: paid.order.shopperId,
            goodsPaidFen: paid.order.totalFen - paid.order.shippingFen,
          });
          await deps.commission?.orderPaid(tctx, {
            orderId: applied.orderId,
            shopperId: paid.order.shopperId,
            lines: paid.lines,
          });
          await deps.figures?.orderPaid(tctx, {
            orderId: applied.orderId,
            shopperId: paid.order.shopperId,
            paidFen: paid.order.totalFen,
            lines: paid.lines,
            at: paid.order.paidAt ?? applied.payment.at,
          });
          await deps.alerts?.alert(tctx, {
            textCode: 'ORDER_PAID',
            textParams: { orderNo: paid.order.orderNo, amount: `¥${yuan(paid.order.totalFen)}` },
            data: { orderId: applied.orderId },
          });
          return { duplicate: false, paid: true, refundId: null };
        }
        return {
          duplicate: false,
          paid: false,
          refundId: await deps.payments.refundUnapplied(tctx, applied.orderId, applied.payment),
        };
      });
      if (outcome.duplicate)
        ctx.log.info({ notificationId: event.notificationId }, 'payment notification already applied; nothing changed');
      if (outcome.paid) await deps.sales.published(ctx);
      if (outcome.refundId !== null) {
        ctx.log.warn(
          { refundId: outcome.refundId, notificationId: event.notificationId },
          'payment for an order that is closed or paid: refunding it',
        );
        await deps.payments.submitRefund(ctx, outcome.refundId);
      }
      return provider.ack(true);
    } catch (err) {
      if (err instanceof NotificationRejected) {
        ctx.log.warn({ reason: err.message, notificationId: event.notificationId }, 'payment notification rejected');
        return provider.ack(false, 'rejected');
      }
      throw err;
    }
  }

  return {
    handle,

    /**
     * A trade whose notification has not come, asked about at its provider (the query-payment job): paid there, it is
     * applied as its notification would be — once, amount and shop checked. Returns whether it was paid there.
     */
    async applyQueried(ctx: TenantContext, paymentNo: string): Promise<boolean> {
      const queried = await deps.payments.queriedEvent(ctx, paymentNo);
      if (!queried) return false;
      const ack = await apply(queried.provider.name, queried);
      return ack.status < 300;
    },

    /** Test mode: the shopper confirms a sandbox payment of their order; it is applied through the notification path. */
    async confirmSandbox(ctx: TenantContext, paymentNo: string): Promise<Order> {
      const { orderId, notification } = await deps.payments.sandboxNotification(ctx, paymentNo);
      const ack = await handle(ctx.tenantId, 'sandbox', notification, ctx.log);
      if (ack.status >= 300)
        throw new ConflictError({
          reason: 'SANDBOX_PAYMENT_NOT_APPLIED',
          message: 'The sandbox payment was not applied',
        });
      return deps.orders.get(ctx, orderId);
    },
  };
}

export type ApplyPaymentWorkflow = ReturnType<typeof applyPaymentWorkflow>;
