import type { ActivityOffers, OrderLifecycleOffers } from '../orders';
import type { FlashService } from './flash.service';
import type { GroupBuysService } from './group-buys.service';
import type { OffersService } from './offers.service';

/** Checkout's campaigns (秒杀, 拼团) as one port: each order goes to the campaign of its kind. */
export function activityOffers(flash: FlashService, groups: GroupBuysService): ActivityOffers {
  const of = (kind: string) => (kind === 'flash_sale' ? flash.placement : groups.placement);
  return {
    take: (tctx, order, at) => of(order.activity.kind).take(tctx, order, at),
    async record(tctx, placed, at) {
      const flashes = placed.filter((p) => p.activity.kind === 'flash_sale');
      const grouped = placed.filter((p) => p.activity.kind === 'group_buy');
      if (flashes.length) await flash.placement.record(tctx, flashes, at);
      if (grouped.length) await groups.placement.record(tctx, grouped);
    },
  };
}

/**
 * What an order's end and its payment mean to marketing: its coupon and campaigns' figures, its flash sale (whose
 * session may take its units back), its group (whose seat it frees or pays).
 */
export function orderEnds(offers: OffersService, flash: FlashService, groups: GroupBuysService): OrderLifecycleOffers {
  return {
    async orderClosed(tctx, orderId, how) {
      await offers.orderClosed(tctx, orderId, how);
      await groups.orderClosed(tctx, orderId);
      return flash.orderClosed(tctx, orderId, how);
    },
    async orderPaid(tctx, orderId) {
      await offers.orderPaid(tctx, orderId);
      await flash.orderPaid(tctx, orderId);
      await groups.orderPaid(tctx, orderId);
    },
  };
}
