import { RECOMMENDATION_KINDS, type RecommendationKind } from '@shopfleet/contracts';
import type { CountedKind } from './co-occurrence';

/**
 * How products are scored (pure: no database, no clock). Builds and serving share these, and the unit tests pin them.
 */
export const SCORING = {
  /** Neighbours kept per product and kind. */
  neighbours: 20,
  /**
   * Cosine similarity is shrunk by together ÷ (together + shrink): a pair seen once among few visits does not outrank
   * one seen many times.
   */
  shrink: 2,
  /** Guess-you-like: the newest distinct products of the visitor's history it starts from. */
  historyItems: 10,
  /** Each older product of that history weighs this much of the one after it. */
  recency: 0.85,
  /** What a product in the history weighs by what the visitor did with it (the strongest counts). */
  historyWeights: { product_view: 1, add_to_cart: 1.5, item_paid: 1.2 } satisfies Record<CountedKind, number>,
  /** How much each kind of neighbour counts in guess-you-like. */
  kindWeights: { viewed: 1, bought: 1.5 } satisfies Record<RecommendationKind, number>,
  /**
   * The popular-in-category prior: a product popular in a category the history leans to scores up to this much (its
   * popularity relative to its category's most popular, times the category's share of the history).
   */
  categoryPrior: 0.12,
  /** Popular products each category offers to a list. */
  categoryPopular: 20,
  /** Popularity: a view, a cart add and a purchase, halved every `halfLifeDays` of age. */
  popularityWeights: { product_view: 1, add_to_cart: 3, item_paid: 6 } satisfies Record<CountedKind, number>,
  halfLifeDays: 14,
  /** A sale the catalog counted weighs this much popularity (a shop without events still has a popular list). */
  salesPrior: 0.01,
} as const;

/** How alike two products are from how often they went together and how often each was seen (0 to 1). */
export function similarity(together: number, countA: number, countB: number, shrink: number = SCORING.shrink): number {
  if (together <= 0 || countA <= 0 || countB <= 0) return 0;
  return Math.min(1, together / Math.sqrt(countA * countB)) * (together / (together + shrink));
}

export interface Neighbour {
  id: number;
  score: number;
  together: number;
}

/** The `k` best neighbours of each product, kept while pairs stream by (a small min-heap each). */
export class TopNeighbours {
  private readonly heaps = new Map<number, Neighbour[]>();

  constructor(private readonly k: number = SCORING.neighbours) {}

  /** Offers `n` as a neighbour of `of`. */
  offer(of: number, n: Neighbour): void {
    let heap = this.heaps.get(of);
    if (!heap) this.heaps.set(of, (heap = []));
    if (heap.length < this.k) {
      heap.push(n);
      siftUp(heap, heap.length - 1);
    } else if (better(n, heap[0]!)) {
      heap[0] = n;
      siftDown(heap, 0);
    }
  }

  /** Each product with neighbours, and its neighbours best first. */
  *entries(): IterableIterator<[number, Neighbour[]]> {
    for (const [of, heap] of this.heaps) yield [of, [...heap].sort((a, b) => (better(a, b) ? -1 : 1))];
  }
}

/** Higher score first; on a tie, more often together, then the lower id (a stable order). */
function better(a: Neighbour, b: Neighbour): boolean {
  if (a.score !== b.score) return a.score > b.score;
  if (a.together !== b.together) return a.together > b.together;
  return a.id < b.id;
}

function siftUp(h: Neighbour[], i: number): void {
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!better(h[parent]!, h[i]!)) break;
    [h[parent], h[i]] = [h[i]!, h[parent]!];
    i = parent;
  }
}

function siftDown(h: Neighbour[], i: number): void {
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let worst = i;
    if (l < h.length && better(h[worst]!, h[l]!)) worst = l;
    if (r < h.length && better(h[worst]!, h[r]!)) worst = r;
    if (worst === i) return;
    [h[worst], h[i]] = [h[i]!, h[worst]!];
    i = worst;
  }
}

export interface RecentProduct {
  productId: number;
  kind: CountedKind;
  occurredAt: Date;
}

