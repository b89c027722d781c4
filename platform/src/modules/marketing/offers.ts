import type { CouponScope, CouponUnusableReason } from '@shopfleet/contracts';
import { ConflictError, NotFoundError } from '../../kernel/errors';
import { yuan } from '../../kernel/money';
import { allocate, type PriceCalculator, type PricingDraft, type PricingInput } from '../orders';
import type { ItemLine } from '../orders';
import type { StoredCoupon } from './marketing.repository';
import type { RunningTimedItem, StoredPromotion, Tier } from './promotions.repository';

/** What pricing a batch of one shop's orders needs of marketing, read once for the batch. */
export interface OfferData {
  at: Date;
  /** The 满减/满折 running now, newest first (a line counts towards the newest that covers it). */
  reductions: StoredPromotion[];
  /** The 限时折扣 items running now for the batch's products. */
  timed: RunningTimedItem[];
  /** Each shopper's unused coupons not yet expired, soonest to expire first. */
  couponsOf: Map<number, StoredCoupon[]>;
  /** The coupons the orders name, whoever holds them and whatever their state. */
  named: Map<number, StoredCoupon>;
}

/** A coupon on one order: usable or why not, and what it takes off in its best combination with the promotions. */
export interface CouponOption {
  coupon: StoredCoupon;
  usable: boolean;
  reason: CouponUnusableReason | null;
  params: Record<string, string>;
  /** What the coupon itself takes off (0 when unusable). */
  couponFen: number;
  /** Whether the 满减/满折 still applies with it (a coupon that does not combine with them replaces them). */
  keepsReductions: boolean;
  /** Every discount of the order with it: 限时折扣, the 满减 it keeps, and its own. */
  orderFen: number;
}

/** How one order is priced: the 满减 kept or not, the coupon used, and each of the shopper's coupons as an option. */
export interface OfferPlan {
  keepsReductions: boolean;
  coupon: CouponOption | null;
  options: CouponOption[];
}

type Scoped = { scope: CouponScope; scopeIds: readonly number[]; excludedProductIds: readonly number[] };

/** Whether a line is in a scope: the whole shop, its products, or its categories (a line's category or an ancestor). */
export function covers(s: Scoped, line: Pick<ItemLine, 'productId' | 'categoryPath'>): boolean {
  if (s.excludedProductIds.includes(line.productId)) return false;
  if (s.scope === 'shop') return true;
  if (s.scope === 'products') return s.scopeIds.includes(line.productId);
  return line.categoryPath.some((c) => s.scopeIds.includes(c));
}

/** `percent` percent of `fen`, rounded down to the fen (exact past 2^53). */
export function percentOf(fen: number, percent: number): number {
  const product = fen * percent;
  return Number.isSafeInteger(product) ? Math.floor(product / 100) : Number((BigInt(fen) * BigInt(percent)) / 100n);
}

/** What a 限时折扣 item takes off one unit at `unitPriceFen`: down to its price, or its percent; never below 0. */
export function timedUnitOff(item: Pick<RunningTimedItem, 'priceFen' | 'discountPercent'>, unitPriceFen: number) {
  if (item.priceFen !== null) return Math.max(0, unitPriceFen - item.priceFen);
  return percentOf(unitPriceFen, item.discountPercent ?? 0);
}

/** The highest tier reached by `value` (fen or items), or null. Tiers rise strictly (the schema checks it). */
export function tierReached(tiers: readonly Tier[], value: number): Tier | null {
  let reached: Tier | null = null;
  for (const t of tiers) if (value >= t.threshold) reached = t;
  return reached;
}

/** What a tier takes off lines with `payableFen` left: its amount, or its percent of them; never more than they have. */
export function tierOff(t: Tier, payableFen: number): number {
  return Math.min(payableFen, t.amountOffFen ?? percentOf(payableFen, t.discountPercent ?? 0));
}

/** The 限时折扣 item for a line: the one for its SKU, else the one for its product. */
function timedItemFor(timed: readonly RunningTimedItem[], line: ItemLine): RunningTimedItem | undefined {
  return (
    timed.find((t) => t.skuId === line.skuId && t.productId === line.productId) ??
    timed.find((t) => t.skuId === null && t.productId === line.productId)
  );
}

/** A 满减 with the lines that count towards it (their indexes). */
interface ReductionGroup {
  promotion: StoredPromotion;
  lines: number[];
}

/** The lines of each 满减: each line counts towards the newest 满减 whose scope covers it. */
function reductionGroups(reductions: readonly StoredPromotion[], lines: readonly ItemLine[]): ReductionGroup[] {
  const groups = new Map<number, ReductionGroup>();
  for (const [i, line] of lines.entries()) {
    const p = reductions.find((r) => covers(r, line));
    if (!p) continue;
    const g = groups.get(p.id) ?? { promotion: p, lines: [] };
    g.lines.push(i);
    groups.set(p.id, g);
  }
  return [...groups.values()];
}

