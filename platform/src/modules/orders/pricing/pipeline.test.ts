import fc from 'fast-check';
import { pricingPipeline } from './pipeline';
import {
  DISCOUNT_STAGES,
  PRICING_STAGES,
  type DiscountStage,
  type ItemLine,
  type PriceCalculator,
  type PricedOrder,
  type PricingInput,
} from './pricing.types';

type Cart = Array<{ unitPriceFen: number; quantity: number; categoryId: number }>;
interface Ask {
  stage: DiscountStage;
  amountFen: number;
  /** Applies to the lines of this category only; every line when null. */
  categoryId: number | null;
}

const input = (cart: Cart): PricingInput => ({
  shopperId: 1,
  regionCode: '310101',
  lines: cart.map((l, i) => ({ skuId: i + 1, quantity: l.quantity })),
});

/** A line of SKU `skuId` (product 100 + skuId − 1). */
const line = (skuId: number, unitPriceFen: number, quantity: number, categoryId: number | null = null): ItemLine => ({
  skuId,
  productId: 99 + skuId,
  categoryId,
  categoryPath: categoryId === null ? [] : [categoryId],
  unitPriceFen,
  quantity,
});

const items = (cart: Cart): PriceCalculator => ({
  stage: 'items',
  name: 'test-items',
  price(draft) {
    for (const [i, l] of cart.entries()) draft.addLine(line(i + 1, l.unitPriceFen, l.quantity, l.categoryId));
  },
});

const shipping = (fen: number): PriceCalculator => ({
  stage: 'shipping',
  name: 'test-shipping',
  async price(draft) {
    await Promise.resolve();
    draft.setShipping(fen);
  },
});

/** A discount calculator that also checks, as it runs, that it took what it asked for or all its lines had left. */
function discounting(
  ask: Ask,
  sourceId: number,
  seen: Array<{ sourceId: number; asked: number; available: number; taken: number }>,
): PriceCalculator {
  const appliesTo = ask.categoryId === null ? undefined : (l: ItemLine) => l.categoryId === ask.categoryId;
  return {
    stage: ask.stage,
    name: `test-${ask.stage}-${sourceId}`,
    price(draft) {
      const available = draft.lines.filter((l) => !appliesTo || appliesTo(l)).reduce((n, l) => n + l.payableFen, 0);
      const taken = draft.discount({ source: ask.stage, sourceId, amountFen: ask.amountFen, appliesTo });
      seen.push({ sourceId, asked: ask.amountFen, available, taken });
    },
  };
}

const rank = (s: string) => (PRICING_STAGES as readonly string[]).indexOf(s);

const cartArb = fc.array(
  fc.record({
    unitPriceFen: fc.oneof(
      fc.integer({ min: 0, max: 2_000 }),
      fc.integer({ min: 1, max: 100_000_000_00 }),
      fc.constantFrom(1, 333, 999),
    ),
    quantity: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 99 })),
    categoryId: fc.integer({ min: 1, max: 4 }),
  }),
  { minLength: 1, maxLength: 50 },
);
const askArb = fc.record({
  stage: fc.constantFrom(...DISCOUNT_STAGES),
  amountFen: fc.oneof(
    fc.integer({ min: 0, max: 1_000 }),
    fc.integer({ min: 0, max: 100_000_00 }),
    fc.integer({ min: 0, max: 1_000_000_000_000_00 }),
  ),
  categoryId: fc.option(fc.integer({ min: 1, max: 4 }), { freq: 2 }),
});
/** Several discounts, stacked in stage order (the pipeline refuses any other). */
const asksArb = fc
  .array(askArb, { maxLength: 8 })
  .map((asks) => [...asks].sort((a, b) => rank(a.stage) - rank(b.stage)));

async function priceWith(cart: Cart, asks: Ask[], shippingFen: number) {
  const seen: Array<{ sourceId: number; asked: number; available: number; taken: number }> = [];
  const pipeline = pricingPipeline([
    items(cart),
    ...asks.map((a, i) => discounting(a, i, seen)),
    shipping(shippingFen),
  ]);
  return { order: await pipeline.price(input(cart)), seen };
}

