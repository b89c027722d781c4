import {
  ORDER_STATUSES,
  type ChangeOrderAddressBody,
  type ChangeOrderPriceBody,
  type OrderCounts,
  type OrderDiscount,
  type OrderStatus,
} from '@shopfleet/contracts';
import { actorId, type TenantContext } from '../../kernel/context';
import type { Transactions } from '../../kernel/db/database';
import { ConflictError, NotFoundError } from '../../kernel/errors';
import { yuan } from '../../kernel/money';
import { allocate, type Discount } from './pricing';
import type { OrderAddress, OrderFilter, OrdersRepository } from './orders.repository';

/** The order discount a price change writes (商家改价): one, replaced by the next change. */
export const ADJUSTMENT_SOURCE = 'merchant_adjustment' as const;
const ADJUSTMENT_NAME = '商家改价';

/** An order may go elsewhere until it is shipped: unpaid, or paid and waiting to ship. */
export const READDRESSABLE: readonly OrderStatus[] = ['pending_payment', 'paid'];

export interface OrderOpsDeps {
  repo: OrdersRepository;
  tx: Transactions;
  now?: () => Date;
}

/** What a price change did: the totals before and after (`changed` false when the new price is the one it had). */
export interface PriceChange {
  changed: boolean;
  fromFen: number;
  toFen: number;
  shippingFromFen: number;
  shippingToFen: number;
}

const sum = (ds: readonly Discount[]) => ds.reduce((n, d) => n + d.fen, 0);

/**
 * The merchant's daily operations on orders that are the orders module's alone: counts by state, a new price for an
 * unpaid order, a new address for one not yet shipped. Each change is a conditional update on the order's state with its
 * row locked, in the context's transaction, with its timeline event; the workflows (workflows/order-changes.ts) add the
 * audit record and close the payments a new price leaves behind.
 */
