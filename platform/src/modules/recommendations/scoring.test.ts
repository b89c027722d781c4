import fc from 'fast-check';
import type { RecommendationKind } from '@shopfleet/contracts';
import {
  blend,
  historyOf,
  SCORING,
  similarity,
  together,
  TopNeighbours,
  type RecentProduct,
  type SimilarLists,
} from './scoring';

const AT = new Date('2026-12-07T04:00:00Z');
const ago = (minutes: number) => new Date(AT.getTime() - minutes * 60_000);

describe('similarity', () => {
  it('is nothing without a pair, symmetric, at most 1, and grows with how often the two went together', () => {
    expect(similarity(0, 10, 10)).toBe(0);
    expect(similarity(3, 0, 10)).toBe(0);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 500 }), (a, b) => {
        const t = Math.min(a, b);
        expect(similarity(t, a, b)).toBeCloseTo(similarity(t, b, a));
        expect(similarity(t, a, b)).toBeLessThanOrEqual(1);
        if (t > 1) expect(similarity(t, a, b)).toBeGreaterThan(similarity(t - 1, a, b));
      }),
    );
  });

  it('shrinks a pair seen once among few visits below one seen many times among many', () => {
    // Cosine alone calls both 0.5; the shrink trusts 50 co-visits more than 1.
    expect(similarity(1, 2, 2)).toBeLessThan(similarity(50, 100, 100));
    expect(similarity(50, 100, 100)).toBeCloseTo(0.5 * (50 / 52));
  });
});

describe('TopNeighbours', () => {
  it('keeps the k best of each product, best first, ties by together then id', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(50), fc.nat(4), fc.nat(3)), { maxLength: 200 }), (offers) => {
        const top = new TopNeighbours(5);
        offers.forEach(([id, score, t]) => top.offer(0, { id, score, together: t }));
        const kept = [...top.entries()][0]?.[1] ?? [];
        const best = [...offers]
          .map(([id, score, t]) => ({ id, score, together: t }))
          .sort((a, b) => b.score - a.score || b.together - a.together || a.id - b.id)
          .slice(0, 5);
        expect(kept).toEqual(best);
      }),
    );
  });
});

describe('historyOf', () => {
  it('keeps each product once, newest first, weighed by the strongest action and by recency; what was bought apart', () => {
    const recent: RecentProduct[] = [
      { productId: 1, kind: 'product_view', occurredAt: ago(1) },
      { productId: 2, kind: 'add_to_cart', occurredAt: ago(2) },
      { productId: 1, kind: 'add_to_cart', occurredAt: ago(3) },
      { productId: 3, kind: 'item_paid', occurredAt: ago(4) },
    ];
    const { items, bought } = historyOf(recent);
    expect(items.map((i) => i.productId)).toEqual([1, 2, 3]);
    expect(items[0]!.weight).toBeCloseTo(SCORING.historyWeights.add_to_cart);
    expect(items[1]!.weight).toBeCloseTo(SCORING.historyWeights.add_to_cart * SCORING.recency);
    expect(items[2]!.weight).toBeCloseTo(SCORING.historyWeights.item_paid * SCORING.recency ** 2);
    expect([...bought]).toEqual([3]);
  });

  it('starts from the newest `historyItems` products only, whatever order the events come in', () => {
    const recent: RecentProduct[] = Array.from({ length: 30 }, (_, n) => ({
      productId: 100 + n,
      kind: 'product_view' as const,
      occurredAt: ago(n),
    })).reverse();
    const { items } = historyOf(recent);
    expect(items.map((i) => i.productId)).toEqual(Array.from({ length: SCORING.historyItems }, (_, n) => 100 + n));
  });
});

