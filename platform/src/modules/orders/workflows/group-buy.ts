import type { GroupBuyBody, Order } from '@shopfleet/contracts';
import type { RequestContext, TenantContext } from '../../../kernel/context';
import type { GroupBuysService, GroupEnd } from '../../marketing';
import type { TenantsService } from '../../tenants';
import type { CancelOrderWorkflow } from './cancel-order';
import type { PlaceOrderWorkflow } from './place-order';
import { reservationOf } from './reservation';

export interface GroupBuyDeps {
  groups: Pick<GroupBuysService, 'end' | 'due'>;
  tenants: Pick<TenantsService, 'forEachId'>;
  placeOrder: Pick<PlaceOrderWorkflow, 'place'>;
  cancelOrder: Pick<CancelOrderWorkflow, 'byCampaign'>;
}

/** Why a group's orders were closed, on their timelines. */
const GROUP_FAILED = '拼团未成团';
const SEAT_LOST = '拼团已结束，未支付的席位失效';

/**
 * 拼团, the work that spans modules:
 *
 * - buying: the order is placed through checkout at the group price (the `activity` stage), where marketing starts the
 *   group or takes a seat of it in the placement's transaction (the last seat to one shopper), and the order waits for
 *   the group to form before it ships;
 * - a group's end (its job, or the sweep every minute): marketing decides — formed (virtual fill) or failed — then
 *   orders: each of its orders to close is cancelled, a paid one refunded in full through its payment. Each close is
 *   once (the order leaves its state once), so a retry, or a sweep after a crash midway, refunds nobody twice.
 */
export function groupBuyWorkflow(deps: GroupBuyDeps) {
  async function end(ctx: TenantContext, groupId: number): Promise<GroupEnd & { closed: number }> {
    const decided = await deps.groups.end(ctx, groupId);
    let closed = 0;
    for (const orderId of decided.close)
      if (await deps.cancelOrder.byCampaign(ctx, orderId, decided.outcome === 'failed' ? GROUP_FAILED : SEAT_LOST))
        closed++;
    return { ...decided, closed };
  }

  return {
    async buy(ctx: TenantContext, campaignId: number, body: GroupBuyBody, key: string): Promise<Order> {
      const reservation = reservationOf(ctx, `g${campaignId}`, key);
      return deps.placeOrder.place(
        ctx,
        {
          fromCart: false,
          items: [{ skuId: body.skuId, quantity: body.quantity }],
          addressId: body.addressId,
          remark: body.remark,
          couponId: null,
          usePoints: false,
        },
        key,
        {
          kind: 'group_buy',
          id: campaignId,
          groupId: body.groupId ?? null,
          reservation,
          paymentWindowMinutes: null,
          ownStock: false,
        },
      );
    },

    end,

    /** Every shop's groups due to end (lost jobs), and failed groups with orders still to close. */
    async sweep(ctx: RequestContext): Promise<{ ended: number; closed: number }> {
      const totals = { ended: 0, closed: 0 };
      await deps.tenants.forEachId(['active', 'suspended', 'pending_review'], async (tenantId) => {
        const tctx: TenantContext = { ...ctx, tenantId };
        for (const id of await deps.groups.due(tctx)) {
          const r = await end(tctx, id);
          if (r.outcome !== 'nothing') totals.ended++;
          totals.closed += r.closed;
        }
      });
      return totals;
    },
  };
}

export type GroupBuyWorkflow = ReturnType<typeof groupBuyWorkflow>;