export function orderOpsService(deps: OrderOpsDeps) {
  const now = deps.now ?? (() => new Date());
  const { repo } = deps;

  const event = (ctx: TenantContext, orderId: number, type: string, status: OrderStatus, note: string) =>
    repo.addEvent(ctx, orderId, {
      type,
      fromStatus: status,
      toStatus: status,
      actorType: ctx.actor.type,
      actorId: actorId(ctx.actor),
      note: note.slice(0, 200),
    });

  return {
    /** How many orders each state holds under the list's other filters: one grouped query. */
    async counts(ctx: TenantContext, f: Omit<OrderFilter, 'status'>): Promise<OrderCounts> {
      const by = await repo.countByStatus(ctx, f);
      const byStatus = Object.fromEntries(ORDER_STATUSES.map((s) => [s, by.get(s) ?? 0])) as OrderCounts['byStatus'];
      return { all: [...by.values()].reduce((a, b) => a + b, 0), byStatus };
    },

    /**
     * A new price for an unpaid order, in the context's transaction with its row locked (as paying it locks it, so a
     * payment applied first leaves it paid and this refused, and one applied after finds the new total and is refunded).
     * The goods' part (the total less the shipping fee) may go down, never above what checkout priced them at: the
     * difference is one discount (`merchant_adjustment`, replacing an earlier one) split over the lines to the fen, so
     * refunds by line stay exact. The shipping fee is kept unless given; it cannot be above the total.
     */
    async changePrice(ctx: TenantContext, id: number, body: ChangeOrderPriceBody): Promise<PriceChange> {
      return deps.tx.transaction(ctx, async (tctx) => {
        const o = await repo.byId(tctx, id, { lock: true });
        if (!o) throw new NotFoundError('ORDER_NOT_FOUND');
        if (o.status !== 'pending_payment')
          throw new ConflictError({
            reason: 'ORDER_PRICE_LOCKED',
            params: { status: o.status },
            message: `Only an unpaid order's price can change; this one is ${o.status}`,
          });
        const shippingFen = body.shippingFen ?? o.shippingFen;
        const unchanged = { fromFen: o.totalFen, shippingFromFen: o.shippingFen, shippingToFen: shippingFen };
        if (body.totalFen === o.totalFen && shippingFen === o.shippingFen)
          return { changed: false, toFen: o.totalFen, ...unchanged };
        if (shippingFen > body.totalFen)
          throw new ConflictError({
            reason: 'ORDER_PRICE_BELOW_SHIPPING',
            params: { shipping: yuan(shippingFen) },
            message: `The total cannot be below the shipping fee of ${shippingFen} fen; lower the fee too`,
          });
        const lines = (await repo.lines(tctx, [id], { lock: true })).get(id) ?? [];
        const base = lines.map((l) => {
          const kept = l.discountShares.filter((d) => d.source !== ADJUSTMENT_SOURCE);
          return { skuId: l.skuId, kept, payable: l.subtotalFen - sum(kept) };
        });
        const basePayable = base.reduce((n, b) => n + b.payable, 0);
        const itemsPayable = body.totalFen - shippingFen;
        if (itemsPayable > basePayable)
          throw new ConflictError({
            reason: 'ORDER_PRICE_ABOVE_CHECKOUT',
            params: { max: yuan(basePayable + shippingFen) },
            message: `The goods cannot cost more than checkout priced them at; at most ${basePayable + shippingFen} fen with this shipping fee`,
          });
        const adjustFen = basePayable - itemsPayable;
        const shares = allocate(
          adjustFen,
          base.map((b) => b.payable),
        );
        const newLines = base.map((b, i) => {
          const discountShares: Discount[] =
            shares[i]! > 0
              ? [...b.kept, { stage: 'adjustment', source: ADJUSTMENT_SOURCE, sourceId: null, fen: shares[i]! }]
              : b.kept;
          return { skuId: b.skuId, discountShares, discountFen: sum(discountShares) };
        });
        const discounts: OrderDiscount[] = [
          ...o.discounts.filter((d) => d.source !== ADJUSTMENT_SOURCE),
          ...(adjustFen > 0 ? [{ source: ADJUSTMENT_SOURCE, sourceId: 0, name: ADJUSTMENT_NAME, fen: adjustFen }] : []),
        ];
        const at = now();
        const written = await repo.reprice(
          tctx,
          id,
          { totalFen: body.totalFen, shippingFen, discountFen: o.itemsTotalFen - itemsPayable, discounts },
          newLines,
          at,
        );
        if (!written) throw new Error(`order ${id} left pending_payment while its row was locked`);
        const shippingNote =
          shippingFen === o.shippingFen ? '' : `（运费 ¥${yuan(o.shippingFen)} → ¥${yuan(shippingFen)}）`;
        await event(
          tctx,
          id,
          'price_adjusted',
          o.status,
          `¥${yuan(o.totalFen)} → ¥${yuan(body.totalFen)}${shippingNote} ${body.reason}`,
        );
        return { changed: true, toFen: body.totalFen, ...unchanged };
      });
    },

    /**
     * Where an order goes now, at the shopper's request, while it is not yet shipped (unpaid or paid): after shipping
     * the parcel is on its way and a new address is the carrier's business. Its shipping fee stays as placed (change an
     * unpaid order's price for that). In the context's transaction, with its row locked. Returns both addresses.
     */
    async changeAddress(
      ctx: TenantContext,
      id: number,
      body: ChangeOrderAddressBody,
    ): Promise<{ from: OrderAddress; to: OrderAddress; changed: boolean }> {
      return deps.tx.transaction(ctx, async (tctx) => {
        const o = await repo.byId(tctx, id, { lock: true });
        if (!o) throw new NotFoundError('ORDER_NOT_FOUND');
        if (!READDRESSABLE.includes(o.status))
          throw new ConflictError({
            reason: 'ORDER_ADDRESS_LOCKED',
            params: { status: o.status },
            message: `Only an order not yet shipped can go elsewhere; this one is ${o.status}`,
          });
        const to: OrderAddress = {
          id: o.address.id,
          name: body.name,
          phone: body.phone,
          regionCode: body.regionCode,
          province: body.province,
          city: body.city,
          district: body.district,
          detail: body.detail,
        };
        const same = (Object.keys(to) as Array<keyof OrderAddress>).every((k) => to[k] === o.address[k]);
        if (same) return { from: o.address, to, changed: false };
        await repo.readdress(tctx, id, to, READDRESSABLE, now());
        await event(
          tctx,
          id,
          'address_changed',
          o.status,
          `${to.name} ${to.province}${to.city}${to.district}${to.detail}${body.reason ? ` ${body.reason}` : ''}`,
        );
        return { from: o.address, to, changed: true };
      });
    },

    /** The ids of the shop's orders with these numbers, by number (a shipment import's rows). */
    idsByNumbers: (ctx: TenantContext, orderNos: string[]) => repo.idsByNumbers(ctx, orderNos),
  };
}

export type OrderOpsService = ReturnType<typeof orderOpsService>;
