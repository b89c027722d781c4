import type { Group, Order, Page, ShopGroupBuy } from '@shopfleet/contracts';
import { shopRequest } from '../request';

/**
 * GET /shops/:shopKey/group-buys?productId= — the product's running group-buy campaign (null when none), the open groups to
 * join (fewest seats left first), and the server's time for their countdowns.
 */
export function shopGroupBuy(productId: number): Promise<ShopGroupBuy> {
  return shopRequest<ShopGroupBuy>({ method: 'GET', path: '/group-buys', query: { productId } });
}

/** GET /shops/:shopKey/groups — the groups the shopper started or joined, newest first, a page at a time. */
export function myGroups(query: { page: number; pageSize: number }): Promise<Page<Group>> {
  return shopRequest<Page<Group>>({ method: 'GET', path: '/groups', query, auth: true });
}

/** GET /shops/:shopKey/groups/:id — a group: n / m joined, its members, its end, and whether this shopper can join. */
export function getGroup(id: number): Promise<Group> {
  return shopRequest<Group>({ method: 'GET', path: `/groups/${id}`, auth: true });
}

/** What buying in a group sends: the group to join (none starts one, as its leader), the SKU, how many, where, a remark. */
export interface GroupBuyRequest {
  groupId: number | null;
  skuId: number;
  quantity: number;
  addressId: number;
  remark: string;
}

/**
 * POST /shops/:shopKey/group-campaigns/:id/orders — start a group or take a seat in one; the order (201) is placed at
 * the group price and waits for payment, then for the group to form. `idempotencyKey` is the same for every retry of
 * one visit of the checkout, so a retry after a lost answer returns the order the first one placed.
 */
export function buyInGroup(campaignId: number, req: GroupBuyRequest, idempotencyKey: string): Promise<Order> {
  return shopRequest<Order>({
    method: 'POST',
    path: `/group-campaigns/${campaignId}/orders`,
    body: {
      ...(req.groupId === null ? {} : { groupId: req.groupId }),
      skuId: req.skuId,
      quantity: req.quantity,
      addressId: req.addressId,
      remark: req.remark,
    },
    headers: { 'Idempotency-Key': idempotencyKey },
    auth: true,
  });
}
