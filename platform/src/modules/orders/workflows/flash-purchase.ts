import type { FlashBuyBody, Order } from '@shopfleet/contracts';
import type { TenantContext } from '../../../kernel/context';
import { shopperIdOf } from '../../../kernel/context';
import type { FlashService } from '../../marketing';
import type { OrdersService } from '../orders.service';
import type { PlaceOrderWorkflow } from './place-order';
import { reservationOf } from './reservation';

export interface FlashPurchaseDeps {
  flash: Pick<FlashService, 'reserve' | 'release'>;
  orders: Pick<OrdersService, 'placement' | 'asShopperSees'>;
  placeOrder: Pick<PlaceOrderWorkflow, 'place'>;
}

/**
 * Buying in a flash sale (秒杀), the rush's workflow:
 *
 * 1. marketing: the pass is checked and the gate (Redis) reserves the units — or answers sold out, the limit reached,
 *    not started, over, too fast: most shoppers end here, without a query to MySQL;
 * 2. orders: a request retried with its Idempotency-Key after its reservation was given back (its order closed, or
 *    failed) answers with the order it placed, if any, else reserves again;
 * 3. orders: the order is placed through checkout (the address, the flash price as the `activity` stage, the session's
 *    payment window), where marketing takes the units in MySQL under its guard, in the placement's transaction;
 * 4. marketing: if the order could not be placed, the reservation goes back to the gate at once (and if this process
 *    dies first, the reconciliation frees it a minute later).
 *
 * The reservation is named after the shopper's Idempotency-Key, so two copies of one request hold one reservation and
 * make one order.
 */
export function flashPurchaseWorkflow(deps: FlashPurchaseDeps) {
  return {
    async buy(ctx: TenantContext, itemId: number, body: FlashBuyBody, key: string): Promise<Order> {
      const shopperId = shopperIdOf(ctx);
      const reservation = reservationOf(ctx, String(itemId), key);
      const ask = { pass: body.pass, quantity: body.quantity, reservation };
      let r = await deps.flash.reserve(ctx, itemId, ask);
      if (r === 'spent') {
        const placed = await deps.orders.placement.idByKey(ctx, shopperId, key);
        if (placed !== null) return deps.orders.asShopperSees(ctx, placed);
        r = await deps.flash.reserve(ctx, itemId, { ...ask, again: true });
        if (r === 'spent') throw new Error('a flash reservation taken anew was still spent');
      }
      try {
        return await deps.placeOrder.place(
          ctx,
          {
            fromCart: false,
            items: [{ skuId: r.skuId, quantity: body.quantity }],
            addressId: body.addressId,
            remark: body.remark,
            couponId: null,
            usePoints: false,
          },
          key,
          r.activity,
        );
      } catch (err) {
        // A copy of this request holding the same reservation may still be placing it: only the one that made it frees it.
        if (r.fresh)
          await deps.flash
            .release(ctx, itemId, reservation)
            .catch((e: unknown) =>
              ctx.log.warn({ err: e, itemId }, 'could not free a flash reservation; reconciliation will'),
            );
        throw err;
      }
    },
  };
}

export type FlashPurchaseWorkflow = ReturnType<typeof flashPurchaseWorkflow>;
