import fc from 'fast-check';
import { AppError } from '../../kernel/errors';
import { pricingPipeline, type ItemLine, type PriceCalculator, type PricingInput } from '../orders/pricing';
import type { StoredCoupon } from './marketing.repository';
import { couponOff, covers, offerCalculators, percentOf, tierReached, type OfferData } from './offers';
import type { RunningTimedItem, StoredPromotion } from './promotions.repository';

const AT = new Date('2026-12-06T04:00:00Z');
const DAY = 86_400_000;

/** Lines of products 1…n; product p sits in category (p % 3) + 1 under root 10. */
interface CartLine {
  productId: number;
  unitPriceFen: number;
  quantity: number;
}

const lineOf = (l: CartLine, i: number): ItemLine => ({
  skuId: 100 + i,
  productId: l.productId,
  categoryId: (l.productId % 3) + 1,
  categoryPath: [10, (l.productId % 3) + 1],
  unitPriceFen: l.unitPriceFen,
  quantity: l.quantity,
});

const items = (cart: CartLine[]): PriceCalculator => ({
  stage: 'items',
  name: 'test-items',
  price(draft) {
    cart.forEach((l, i) => draft.addLine(lineOf(l, i)));
  },
});

const scopeArb = fc.oneof(
  fc.constant({ scope: 'shop' as const, scopeIds: [] as number[] }),
  fc.record({
    scope: fc.constant('products' as const),
    scopeIds: fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    scope: fc.constant('categories' as const),
    scopeIds: fc.uniqueArray(fc.constantFrom(1, 2, 3, 10), { minLength: 1, maxLength: 2 }),
  }),
);

const cartArb = fc.array(
  fc.record({
    productId: fc.integer({ min: 1, max: 6 }),
    unitPriceFen: fc.oneof(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom(1, 333, 999)),
    quantity: fc.integer({ min: 1, max: 5 }),
  }),
  { minLength: 1, maxLength: 6 },
);

const couponArb = fc
  .record({
    kind: fc.constantFrom('amount_off' as const, 'percent_off' as const, 'no_threshold' as const),
    amount: fc.integer({ min: 1, max: 10_000 }),
    over: fc.integer({ min: 1, max: 30_000 }),
    percent: fc.integer({ min: 1, max: 99 }),
    cap: fc.option(fc.integer({ min: 1, max: 5_000 }), { nil: null }),
    scope: scopeArb,
    excluded: fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { maxLength: 2 }),
    combinesWith: fc.subarray(['full_reduction', 'timed_discount'] as const),
    validity: fc.constantFrom('valid', 'valid', 'valid', 'later'),
  })
  .map((c): Omit<StoredCoupon, 'id'> => ({
    name: 'c',
    kind: c.kind,
    thresholdFen: c.kind === 'amount_off' ? c.amount + c.over : c.kind === 'percent_off' ? c.over - 1 : 0,
    amountOffFen: c.kind === 'percent_off' ? null : c.amount,
    discountPercent: c.kind === 'percent_off' ? c.percent : null,
    maxOffFen: c.kind === 'percent_off' ? c.cap : null,
    scope: c.scope.scope,
    scopeIds: c.scope.scopeIds,
    excludedProductIds: c.excluded,
    combinesWith: [...c.combinesWith],
    templateId: 1,
    shopperId: 1,
    state: 'unused',
    validFrom: c.validity === 'later' ? new Date(AT.getTime() + DAY) : new Date(AT.getTime() - DAY),
    validTo: new Date(AT.getTime() + 7 * DAY),
    orderId: null,
    claimedAt: new Date(AT.getTime() - DAY),
    usedAt: null,
  }));

const reductionArb = fc
  .record({
    basis: fc.constantFrom('amount' as const, 'quantity' as const),
    steps: fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 3 }),
    percent: fc.boolean(),
    scope: scopeArb,
  })
  .map(({ basis, steps, percent, scope }): Omit<StoredPromotion, 'id'> => {
    const sorted = [...steps].sort((x, y) => x - y);
    return {
      kind: 'full_reduction',
      name: 'fr',
      startsAt: new Date(AT.getTime() - DAY),
      endsAt: new Date(AT.getTime() + DAY),
      status: 'running',
      basis,
      tiers: sorted.map((n, i) => ({
        threshold: basis === 'amount' ? n * 1_000 : n,
        amountOffFen: percent ? null : (basis === 'amount' ? n * 100 : n * 50) + i,
        discountPercent: percent ? Math.min(99, 5 * (i + 1)) : null,
      })),
      scope: scope.scope,
      scopeIds: scope.scopeIds,
      excludedProductIds: [],
      tag: '',
      items: [],
      createdAt: AT,
    };
  });

const timedArb = fc.uniqueArray(
  fc.record({
    productId: fc.integer({ min: 1, max: 6 }),
    price: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: null }),
    percent: fc.integer({ min: 1, max: 99 }),
  }),
  { selector: (t) => t.productId, maxLength: 3 },
);

const dataArb = fc.record({
  cart: cartArb,
  coupons: fc.array(couponArb, { maxLength: 5 }),
  reductions: fc.array(reductionArb, { maxLength: 2 }),
  timed: timedArb,
});

function build(d: {
  coupons: Array<Omit<StoredCoupon, 'id'>>;
  reductions: Array<Omit<StoredPromotion, 'id'>>;
  timed: Array<{ productId: number; price: number | null; percent: number }>;
}): { data: OfferData; coupons: StoredCoupon[] } {
  const coupons = d.coupons.map((c, i) => ({ ...c, id: i + 1 }));
  const timed: RunningTimedItem[] = d.timed.map((t, i) => ({
    promotionId: 500 + i,
    name: 't',
    tag: '',
    endsAt: new Date(AT.getTime() + DAY),
    productId: t.productId,
    skuId: null,
    priceFen: t.price,
    discountPercent: t.price === null ? t.percent : null,
  }));
  return {
    coupons,
    data: {
      at: AT,
      reductions: d.reductions.map((r, i) => ({ ...r, id: 900 - i })),
      timed,
      couponsOf: new Map([[1, coupons]]),
      named: new Map(coupons.map((c) => [c.id, c])),
    },
  };
}