/** What each 满减 group takes off lines with these payables (0 below its first tier). */
function reductionOffs(groups: readonly ReductionGroup[], lines: readonly ItemLine[], payables: readonly number[]) {
  return groups.map((g) => {
    const payable = g.lines.reduce((n, i) => n + payables[i]!, 0);
    const value = g.promotion.basis === 'quantity' ? g.lines.reduce((n, i) => n + lines[i]!.quantity, 0) : payable;
    const tier = tierReached(g.promotion.tiers, value);
    return tier ? tierOff(tier, payable) : 0;
  });
}

const couponOrder = (a: CouponOption, b: CouponOption) =>
  b.orderFen - a.orderFen || a.coupon.validTo.getTime() - b.coupon.validTo.getTime() || a.coupon.id - b.coupon.id;

/**
 * The marketing calculators for a batch of orders, sharing one plan per order (by its PricingInput):
 *
 * 1. `timed-discounts` (promotion stage): each line at a 限时折扣 takes its unit discount × quantity, so a refund of
 *    some of its units returns their part exactly;
 * 2. `offers` (promotion stage): plans the order — what each 满减 would take (the highest tier its lines reach), and
 *    each of the shopper's coupons with it (or instead of it, for a coupon that does not combine with 满减), on
 *    what the lines have left — then picks the coupon asked for, or, when none is named, what saves the most (a tie:
 *    the coupon that expires first); takes the 满减 unless the coupon replaces it;
 * 3. `coupon` (coupon stage): takes the coupon off the lines it applies to.
 *
 * A coupon named that cannot be used fails that order alone: 404 COUPON_NOT_FOUND (not the shopper's), 409 COUPON_USED,
 * or 409 with why (threshold not met, out of scope, does not combine, not yet valid, expired).
 */