describe('blend', () => {
  /** Neighbours as the build stores them: each product's lists of each kind, best first. */
  const similarOf = (
    neighbours: Array<{ productId: number; kind: RecommendationKind; similarId: number; score: number }>,
  ): Map<number, SimilarLists> => {
    const out = new Map<number, { viewed: Array<[number, number]>; bought: Array<[number, number]> }>();
    for (const n of neighbours) {
      if (!out.has(n.productId)) out.set(n.productId, { viewed: [], bought: [] });
      out.get(n.productId)![n.kind].push([n.similarId, n.score]);
    }
    return out;
  };
  const base = {
    categoryOf: new Map<number, number>(),
    categoryPopular: new Map<number, Array<{ productId: number; popularity: number }>>(),
    shopPopular: [] as Array<{ productId: number; popularity: number }>,
    exclude: new Set<number>(),
  };

  it('ranks by the neighbours of the history, each weighed by its product and kind', () => {
    const ranked = blend({
      ...base,
      history: [
        { productId: 1, weight: 1 },
        { productId: 2, weight: 0.5 },
      ],
      similar: similarOf([
        { productId: 1, kind: 'viewed', similarId: 10, score: 0.3 },
        { productId: 2, kind: 'viewed', similarId: 11, score: 0.5 },
        { productId: 2, kind: 'bought', similarId: 10, score: 0.1 },
        { productId: 1, kind: 'bought', similarId: 12, score: 0.25 },
      ]),
    });
    // 10: 0.3 + 0.5 × 1.5 × 0.1 = 0.375; 12: 1.5 × 0.25 = 0.375 (tie: lower id); 11: 0.25.
    expect(ranked).toEqual([10, 12, 11]);
  });

  it('never ranks what is excluded (bought, in the cart), not even from the popular lists', () => {
    const ranked = blend({
      ...base,
      history: [{ productId: 1, weight: 1 }],
      similar: similarOf([
        { productId: 1, kind: 'viewed', similarId: 10, score: 0.3 },
        { productId: 1, kind: 'viewed', similarId: 11, score: 0.2 },
      ]),
      categoryOf: new Map([[1, 7]]),
      categoryPopular: new Map([[7, [{ productId: 10, popularity: 5 }]]]),
      shopPopular: [
        { productId: 10, popularity: 9 },
        { productId: 20, popularity: 8 },
      ],
      exclude: new Set([10]),
    });
    expect(ranked).toEqual([11, 20]);
  });

  it('tops up a short history with the popular products of its categories, by share, then the shop’s popular ones', () => {
    const ranked = blend({
      ...base,
      history: [
        { productId: 1, weight: 3 },
        { productId: 2, weight: 1 },
      ],
      similar: new Map(),
      categoryOf: new Map([
        [1, 7],
        [2, 8],
      ]),
      categoryPopular: new Map([
        [
          7,
          [
            { productId: 70, popularity: 10 },
            { productId: 71, popularity: 5 },
          ],
        ],
        [8, [{ productId: 80, popularity: 100 }]],
      ]),
      shopPopular: [
        { productId: 80, popularity: 100 },
        { productId: 99, popularity: 50 },
      ],
    });
    // 70: ¾ × 1; 71: ¾ × ½; 80: ¼ × 1 (each times the prior); then the shop's popular 99.
    expect(ranked).toEqual([70, 71, 80, 99]);
  });

  it('lets a neighbour outrank a product that is merely popular in the category', () => {
    const ranked = blend({
      ...base,
      history: [{ productId: 1, weight: 1 }],
      similar: similarOf([{ productId: 1, kind: 'viewed', similarId: 40, score: 0.2 }]),
      categoryOf: new Map([[1, 7]]),
      categoryPopular: new Map([[7, [{ productId: 70, popularity: 10 }]]]),
    });
    expect(ranked).toEqual([40, 70]);
  });
});

describe('together', () => {
  it('lists the neighbours, then the category’s and the shop’s popular products, each once and never the product', () => {
    expect(
      together(
        5,
        [{ similarId: 9 }, { similarId: 8 }],
        [
          { productId: 5, popularity: 10 },
          { productId: 8, popularity: 9 },
          { productId: 7, popularity: 1 },
        ],
        [
          { productId: 6, popularity: 100 },
          { productId: 9, popularity: 50 },
        ],
      ),
    ).toEqual([9, 8, 7, 6]);
  });
});
