import fc from 'fast-check';
import { CoOccurrence, PairCounts, type CoOccurrenceOptions, type StreamEvent } from './co-occurrence';

const AT = new Date('2026-12-07T04:00:00Z');
const MIN = 60_000;

const options = (more: Partial<CoOccurrenceOptions> = {}): CoOccurrenceOptions => ({
  sessionIdleMs: 120 * MIN,
  maxGroupItems: 50,
  maxBuyers: 1_000,
  halfLifeDays: 14,
  popularityWeights: { product_view: 1, add_to_cart: 3, item_paid: 6 },
  popularityAt: AT,
  ...more,
});

const view = (session: string, productId: number, minute = 0): StreamEvent => ({
  kind: 'product_view',
  visitor: `d-${session}`,
  sessionId: session,
  productId,
  occurredAt: new Date(AT.getTime() + minute * MIN),
});

const paid = (shopper: number, productId: number, minute = 0): StreamEvent => ({
  kind: 'item_paid',
  visitor: `s${shopper}`,
  sessionId: null,
  productId,
  occurredAt: new Date(AT.getTime() + minute * MIN),
});

function pairsOf(counts: PairCounts, ids: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  counts.forEach((a, b, n) => {
    const [x, y] = [ids[a]!, ids[b]!].sort((p, q) => p - q);
    out[`${x}-${y}`] = n;
  });
  return out;
}

describe('PairCounts', () => {
  it('counts every unordered pair exactly, across many folds of its buffer', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(30), fc.nat(30)), { maxLength: 400 }), (adds) => {
        const counts = new PairCounts(16, 64);
        const expected = new Map<string, number>();
        for (const [a, b] of adds) {
          counts.add(a, b);
          if (a === b) continue;
          const key = `${Math.min(a, b)}-${Math.max(a, b)}`;
          expected.set(key, (expected.get(key) ?? 0) + 1);
        }
        const seen = new Map<string, number>();
        let previous = -1;
        counts.forEach((a, b, n) => {
          expect(a).toBeLessThan(b);
          // In key order: the lower index first, then the higher.
          expect(a * 100 + b).toBeGreaterThan(previous);
          previous = a * 100 + b;
          seen.set(`${a}-${b}`, n);
        });
        expect(seen).toEqual(expected);
        expect(counts.size).toBe(expected.size);
      }),
    );
  });
});

describe('CoOccurrence', () => {
  it('counts two products viewed in one visit once however often they were viewed, and each visit once', () => {
    const co = new CoOccurrence(options());
    for (const e of [view('a', 1), view('a', 2), view('a', 1, 1), view('a', 2, 2), view('b', 1), view('b', 2)])
      co.add(e);
    co.add({ ...view('c', 2), kind: 'add_to_cart' });
    co.add(view('c', 3));
    const ids = co.products.ids;
    expect(pairsOf(co.viewed, ids)).toEqual({ '1-2': 2, '2-3': 1 });
    expect(ids.map((_, i) => co.viewers(i))).toEqual([2, 3, 1]);
    expect(co.bought.size).toBe(0);
  });

  it('pairs what one shopper bought, in one order or two, and nothing across shoppers', () => {
    const co = new CoOccurrence(options());
    for (const e of [paid(1, 10), paid(1, 11), paid(1, 12, 3 * 24 * 60), paid(2, 10), paid(2, 13), paid(2, 10, 5)])
      co.add(e);
    const ids = co.products.ids;
    expect(pairsOf(co.bought, ids)).toEqual({ '10-11': 1, '10-12': 1, '11-12': 1, '10-13': 1 });
    expect(co.buyersCount(co.products.get(10)!)).toBe(2);
    expect(co.viewed.size).toBe(0);
  });

  it('lets context (events counted before) pair with new events without counting anything twice', () => {
    const co = new CoOccurrence(options());
    co.add(view('a', 1), true);
    co.add(view('a', 2), true);
    co.add(view('a', 3));
    co.add(view('a', 1, 1));
    const ids = co.products.ids;
    expect(pairsOf(co.viewed, ids)).toEqual({ '1-3': 1, '2-3': 1 });
    expect(ids.map((_, i) => co.viewers(i))).toEqual([0, 0, 1]);
    // Popularity counts only the new events: product 3, and product 1 viewed again.
    expect(co.popularity(co.products.get(2)!)).toBe(0);
    expect(co.popularity(co.products.get(1)!)).toBeGreaterThan(0);
  });

  it('pairs at most `maxGroupItems` products of a visit (a crawler adds no more pairs)', () => {
    const co = new CoOccurrence(options({ maxGroupItems: 5 }));
    for (let p = 1; p <= 100; p++) co.add(view('crawler', p));
    expect(co.viewed.size).toBe(10);
  });

  it('forgets visits idle past the gap and buyers past the cap, so memory stays bounded', () => {
    const co = new CoOccurrence(options({ maxBuyers: 100 }));
    for (let n = 0; n < 20_000; n++) {
      co.add(view(`v${n}`, n % 500, n));
      co.add(paid(n, n % 500, n));
    }
    // One visit a minute, forgotten two hours after it: about 120 open at any time.
    expect(co.openGroups.sessions).toBeLessThan(120 + 4_096);
    expect(co.openGroups.buyers).toBeLessThanOrEqual(100 + 4_096);
    const settled = co.openGroups;
    for (let n = 20_000; n < 28_192; n++) co.add(view(`v${n}`, n % 500, n));
    expect(co.openGroups.sessions).toBeLessThanOrEqual(settled.sessions + 4_096);
  });

  it('weighs popularity by kind and halves it every half-life of age', () => {
    const co = new CoOccurrence(options());
    const old = new Date(AT.getTime() - 14 * 86_400_000);
    co.add({ ...view('a', 1), occurredAt: old });
    co.add({ ...view('b', 2), kind: 'add_to_cart' });
    co.add(paid(1, 3));
    expect(co.popularity(co.products.get(1)!)).toBeCloseTo(0.5);
    expect(co.popularity(co.products.get(2)!)).toBeCloseTo(3);
    expect(co.popularity(co.products.get(3)!)).toBeCloseTo(6);
  });
});
