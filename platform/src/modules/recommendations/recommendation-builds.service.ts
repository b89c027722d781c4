import { RECOMMENDATION_KINDS, type RecommendationKind } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { VersionedCache } from '../../kernel/versioned-cache';
import { CoOccurrence, type PairCounts } from './co-occurrence';
import type { ProductOnSale, RecommendationCatalog, RecommendationEvents, ScannedEvent } from './ports';
import type { ProductCounts, RecommendationsRepository, SimilarList } from './recommendations.repository';
import { SCORING, similarity, TopNeighbours, type Neighbour } from './scoring';

/** How builds read and bound their work. */
export const BUILD = {
  /** A rebuild counts the events of this many days. */
  windowDays: 90,
  /** Events (and products) read per page. */
  page: 5_000,
  /** A visit is over after this long without an event. */
  sessionIdleMs: 2 * 3_600_000,
  /** Products one visit or one shopper's purchases pair at most (a crawler's visit adds no more). */
  maxGroupItems: 50,
  /** Shoppers whose purchases a build keeps in mind at once. */
  maxBuyers: 200_000,
  /** Events an update counts at most; the next one goes on from there. */
  updateMaxEvents: 200_000,
  /** How long a build holds its shop before another may take over (a build that died). */
  leaseMs: 15 * 60_000,
} as const;

export interface BuildReport {
  /** `skipped`: another build holds the shop. */
  outcome: 'rebuilt' | 'updated' | 'unchanged' | 'skipped';
  events: number;
  products: number;
  neighbours: number;
  seconds: number;
}

export interface RecommendationBuildsDeps {
  repo: RecommendationsRepository;
  events: RecommendationEvents;
  catalog: Pick<RecommendationCatalog, 'onSale' | 'onSaleOf'>;
  /** Recommendations' read cache: renewed after a build. */
  cache: Pick<VersionedCache, 'bump'>;
  now?: () => Date;
}

const KIND_PAIRS: Record<RecommendationKind, (co: CoOccurrence) => PairCounts> = {
  viewed: (co) => co.viewed,
  bought: (co) => co.bought,
};

/**
 * Builds a shop's recommendations from its events: a rebuild (nightly) counts the window's events from scratch, an
 * update (every quarter hour) adds the events since the last run. A lease on the shop's state keeps two from running
 * at once; what serving reads is replaced product by product, so a list is never empty while a build runs.
 */