export function offerCalculators(data: OfferData) {
  const plans = new WeakMap<PricingInput, OfferPlan>();
  const timedLines = new WeakMap<PricingInput, Set<number>>();

  function evaluate(
    c: StoredCoupon,
    draft: PricingDraft,
    timedSet: ReadonlySet<number>,
    afterTimed: readonly number[],
    afterReductions: readonly number[],
    timedFen: number,
    reductionsFen: number,
  ): CouponOption {
    const no = (reason: CouponUnusableReason, params: Record<string, string> = {}): CouponOption => ({
      coupon: c,
      usable: false,
      reason,
      params,
      couponFen: 0,
      keepsReductions: true,
      orderFen: timedFen + reductionsFen,
    });
    if (data.at < c.validFrom) return no('COUPON_NOT_YET_VALID');
    if (data.at >= c.validTo) return no('COUPON_EXPIRED');
    const inScope = draft.lines.flatMap((l, i) => (covers(c, l) ? [i] : []));
    if (inScope.length === 0) return no('COUPON_OUT_OF_SCOPE');
    const eligible = c.combinesWith.includes('timed_discount') ? inScope : inScope.filter((i) => !timedSet.has(i));
    if (eligible.length === 0) return no('COUPON_NOT_COMBINABLE');
    const keepsReductions = c.combinesWith.includes('full_reduction');
    const payables = keepsReductions ? afterReductions : afterTimed;
    const base = eligible.reduce((n, i) => n + payables[i]!, 0);
    const off = couponOff(c, base);
    if (base < c.thresholdFen || off === 0)
      return no('COUPON_THRESHOLD_NOT_MET', { short: yuan(Math.max(1, c.thresholdFen - base)) });
    return {
      coupon: c,
      usable: true,
      reason: null,
      params: {},
      couponFen: off,
      keepsReductions,
      orderFen: timedFen + (keepsReductions ? reductionsFen : 0) + off,
    };
  }

  /** The lines a coupon takes from: in its scope, less those at a 限时价 when it does not combine with 限时折扣. */
  const couponApplies = (c: StoredCoupon, timedSet: ReadonlySet<number>) => (l: ItemLine, i: number) =>
    covers(c, l) && (c.combinesWith.includes('timed_discount') || !timedSet.has(i));

  function plan(draft: PricingDraft): OfferPlan {
    const { input } = draft;
    const timedSet = timedLines.get(input) ?? new Set<number>();
    const lines = draft.lines;
    const afterTimed = lines.map((l) => l.payableFen);
    const timedFen = lines.reduce((n, l) => n + l.discountFen, 0);
    const groups = reductionGroups(data.reductions, lines);
    const offs = reductionOffs(groups, lines, afterTimed);
    const afterReductions = [...afterTimed];
    for (const [k, g] of groups.entries()) {
      const shares = allocate(
        offs[k]!,
        afterTimed.map((p, i) => (g.lines.includes(i) ? p : 0)),
      );
      for (const [i, s] of shares.entries()) afterReductions[i]! -= s;
    }
    const reductionsFen = offs.reduce((n, o) => n + o, 0);
    const judge = (c: StoredCoupon) =>
      evaluate(c, draft, timedSet, afterTimed, afterReductions, timedFen, reductionsFen);

    const held = data.couponsOf.get(input.shopperId) ?? [];
    const options = held.map(judge).sort((a, b) => Number(b.usable) - Number(a.usable) || couponOrder(a, b));
    if (input.couponId === null) return { keepsReductions: true, coupon: null, options };
    if (input.couponId !== undefined) {
      const named = data.named.get(input.couponId);
      if (!named || named.shopperId !== input.shopperId) throw new NotFoundError('COUPON_NOT_FOUND');
      if (named.state === 'used')
        throw new ConflictError({ reason: 'COUPON_USED', message: 'This coupon was used by another order' });
      const option = judge(named);
      if (!option.usable) throw unusable(option);
      return { keepsReductions: option.keepsReductions, coupon: option, options };
    }
    // The best: the usable coupon that saves the most with the promotions, unless the promotions alone save more.
    const best = options.find((o) => o.usable);
    if (!best || best.orderFen < timedFen + reductionsFen) return { keepsReductions: true, coupon: null, options };
    return { keepsReductions: best.keepsReductions, coupon: best, options };
  }

  const calculators: PriceCalculator[] = [
    {
      stage: 'promotion',
      name: 'timed-discounts',
      price(draft) {
        if (data.timed.length === 0) return;
        const taken = new Set<number>();
        for (const [i, line] of draft.lines.entries()) {
          const item = timedItemFor(data.timed, line);
          if (!item) continue;
          const unitOff = timedUnitOff(item, line.unitPriceFen);
          if (unitOff === 0) continue;
          draft.discount({
            source: 'timed_discount',
            sourceId: item.promotionId,
            amountFen: unitOff * line.quantity,
            appliesTo: (_l, j) => j === i,
          });
          taken.add(i);
        }
        timedLines.set(draft.input, taken);
      },
    },
    {
      stage: 'promotion',
      name: 'offers',
      price(draft) {
        const chosen = plan(draft);
        plans.set(draft.input, chosen);
        if (!chosen.keepsReductions) return;
        for (const g of reductionGroups(data.reductions, draft.lines)) {
          const [off] = reductionOffs(
            [g],
            draft.lines,
            draft.lines.map((l) => l.payableFen),
          );
          if (!off) continue;
          draft.discount({
            source: 'full_reduction',
            sourceId: g.promotion.id,
            amountFen: off,
            appliesTo: (_l, i) => g.lines.includes(i),
          });
        }
      },
    },
    {
      stage: 'coupon',
      name: 'coupon',
      price(draft) {
        const chosen = plans.get(draft.input)?.coupon;
        if (!chosen) return;
        const applies = couponApplies(chosen.coupon, timedLines.get(draft.input) ?? new Set());
        const base = draft.lines.reduce((n, l, i) => n + (applies(l, i) ? l.payableFen : 0), 0);
        draft.discount({
          source: 'coupon',
          sourceId: chosen.coupon.id,
          amountFen: couponOff(chosen.coupon, base),
          appliesTo: applies,
        });
      },
    },
  ];

  return {
    calculators,
    /** The plan an order was priced with (after it was priced). */
    planOf: (input: PricingInput): OfferPlan | undefined => plans.get(input),
  };
}

/** What a coupon takes off lines with `base` left to pay: its amount, or its percent capped; never more than `base`. */
export function couponOff(
  c: Pick<StoredCoupon, 'kind' | 'amountOffFen' | 'discountPercent' | 'maxOffFen'>,
  base: number,
): number {
  if (c.kind === 'percent_off') {
    const off = percentOf(base, c.discountPercent ?? 0);
    return c.maxOffFen === null ? off : Math.min(off, c.maxOffFen);
  }
  return Math.min(base, c.amountOffFen ?? 0);
}

function unusable(o: CouponOption): ConflictError {
  const messages: Record<CouponUnusableReason, string> = {
    COUPON_THRESHOLD_NOT_MET: `Spend ¥${o.params.short} more to use this coupon`,
    COUPON_OUT_OF_SCOPE: 'Nothing in this order is covered by this coupon',
    COUPON_NOT_COMBINABLE: 'This coupon does not combine with the offers this order has',
    COUPON_NOT_YET_VALID: 'This coupon cannot be used yet',
    COUPON_EXPIRED: 'This coupon has expired',
  };
  const reason = o.reason!;
  return reason === 'COUPON_THRESHOLD_NOT_MET'
    ? new ConflictError({ reason, params: { short: o.params.short! }, message: messages[reason] })
    : new ConflictError({ reason, message: messages[reason] });
}
