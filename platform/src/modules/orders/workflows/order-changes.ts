import type { ChangeOrderAddressBody, ChangeOrderPriceBody, MerchantOrder } from '@shopfleet/contracts';
import type { TenantContext } from '../../../kernel/context';
import type { Transactions } from '../../../kernel/db/database';
import { maskPhone } from '../../../kernel/mask';
import type { AuditService } from '../../audit';
import type { PaymentsService } from '../../payments';
import type { OrderOpsService } from '../order-ops.service';
import type { OrdersService } from '../orders.service';
import type { OrderAddress } from '../orders.repository';

/** An address as the audit log keeps it: the phone masked, as the console shows phones. */
const masked = (a: OrderAddress) => ({ ...a, phone: maskPhone(a.phone) });

export interface OrderChangesDeps {
  tx: Transactions;
  ops: Pick<OrderOpsService, 'changePrice' | 'changeAddress'>;
  orders: Pick<OrdersService, 'full'>;
  payments: Pick<PaymentsService, 'closeOpenTrades'>;
  audit: AuditService;
}

/**
 * The merchant changes an order on the shopper's behalf.
 *
 * A new price (unpaid orders only):
 * 1. in one transaction — orders: the order's total, discounts and lines change with its row locked (so a payment
 *    notification applied at the same time either paid it first, and the change is refused, or finds the new total,
 *    and its payment is refunded); audit: the change is recorded;
 * 2. payments: the provider trades still open at another amount are closed, so the old price cannot be paid (a trade
 *    paid meanwhile anyway is refunded in full as `price_changed` by the apply-payment workflow); the shopper's next
 *    payment opens a trade at the new amount.
 *
 * A new address (orders not yet shipped): orders and audit in one transaction.
 */
export function orderChangesWorkflow(deps: OrderChangesDeps) {
  return {
    async changePrice(ctx: TenantContext, orderId: number, body: ChangeOrderPriceBody): Promise<MerchantOrder> {
      const change = await deps.tx.transaction(ctx, async (tctx) => {
        const c = await deps.ops.changePrice(tctx, orderId, body);
        if (c.changed)
          await deps.audit.record(tctx, {
            action: 'order.change_price',
            targetType: 'order',
            targetId: orderId,
            data: {
              fromFen: c.fromFen,
              toFen: c.toFen,
              shippingFromFen: c.shippingFromFen,
              shippingToFen: c.shippingToFen,
              reason: body.reason,
            },
          });
        return c;
      });
      if (change.changed) await deps.payments.closeOpenTrades(ctx, orderId, { keepAmountFen: change.toFen });
      return deps.orders.full(ctx, orderId);
    },

    async changeAddress(ctx: TenantContext, orderId: number, body: ChangeOrderAddressBody): Promise<MerchantOrder> {
      await deps.tx.transaction(ctx, async (tctx) => {
        const c = await deps.ops.changeAddress(tctx, orderId, body);
        if (c.changed)
          await deps.audit.record(tctx, {
            action: 'order.change_address',
            targetType: 'order',
            targetId: orderId,
            data: { from: masked(c.from), to: masked(c.to), reason: body.reason },
          });
      });
      return deps.orders.full(ctx, orderId);
    },
  };
}

export type OrderChangesWorkflow = ReturnType<typeof orderChangesWorkflow>;
