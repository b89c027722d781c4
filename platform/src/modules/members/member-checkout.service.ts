import type { CheckoutPoints, MemberSettings } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { OrderMembership, PricingBatch, PricingInput, PricingPart } from '../orders';
import type { MembersRepository, StoredLevel } from './members.repository';
import type { PointsService } from './points.service';

/**
 * What points of a shop take off: `points` at `pointsPerYuan` points to ¥1, in whole fen (rounded down); and the points
 * that many fen cost (rounded up, so never more fen than the points pay for).
 */
export const fenForPoints = (points: number, pointsPerYuan: number) => Math.floor((points * 100) / pointsPerYuan);
export const pointsForFen = (fen: number, pointsPerYuan: number) => Math.ceil((fen * pointsPerYuan) / 100);

/**
 * Members at checkout and through an order's life: the pricing part (the level's member price at the `member` stage,
 * points at the `points` stage, read once per batch), and the order's membership (`OrderMembership`) for the workflows.
 * An order in a campaign (秒杀, 拼团) is priced by the campaign alone: no member price and no points.
 */
export function memberCheckoutService(deps: { repo: MembersRepository; points: PointsService }) {
  const { repo, points } = deps;

  async function pricing(ctx: TenantContext, batch: PricingBatch): Promise<PricingPart> {
    const priced = batch.inputs.filter((i) => !i.activity);
    if (priced.length === 0) return { calculators: [] };
    const shopperIds = [...new Set(priced.map((i) => i.shopperId))];
    const [settings, levels, members, spendable] = await Promise.all([
      points.settingsOf(ctx),
      repo.levels(ctx),
      repo.members(ctx, shopperIds),
      repo.spendable(ctx, shopperIds, batch.at),
    ]);
    const levelOf = (shopperId: number): StoredLevel | undefined => {
      const id = members.get(shopperId)?.levelId;
      return id === null || id === undefined ? undefined : levels.find((l) => l.id === id);
    };
    // What the points stage found for each order, by its input (the one object the order is priced with).
    const offers = new WeakMap<PricingInput, CheckoutPoints>();
    // Points of one shopper spread over the orders of a batch: each order may use what the ones before left.
    const left = new Map(spendable);
    return {
      calculators: [
        {
          stage: 'member',
          name: 'member-price',
          price(draft) {
            if (draft.input.activity) return;
            const level = levelOf(draft.input.shopperId);
            if (!level || level.discountPercent >= 100) return;
            draft.discount({
              source: 'member_price',
              sourceId: level.id,
              amountFen: Math.floor((draft.itemsPayableFen * (100 - level.discountPercent)) / 100),
            });
          },
        },
        {
          stage: 'points',
          name: 'points',
          price(draft) {
            if (draft.input.activity || !settings.pointsEnabled) return;
            const offer = pointsOffer(settings, left.get(draft.input.shopperId) ?? 0, draft.itemsPayableFen);
            if (draft.input.usePoints && offer.usableFen > 0) {
              const taken = draft.discount({ source: 'points', sourceId: null, amountFen: offer.usableFen });
              offer.used = pointsForFen(taken, settings.pointsPerYuan);
              left.set(draft.input.shopperId, offer.available - offer.used);
            }
            offers.set(draft.input, offer);
          },
        },
      ],
      nameOf(d) {
        if (d.source === 'member_price') return levels.find((l) => l.id === d.sourceId)?.name;
        if (d.source === 'points') return String(pointsForFen(d.fen, settings.pointsPerYuan));
        return undefined;
      },
      pointsFor: (input) => (settings.pointsEnabled && !input.activity ? (offers.get(input) ?? null) : null),
      pointsUsed: (input) => offers.get(input)?.used ?? 0,
    };
  }

  /** What the shopper's points may take off an order with `payableFen` left to pay: the shop's share of it at most. */
  function pointsOffer(settings: MemberSettings, available: number, payableFen: number): CheckoutPoints {
    const capFen = Math.floor((payableFen * settings.maxDeductPercent) / 100);
    const usableFen = Math.min(fenForPoints(available, settings.pointsPerYuan), capFen);
    return { available, usable: pointsForFen(usableFen, settings.pointsPerYuan), usableFen, used: 0 };
  }

  const membership: OrderMembership = {
    lockPoints: (tctx, shopperIds, at) => points.lockForPlacement(tctx, shopperIds, at),
    spendPoints: (tctx, placed, at) => points.spendForOrders(tctx, placed, at),
    orderPaid: (tctx, order) => points.orderPaid(tctx, order),
    orderRefunded: (tctx, orderId, amountFen) => points.orderRefunded(tctx, orderId, amountFen),
    orderClosed: (tctx, orderId, how) => points.orderClosed(tctx, orderId, how),
  };

  return { pricing, membership };
}

export type MemberCheckoutService = ReturnType<typeof memberCheckoutService>;