describe('the pricing pipeline', () => {
  it('over thousands of random carts and stacked discounts: shares sum to each discount, no line below 0, totals add up', async () => {
    await fc.assert(
      fc.asyncProperty(cartArb, asksArb, fc.integer({ min: 0, max: 5_000 }), async (cart, asks, shippingFen) => {
        const { order, seen } = await priceWith(cart, asks, shippingFen);
        // Each discount took what it asked, capped at what its lines had left; shares on its lines only, summing to it.
        for (const s of seen) {
          expect(s.taken).toBe(Math.min(s.asked, s.available));
          const shares = order.lines.flatMap((l) =>
            l.discounts.filter((d) => d.sourceId === s.sourceId).map((d) => ({ d, l })),
          );
          expect(shares.reduce((n, { d }) => n + d.fen, 0)).toBe(s.taken);
          const ask = asks[s.sourceId]!;
          expect(
            shares.every(
              ({ d, l }) =>
                d.fen > 0 && d.stage === ask.stage && (ask.categoryId === null || l.categoryId === ask.categoryId),
            ),
          ).toBe(true);
          const whole =
            s.taken > 0 ? [{ stage: ask.stage, source: ask.stage, sourceId: s.sourceId, fen: s.taken }] : [];
          expect(order.discounts.filter((d) => d.sourceId === s.sourceId)).toEqual(whole);
        }
        for (const [i, l] of order.lines.entries()) {
          expect(l.subtotalFen).toBe(cart[i]!.unitPriceFen * cart[i]!.quantity);
          expect(l.discountFen).toBe(l.discounts.reduce((n, d) => n + d.fen, 0));
          expect(l.payableFen).toBe(l.subtotalFen - l.discountFen);
          expect(l.payableFen).toBeGreaterThanOrEqual(0);
        }
        const sum = (xs: number[]) => xs.reduce((n, x) => n + x, 0);
        expect(order.itemsTotalFen).toBe(sum(order.lines.map((l) => l.subtotalFen)));
        expect(order.discountFen).toBe(sum(order.discounts.map((d) => d.fen)));
        expect(order.itemsPayableFen).toBe(sum(order.lines.map((l) => l.payableFen)));
        expect(order.itemsPayableFen).toBe(order.itemsTotalFen - order.discountFen);
        expect(order.shippingFen).toBe(shippingFen);
        expect(order.totalFen).toBe(order.itemsTotalFen - order.discountFen + order.shippingFen);
        // Pricing is deterministic: the same cart and discounts, the same shares.
        expect((await priceWith(cart, asks, shippingFen)).order).toEqual(order);
      }),
      { numRuns: 3_000 },
    );
  });

  it('splits a stacked discount over what the earlier stages left: a promotion on one line, then a coupon on the order', async () => {
    const cart = [
      { unitPriceFen: 1000, quantity: 1, categoryId: 1 },
      { unitPriceFen: 1500, quantity: 2, categoryId: 2 },
    ];
    const { order } = await priceWith(
      cart,
      [
        { stage: 'promotion', amountFen: 1000, categoryId: 2 },
        { stage: 'coupon', amountFen: 300, categoryId: null },
      ],
      800,
    );
    expect(order.lines.map((l) => [l.subtotalFen, l.discounts.map((d) => [d.stage, d.fen]), l.payableFen])).toEqual([
      [1000, [['coupon', 100]], 900],
      [
        3000,
        [
          ['promotion', 1000],
          ['coupon', 200],
        ],
        1800,
      ],
    ]);
    expect(order).toMatchObject({
      itemsTotalFen: 4000,
      discountFen: 1300,
      itemsPayableFen: 2700,
      shippingFen: 800,
      totalFen: 3500,
    });
  });

  it('a coupon for one category is split over that category only, and capped at what those lines cost', async () => {
    const cart = [
      { unitPriceFen: 333, quantity: 1, categoryId: 1 },
      { unitPriceFen: 5000, quantity: 1, categoryId: 2 },
      { unitPriceFen: 333, quantity: 2, categoryId: 1 },
    ];
    const { order } = await priceWith(cart, [{ stage: 'coupon', amountFen: 1000, categoryId: 1 }], 0);
    expect(order.lines.map((l) => l.discountFen)).toEqual([333, 0, 666]);
    expect(order.discounts).toEqual([{ stage: 'coupon', source: 'coupon', sourceId: 0, fen: 999 }]);
    expect(order.totalFen).toBe(5000);
  });

  it('without discounts, prices as items total plus shipping', async () => {
    const { order } = await priceWith([{ unitPriceFen: 1999, quantity: 3, categoryId: 1 }], [], 1000);
    expect(order).toEqual({
      lines: [{ ...line(1, 1999, 3, 1), subtotalFen: 5997, discounts: [], discountFen: 0, payableFen: 5997 }],
      itemsTotalFen: 5997,
      discounts: [],
      discountFen: 0,
      itemsPayableFen: 5997,
      shippingFen: 1000,
      totalFen: 6997,
    } satisfies PricedOrder);
  });

  it('carries the caller’s own line fields through untouched', async () => {
    const pipeline = pricingPipeline<ItemLine & { title: string }>([
      { stage: 'items', name: 'shown', price: (d) => d.addLine({ ...line(1, 10, 1), title: '茶' }) },
    ]);
    const order = await pipeline.price(input([]));
    expect(order.lines[0]!.title).toBe('茶');
    expect(order.shippingFen).toBe(0);
  });

  describe('the stages are enforced', () => {
    const oneFen = { source: 'x', sourceId: null, amountFen: 1 };
    const noop = (stage: PriceCalculator['stage'], name: string = stage): PriceCalculator => ({
      stage,
      name,
      price: () => undefined,
    });

    it('refuses a list out of stage order, naming both calculators', () => {
      expect(() =>
        pricingPipeline([
          noop('items'),
          noop('coupon', 'coupons'),
          noop('promotion', 'full-reduction'),
          noop('shipping'),
        ]),
      ).toThrow(/full-reduction \(promotion\) is listed after coupons \(coupon\)/);
      expect(() => pricingPipeline([noop('shipping'), noop('items')])).toThrow(
        /items \(items\) is listed after shipping/,
      );
      expect(() => pricingPipeline([noop('discount' as PriceCalculator['stage'])])).toThrow(/has no stage/);
    });

    it('accepts every stage in order, several calculators in one stage, and stages left out', () => {
      expect(() => pricingPipeline(PRICING_STAGES.map((s) => noop(s)))).not.toThrow();
      expect(() =>
        pricingPipeline([noop('items'), noop('promotion', 'a'), noop('promotion', 'b'), noop('points')]),
      ).not.toThrow();
    });

    it.each<[string, PriceCalculator, RegExp]>([
      [
        'a line added after the items stage',
        { stage: 'coupon', name: 'c', price: (d) => d.addLine(line(1, 1, 1)) },
        /cannot add a line/,
      ],
      [
        'a discount at the items stage',
        { stage: 'items', name: 'i', price: (d) => void d.discount(oneFen) },
        /cannot take a discount/,
      ],
      [
        'a discount at the shipping stage',
        { stage: 'shipping', name: 's', price: (d) => void d.discount(oneFen) },
        /cannot take a discount/,
      ],
      [
        'a shipping fee before the shipping stage',
        { stage: 'points', name: 'p', price: (d) => d.setShipping(0) },
        /cannot set the shipping fee/,
      ],
      [
        'a second shipping fee',
        { stage: 'shipping', name: 's', price: (d) => (d.setShipping(1), d.setShipping(2)) },
        /cannot set the shipping fee twice/,
      ],
      [
        'a negative shipping fee',
        { stage: 'shipping', name: 's', price: (d) => d.setShipping(-1) },
        /a shipping fee must be a whole number/,
      ],
      [
        'a negative discount',
        { stage: 'coupon', name: 'c', price: (d) => void d.discount({ ...oneFen, amountFen: -1 }) },
        /a discount must be a whole number/,
      ],
      [
        'a fraction of a fen',
        { stage: 'items', name: 'i', price: (d) => d.addLine(line(1, 1.5, 1)) },
        /a unit price must be a whole number/,
      ],
      [
        'a quantity of 0',
        { stage: 'items', name: 'i', price: (d) => d.addLine(line(1, 1, 0)) },
        /a quantity must be a whole number from 1/,
      ],
    ])('refuses %s', async (_what, calculator, why) => {
      await expect(
        pricingPipeline([items([{ unitPriceFen: 100, quantity: 1, categoryId: 1 }]), calculator]).price(input([])),
      ).rejects.toThrow(why);
    });
  });
});