/**
 * The products a visitor's history starts from, newest first: each product once, weighed by the strongest thing done
 * with it and by how recent it is; and what they bought (never recommended to them again).
 */
export function historyOf(recent: RecentProduct[]): {
  items: Array<{ productId: number; weight: number }>;
  bought: Set<number>;
} {
  const bought = new Set(recent.filter((r) => r.kind === 'item_paid').map((r) => r.productId));
  const strongest = new Map<number, number>();
  const order: number[] = [];
  for (const r of [...recent].sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime())) {
    const w = SCORING.historyWeights[r.kind];
    const known = strongest.get(r.productId);
    if (known === undefined) {
      if (order.length === SCORING.historyItems) continue;
      order.push(r.productId);
      strongest.set(r.productId, w);
    } else if (w > known) strongest.set(r.productId, w);
  }
  return {
    items: order.map((productId, rank) => ({ productId, weight: strongest.get(productId)! * SCORING.recency ** rank })),
    bought,
  };
}

/** A product's neighbours of each kind from the last build, best first: [similar product, score]. */
export type SimilarLists = Readonly<Record<RecommendationKind, ReadonlyArray<readonly [id: number, score: number]>>>;

export interface PopularProduct {
  productId: number;
  popularity: number;
}

export interface BlendInput {
  history: Array<{ productId: number; weight: number }>;
  /** The neighbours of the history's products, by product. */
  similar: ReadonlyMap<number, SimilarLists>;
  /** The categories of the history's products (those the shop still sells). */
  categoryOf: ReadonlyMap<number, number>;
  /** The popular products of those categories, most popular first. */
  categoryPopular: ReadonlyMap<number, readonly PopularProduct[]>;
  /** The shop's popular products, most popular first: the last resort. */
  shopPopular: readonly PopularProduct[];
  /** Never shown (bought, in the cart). */
  exclude: Set<number>;
}

/**
 * Guess-you-like: the candidates, best first — each history product's neighbours weighed by the product's weight and
 * by kind, plus a prior for the products popular in the categories the history leans to; then the shop's popular
 * products. Longer than a list needs: some may no longer be on sale.
 */
export function blend(input: BlendInput): number[] {
  const score = new Map<number, number>();
  const bump = (id: number, by: number) => {
    if (!input.exclude.has(id)) score.set(id, (score.get(id) ?? 0) + by);
  };
  for (const h of input.history) {
    const lists = input.similar.get(h.productId);
    if (!lists) continue;
    for (const kind of RECOMMENDATION_KINDS) {
      const by = h.weight * SCORING.kindWeights[kind];
      for (const [similarId, s] of lists[kind]) bump(similarId, by * s);
    }
  }
  const total = input.history.reduce((sum, h) => sum + h.weight, 0);
  const share = new Map<number, number>();
  for (const h of input.history) {
    const c = input.categoryOf.get(h.productId);
    if (c !== undefined) share.set(c, (share.get(c) ?? 0) + h.weight / total);
  }
  for (const [category, s] of share) {
    const list = input.categoryPopular.get(category) ?? [];
    const top = list[0]?.popularity ?? 0;
    if (top <= 0) continue;
    for (const p of list) bump(p.productId, SCORING.categoryPrior * s * (p.popularity / top));
  }
  const ranked = [...score.keys()].sort((a, b) => score.get(b)! - score.get(a)! || a - b);
  for (const p of input.shopPopular)
    if (!score.has(p.productId) && !input.exclude.has(p.productId)) ranked.push(p.productId);
  return ranked;
}

/**
 * A product page's list of a kind: its neighbours best first, then its category's popular products, then the shop's
 * (never the product itself).
 */
export function together(
  productId: number,
  neighbours: ReadonlyArray<{ similarId: number }>,
  categoryPopular: readonly PopularProduct[],
  shopPopular: readonly PopularProduct[],
): number[] {
  const out: number[] = [];
  const seen = new Set([productId]);
  for (const id of [
    ...neighbours.map((n) => n.similarId),
    ...categoryPopular.map((p) => p.productId),
    ...shopPopular.map((p) => p.productId),
  ]) {
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
  }
  return out;
}