export function recommendationBuildsService(deps: RecommendationBuildsDeps) {
  const now = deps.now ?? (() => new Date());
  const { repo } = deps;

  const coOccurrence = (popularityAt: Date) =>
    new CoOccurrence({
      sessionIdleMs: BUILD.sessionIdleMs,
      maxGroupItems: BUILD.maxGroupItems,
      maxBuyers: BUILD.maxBuyers,
      halfLifeDays: SCORING.halfLifeDays,
      popularityWeights: SCORING.popularityWeights,
      popularityAt,
    });

  async function leased<T>(ctx: TenantContext, fn: () => Promise<T>): Promise<T | null> {
    const at = now();
    if (!(await repo.takeLease(ctx, at, new Date(at.getTime() + BUILD.leaseMs)))) return null;
    try {
      return await fn();
    } finally {
      await repo.releaseLease(ctx);
    }
  }

  async function allOnSale(ctx: TenantContext): Promise<Map<number, ProductOnSale>> {
    const out = new Map<number, ProductOnSale>();
    for (let afterId = 0; ;) {
      const page = await deps.catalog.onSale(ctx, { afterId, limit: BUILD.page });
      for (const p of page) out.set(p.id, p);
      if (page.length < BUILD.page) return out;
      afterId = page[page.length - 1]!.id;
    }
  }

  /** Scores every pair of a kind and keeps each product's best neighbours. */
  function neighboursOf(co: CoOccurrence, kind: RecommendationKind): SimilarList[] {
    const count = kind === 'viewed' ? (i: number) => co.viewers(i) : (i: number) => co.buyersCount(i);
    const top = new TopNeighbours(SCORING.neighbours);
    KIND_PAIRS[kind](co).forEach((a, b, together) => {
      const score = similarity(together, count(a), count(b));
      if (score <= 0) return;
      top.offer(a, { id: b, score, together });
      top.offer(b, { id: a, score, together });
    });
    const ids = co.products.ids;
    return [...top.entries()].map(([of, list]) => ({
      productId: ids[of]!,
      kind,
      similar: list.map((n) => ({ ...n, id: ids[n.id]! })),
    }));
  }

  async function rebuild(ctx: TenantContext): Promise<BuildReport> {
    const started = now();
    const state = await repo.state(ctx);
    const generation = (state?.generation ?? 0) + 1;
    const onSale = await allOnSale(ctx);
    const co = coOccurrence(started);
    const since = new Date(started.getTime() - BUILD.windowDays * 86_400_000);
    let lastEventId = 0;
    let events = 0;
    for (let afterId = 0; ;) {
      const page = await deps.events.scanEvents(ctx, { afterId, limit: BUILD.page, since });
      for (const e of page) {
        lastEventId = Math.max(lastEventId, e.id);
        if (!onSale.has(e.productId)) continue;
        co.add(e);
        events++;
      }
      if (page.length < BUILD.page) break;
      afterId = page[page.length - 1]!.id;
    }
    const counted = now();
    let neighbours = 0;
    for (const kind of RECOMMENDATION_KINDS) {
      const lists = neighboursOf(co, kind);
      neighbours += lists.reduce((n, l) => n + l.similar.length, 0);
      await repo.writeNeighbours(ctx, lists, generation);
    }
    const written = now();
    const products: ProductCounts[] = [...onSale.values()].map((p) => {
      const i = co.products.get(p.id);
      return {
        productId: p.id,
        categoryId: p.categoryId,
        viewers: i === undefined ? 0 : co.viewers(i),
        buyers: i === undefined ? 0 : co.buyersCount(i),
        popularity: (i === undefined ? 0 : co.popularity(i)) + SCORING.salesPrior * p.salesCount,
      };
    });
    await repo.writeProducts(ctx, products, generation);
    await repo.deleteStale(ctx, generation);
    await repo.saveState(ctx, {
      generation,
      lastEventId: Math.max(lastEventId, state?.lastEventId ?? 0),
      lookbackEventId: Math.max(lastEventId, state?.lastEventId ?? 0),
      popularityAt: started,
      builtAt: started,
      updatedAt: started,
    });
    await deps.cache.bump(ctx.tenantId);
    ctx.log.info(
      {
        events,
        readSeconds: (counted.getTime() - started.getTime()) / 1000,
        neighbourSeconds: (written.getTime() - counted.getTime()) / 1000,
        seconds: seconds(started),
      },
      'recommendations rebuilt',
    );
    return { outcome: 'rebuilt', events, products: products.length, neighbours, seconds: seconds(started) };
  }

  async function update(ctx: TenantContext): Promise<BuildReport> {
    const started = now();
    const state = await repo.state(ctx);
    if (!state?.builtAt || !state.popularityAt) return rebuild(ctx);
    // The events since the last one counted, with those since the run before as context: a visit or a shopper's
    // purchases that began then pairs its new products with the old ones.
    const read: Array<{ e: ScannedEvent; context: boolean }> = [];
    let counted = 0;
    for (let afterId = state.lookbackEventId; counted < BUILD.updateMaxEvents;) {
      const page = await deps.events.scanEvents(ctx, { afterId, limit: BUILD.page });
      for (const e of page) {
        const context = e.id <= state.lastEventId;
        if (!context && counted >= BUILD.updateMaxEvents) break;
        read.push({ e, context });
        if (!context) counted++;
      }
      if (page.length < BUILD.page) break;
      afterId = page[page.length - 1]!.id;
    }
    if (counted === 0)
      return { outcome: 'unchanged', events: 0, products: 0, neighbours: 0, seconds: seconds(started) };
    const lastEventId = read.reduce((max, r) => (r.context ? max : Math.max(max, r.e.id)), state.lastEventId);

    // Only products on sale count: those the last build kept, and those put on sale since.
    const ids = [...new Set(read.map((r) => r.e.productId))];
    const known = await repo.products(ctx, ids);
    const added = await deps.catalog.onSaleOf(
      ctx,
      ids.filter((id) => !known.has(id)),
    );
    const categoryOf = new Map<number, number>([
      ...[...known.values()].map((p) => [p.productId, p.categoryId] as const),
      ...added.map((p) => [p.id, p.categoryId] as const),
    ]);
    const co = coOccurrence(state.popularityAt);
    for (const { e, context } of read) if (categoryOf.has(e.productId)) co.add(e, context);

    // Each product's counts after the update: what was stored plus what the new events add.
    const delta = new Map<number, ProductCounts>();
    co.products.ids.forEach((productId, i) => {
      const d = { viewers: co.viewers(i), buyers: co.buyersCount(i), popularity: co.popularity(i) };
      if (d.viewers || d.buyers || d.popularity)
        delta.set(productId, { productId, categoryId: categoryOf.get(productId)!, ...d });
    });
    for (const p of added)
      if (!delta.has(p.id))
        delta.set(p.id, { productId: p.id, categoryId: p.categoryId, viewers: 0, buyers: 0, popularity: 0 });
    for (const p of added) delta.get(p.id)!.popularity += SCORING.salesPrior * p.salesCount;

    let neighbours = 0;
    for (const kind of RECOMMENDATION_KINDS) {
      const pairs = new Map<number, Map<number, number>>();
      const note = (a: number, b: number, n: number) => {
        let m = pairs.get(a);
        if (!m) pairs.set(a, (m = new Map()));
        m.set(b, (m.get(b) ?? 0) + n);
      };
      const ids = co.products.ids;
      KIND_PAIRS[kind](co).forEach((a, b, n) => {
        note(ids[a]!, ids[b]!, n);
        note(ids[b]!, ids[a]!, n);
      });
      if (pairs.size === 0) continue;
      const affected = [...pairs.keys()];
      const stored = await repo.neighbours(ctx, affected, kind);
      const together = new Map<number, Map<number, number>>();
      for (const r of stored) {
        let m = together.get(r.productId);
        if (!m) together.set(r.productId, (m = new Map()));
        m.set(r.similarId, r.together);
      }
      for (const [a, m] of pairs) {
        let t = together.get(a);
        if (!t) together.set(a, (t = new Map()));
        for (const [b, n] of m) t.set(b, (t.get(b) ?? 0) + n);
      }
      const involved = new Set<number>(affected);
      for (const t of together.values()) for (const b of t.keys()) involved.add(b);
      const counts = await repo.products(ctx, [...involved]);
      const countOf = (id: number) => {
        const [was, more] = [counts.get(id), delta.get(id)];
        return kind === 'viewed'
          ? (was?.viewers ?? 0) + (more?.viewers ?? 0)
          : (was?.buyers ?? 0) + (more?.buyers ?? 0);
      };
      const lists: SimilarList[] = affected.map((a) => {
        const top = new TopNeighbours(SCORING.neighbours);
        for (const [b, t] of together.get(a)!) {
          const score = similarity(t, countOf(a), countOf(b));
          if (score > 0) top.offer(a, { id: b, score, together: t } satisfies Neighbour);
        }
        return { productId: a, kind, similar: [...top.entries()][0]?.[1] ?? [] };
      });
      neighbours += lists.reduce((n, l) => n + l.similar.length, 0);
      await repo.writeNeighbours(ctx, lists, state.generation);
    }
    await repo.addToProducts(ctx, [...delta.values()], state.generation);
    await repo.saveState(ctx, { lastEventId, lookbackEventId: state.lastEventId, updatedAt: started });
    await deps.cache.bump(ctx.tenantId);
    return { outcome: 'updated', events: counted, products: delta.size, neighbours, seconds: seconds(started) };
  }

  function seconds(started: Date): number {
    return Math.round((now().getTime() - started.getTime()) / 100) / 10;
  }

  const skipped: BuildReport = { outcome: 'skipped', events: 0, products: 0, neighbours: 0, seconds: 0 };

  return {
    /**
     * Rebuilds the shop's recommendations from the events of the window: neighbour lists of both kinds, every product
     * on sale with its counts and popularity; what the rebuild did not write (products gone, pairs dropped) is deleted.
     */
    rebuild: async (ctx: TenantContext): Promise<BuildReport> => (await leased(ctx, () => rebuild(ctx))) ?? skipped,

    /**
     * Moves the shop's recommendations by the events since the last build or update (a shop never built is rebuilt):
     * the affected products' neighbours are scored again with their new counts, their popularity grows.
     */
    update: async (ctx: TenantContext): Promise<BuildReport> => (await leased(ctx, () => update(ctx))) ?? skipped,
  };
}

export type RecommendationBuildsService = ReturnType<typeof recommendationBuildsService>;