async function price(cart: CartLine[], data: OfferData, couponId?: number | null) {
  const offers = offerCalculators(data);
  const input: PricingInput = {
    shopperId: 1,
    regionCode: '310101',
    lines: cart.map((_, i) => ({ skuId: 100 + i, quantity: 1 })),
    couponId,
  };
  const priced = await pricingPipeline([items(cart), ...offers.calculators]).price(input);
  return { priced, plan: offers.planOf(input)! };
}

describe('offers through the pricing pipeline', () => {
  it('over random carts, promotions and coupons: the default is the best choice, each option says what pricing with it gives, and money adds up', async () => {
    await fc.assert(
      fc.asyncProperty(dataArb, async (d) => {
        const { data, coupons } = build(d);
        const best = await price(d.cart, data);
        const { priced, plan } = best;
        // Money: lines never below 0, the totals add up, each discount's shares sum to it.
        for (const l of priced.lines) expect(l.payableFen).toBeGreaterThanOrEqual(0);
        expect(priced.lines.reduce((n, l) => n + l.payableFen, 0)).toBe(priced.itemsTotalFen - priced.discountFen);
        expect(priced.discounts.reduce((n, x) => n + x.fen, 0)).toBe(priced.discountFen);
        // At most one coupon, and the one the plan chose.
        const used = priced.discounts.filter((x) => x.source === 'coupon');
        expect(used.length).toBeLessThanOrEqual(1);
        expect(used[0]?.sourceId ?? null).toBe(plan.coupon?.coupon.id ?? null);
        // Without a coupon.
        const none = await price(d.cart, data, null);
        expect(none.priced.discounts.some((x) => x.source === 'coupon')).toBe(false);
        expect(priced.discountFen).toBeGreaterThanOrEqual(none.priced.discountFen);
        for (const c of coupons) {
          const option = plan.options.find((o) => o.coupon.id === c.id)!;
          if (!option.usable) {
            // Asked for, an unusable coupon is refused with the reason the list gave.
            const refused = await price(d.cart, data, c.id).catch((e: unknown) => e);
            expect(refused).toBeInstanceOf(AppError);
            expect((refused as AppError).reason).toBe(option.reason);
            continue;
          }
          const withIt = await price(d.cart, data, c.id);
          // What the list says this coupon gives is what pricing with it gives, and never more than the default.
          expect(withIt.priced.discountFen).toBe(option.orderFen);
          expect(withIt.priced.discounts.find((x) => x.source === 'coupon')?.fen ?? 0).toBe(option.couponFen);
          expect(priced.discountFen).toBeGreaterThanOrEqual(withIt.priced.discountFen);
          // A coupon that does not combine with 满减 is never priced with one.
          if (!c.combinesWith.includes('full_reduction'))
            expect(withIt.priced.discounts.some((x) => x.source === 'full_reduction')).toBe(false);
          // Nor on a line at a 限时价 when it does not combine with 限时折扣.
          if (!c.combinesWith.includes('timed_discount'))
            for (const l of withIt.priced.lines)
              if (l.discounts.some((x) => x.source === 'timed_discount'))
                expect(l.discounts.some((x) => x.source === 'coupon')).toBe(false);
          // And only on lines in its scope.
          for (const l of withIt.priced.lines)
            if (l.discounts.some((x) => x.source === 'coupon')) expect(covers(c, l)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('the rules of one offer', () => {
  it.each([
    [10_000, 15, 1_500],
    [333, 15, 49],
    [1, 99, 0],
    [2 ** 52, 50, 2 ** 51],
  ])('%p fen at %p percent is %p fen, rounded down', (fen, pct, out) => {
    expect(percentOf(fen, pct)).toBe(out);
  });

  it('a percent coupon is capped; an amount is capped at what is left', () => {
    const pct = { kind: 'percent_off' as const, amountOffFen: null, discountPercent: 20, maxOffFen: 1_000 };
    expect(couponOff(pct, 10_000)).toBe(1_000);
    expect(couponOff({ ...pct, maxOffFen: null }, 10_000)).toBe(2_000);
    expect(couponOff({ kind: 'amount_off', amountOffFen: 5_000, discountPercent: null, maxOffFen: null }, 3_000)).toBe(
      3_000,
    );
  });

  it('the highest tier reached applies', () => {
    const tiers = [
      { threshold: 100, amountOffFen: 10, discountPercent: null },
      { threshold: 200, amountOffFen: 30, discountPercent: null },
    ];
    expect(tierReached(tiers, 99)).toBeNull();
    expect(tierReached(tiers, 100)?.amountOffFen).toBe(10);
    expect(tierReached(tiers, 250)?.amountOffFen).toBe(30);
  });

  it('scopes: categories cover their descendants; exclusions win', () => {
    const line = { productId: 4, categoryPath: [10, 2] };
    expect(covers({ scope: 'categories', scopeIds: [10], excludedProductIds: [] }, line)).toBe(true);
    expect(covers({ scope: 'categories', scopeIds: [3], excludedProductIds: [] }, line)).toBe(false);
    expect(covers({ scope: 'shop', scopeIds: [], excludedProductIds: [4] }, line)).toBe(false);
    expect(covers({ scope: 'products', scopeIds: [4], excludedProductIds: [] }, line)).toBe(true);
  });
});
