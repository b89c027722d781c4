import type { CheckoutCoupon } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { AppError, ConflictError, NotFoundError } from '../../kernel/errors';
import type {
  Discount,
  DiscountSource,
  OrderLifecycleOffers,
  OrderOffers,
  PlacedWithDiscounts,
  PricingBatch,
  PricingDraft,
  PricingPart,
} from '../orders';
import type { CampaignKind, CampaignOrder, CampaignOrdersRepository } from './campaign-orders.repository';
import { couponView } from './coupons.service';
import type { MarketingRepository, StoredCoupon } from './marketing.repository';
import { offerCalculators } from './offers';
import type { PromotionsRepository } from './promotions.repository';

export interface OffersDeps {
  coupons: MarketingRepository;
  promotions: PromotionsRepository;
  campaigns: CampaignOrdersRepository;
}

const CAMPAIGN_KINDS: ReadonlySet<string> = new Set<CampaignKind>(['coupon', 'full_reduction', 'timed_discount']);

/**
 * Marketing at checkout and after: the pricing part (限时折扣, 满减/满折 and coupons, read fresh for each batch — a
 * promotion that has ended is never charged), holding and using coupons as orders are written, and following the orders
 * (paid, closed) for the coupons' return and the campaigns' figures.
 */
export function offersService(deps: OffersDeps) {
  /** The pricing part for a batch: what it reads, once, for all the batch's orders. */
  async function pricing(ctx: TenantContext, batch: PricingBatch): Promise<PricingPart> {
    const shopperIds = [...new Set(batch.inputs.map((i) => i.shopperId))];
    const namedIds = batch.inputs.flatMap((i) => (typeof i.couponId === 'number' ? [i.couponId] : []));
    const [reductions, timed, unused, named] = await Promise.all([
      deps.promotions.runningReductions(ctx, batch.at),
      deps.promotions.runningTimedItems(ctx, [...batch.productIds], batch.at),
      deps.coupons.unusedOf(ctx, shopperIds, batch.at),
      deps.coupons.couponsByIds(ctx, namedIds),
    ]);
    const couponsOf = new Map<number, StoredCoupon[]>();
    for (const c of unused) couponsOf.set(c.shopperId, [...(couponsOf.get(c.shopperId) ?? []), c]);
    const offers = offerCalculators({
      at: batch.at,
      reductions,
      timed,
      couponsOf,
      named: new Map(named.map((c) => [c.id, c])),
    });
    const names = new Map<string, string>([
      ...reductions.map((p): [string, string] => [`full_reduction:${p.id}`, p.name]),
      ...timed.map((t): [string, string] => [`timed_discount:${t.promotionId}`, t.name]),
      ...[...unused, ...named].map((c): [string, string] => [`coupon:${c.id}`, c.name]),
    ]);
    return {
      // An order in a campaign (秒杀) is priced by the campaign alone: no 限时折扣, 满减 or coupon on top of it.
      calculators: offers.calculators.map((c) => ({
        ...c,
        price: (draft: PricingDraft) => (draft.input.activity ? undefined : c.price(draft)),
      })),
      nameOf: (d: DiscountSource) => names.get(`${d.source}:${d.sourceId}`),
      couponsFor(input): CheckoutCoupon[] {
        return (offers.planOf(input)?.options ?? []).map((o) => ({
          coupon: couponView(o.coupon, batch.at),
          usable: o.usable,
          discountFen: o.couponFen,
          reason: o.reason,
          params: o.params,
        }));
      },
    };
  }

  const hold: OrderOffers['hold'] = async (tctx, uses, at) => {
    const rows = await deps.coupons.lockForUse(
      tctx,
      uses.map((u) => u.couponId),
    );
    const problems = new Map<number, AppError>();
    for (const u of uses) {
      const c = rows.get(u.couponId);
      if (!c || c.shopperId !== u.shopperId) problems.set(u.couponId, new NotFoundError('COUPON_NOT_FOUND'));
      else if (c.state === 'used')
        problems.set(
          u.couponId,
          new ConflictError({ reason: 'COUPON_USED', message: 'This coupon was used by another order' }),
        );
      else if (at >= c.validTo)
        problems.set(u.couponId, new ConflictError({ reason: 'COUPON_EXPIRED', message: 'This coupon has expired' }));
      else if (at < c.validFrom)
        problems.set(
          u.couponId,
          new ConflictError({ reason: 'COUPON_NOT_YET_VALID', message: 'This coupon cannot be used yet' }),
        );
    }
    return problems;
  };

  /** Each order's campaigns: its discounts summed by campaign (a coupon counts for its template). */
  function campaignRows(placed: PlacedWithDiscounts[], templateOf: Map<number, number>): CampaignOrder[] {
    const rows = new Map<string, CampaignOrder>();
    for (const p of placed)
      for (const d of p.discounts as Discount[]) {
        if (!CAMPAIGN_KINDS.has(d.source) || d.sourceId === null) continue;
        const kind = d.source as CampaignKind;
        const campaignId = kind === 'coupon' ? templateOf.get(d.sourceId) : d.sourceId;
        if (campaignId === undefined) continue;
        const key = `${p.orderId}:${kind}:${campaignId}`;
        const row = rows.get(key);
        if (row) row.discountFen += d.fen;
        else rows.set(key, { orderId: p.orderId, kind, campaignId, discountFen: d.fen, orderTotalFen: p.totalFen });
      }
    return [...rows.values()];
  }

  const record: OrderOffers['record'] = async (tctx, placed, at) => {
    const uses = placed.flatMap((p) =>
      p.discounts
        .filter((d) => d.source === 'coupon' && d.sourceId !== null)
        .map((d) => ({ couponId: d.sourceId!, orderId: p.orderId })),
    );
    const locked = await deps.coupons.lockForUse(
      tctx,
      uses.map((u) => u.couponId),
    );
    // Held under lock since `hold`: each is still unused. Anything else would give one coupon to two orders.
    if ((await deps.coupons.markUsed(tctx, uses, at)) !== uses.length)
      throw new Error('a coupon held for an order was no longer unused');
    const templateOf = new Map([...locked].map(([id, c]) => [id, c.templateId]));
    await deps.campaigns.insert(tctx, campaignRows(placed, templateOf), at);
  };

  const lifecycle: OrderLifecycleOffers = {
    async orderClosed(tctx, orderId, how) {
      await deps.coupons.giveBack(tctx, orderId, how.paid ? how.at : null);
      await deps.campaigns.setState(tctx, orderId, 'closed');
      return false;
    },
    async orderPaid(tctx, orderId) {
      await deps.campaigns.setState(tctx, orderId, 'paid');
    },
  };

  return { pricing, placement: { hold, record } satisfies OrderOffers, ...lifecycle };
}

export type OffersService = ReturnType<typeof offersService>;
