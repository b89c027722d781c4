import {
  TENANT_STATUSES,
  type Page,
  type TenantUsage,
  type UsageDay,
  type UsageHistory,
  type UsageListQuery,
  type UsageRange,
} from '@shopfleet/contracts';
import type { RequestContext, TenantContext } from '../../kernel/context';
import { chinaDay, chinaDayStart } from '../../kernel/china-time';
import { isoOrNull } from '../../kernel/db/rows';
import type { StorageMeter } from '../../kernel/storage/s3';
import type { TenantsService } from '../tenants';
import type { RequestCounter } from './request-counter';
import type { StoredUsageDay, UsageRepository } from './usage.repository';

/** What the snapshot asks of the modules that own each count (ports, bound in platform.ts). */
export interface UsageSources {
  /** Orders placed in the shop in [from, to), paid or not (orders). */
  ordersPlaced(ctx: TenantContext, from: Date, to: Date): Promise<number>;
  /** Products of the shop that are not deleted (catalog). */
  products(ctx: TenantContext): Promise<number>;
  /** Active staff members of the shop, the owner included (identity). */
  staff(ctx: TenantContext): Promise<number>;
  /** Releases of the shop submitted to WeChat's audit in [from, to) (releases). */
  auditsSubmitted(ctx: TenantContext, from: Date, to: Date): Promise<number>;
}

export interface UsageDeps {
  repo: UsageRepository;
  counter: RequestCounter;
  sources: UsageSources;
  tenants: Pick<TenantsService, 'idsInStatus' | 'byIds' | 'mustGet'>;
  now?: () => Date;
}

const DAY_MS = 86_400_000;
/** Shops visited at a time by the jobs. */
const BATCH = 200;

/** The China-time day before `day`. */
const dayBefore = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);

/** A stored object's shop, from its key (`tenants/<id>/…`); the shared template's builds belong to none. */
const tenantOfKey = (key: string): number | null => {
  const m = /^tenants\/(\d+)\//.exec(key);
  return m ? Number(m[1]) : null;
};

const toDay = (d: StoredUsageDay): UsageDay => ({
  day: d.day,
  orders: d.orders,
  products: d.products,
  storageBytes: d.storageBytes,
  staff: d.staff,
  wechatAudits: d.wechatAudits,
  apiRequests: d.apiRequests,
  measuredAt: isoOrNull(d.measuredAt),
});

/**
 * Usage metering: each shop's usage by China-time day, measured by an hourly snapshot (the counts other modules own,
 * asked through `UsageSources`, and the bytes of the files it keeps, recorded as they are stored), and its API
 * requests, counted in Redis and flushed every few minutes. Staff read a day across shops, or a shop's history.
 */
export function usageService(deps: UsageDeps) {
  const now = deps.now ?? (() => new Date());
  const { repo, counter } = deps;

  /** Every shop, a batch of ids at a time. */
  async function eachBatch(fn: (ids: number[]) => Promise<void>): Promise<void> {
    for (let afterId = 0; ;) {
      const ids = await deps.tenants.idsInStatus([...TENANT_STATUSES], afterId, BATCH);
      if (ids.length === 0) return;
      await fn(ids);
      if (ids.length < BATCH) return;
      afterId = ids[ids.length - 1]!;
    }
  }

  /** Measures one shop: today's counts and holdings; yesterday's counts once more if its last snapshot was before it ended. */
  async function snapshotShop(ctx: TenantContext, at: Date): Promise<void> {
    const today = chinaDay(at);
    const todayStart = chinaDayStart(today);
    const tomorrowStart = new Date(todayStart.getTime() + DAY_MS);
    const [orders, wechatAudits, products, storageBytes, staff] = await Promise.all([
      deps.sources.ordersPlaced(ctx, todayStart, tomorrowStart),
      deps.sources.auditsSubmitted(ctx, todayStart, tomorrowStart),
      deps.sources.products(ctx),
      repo.storedBytes(ctx),
      deps.sources.staff(ctx),
    ]);
    await repo.saveSnapshot(ctx, today, { orders, wechatAudits, held: { products, storageBytes, staff } }, at);

    // The first snapshot after midnight completes yesterday's counts (orders and audits of its last hour); what it
    // held stays as its last snapshot saw it. A day never measured is not made up.
    const yesterday = dayBefore(today);
    const last = await repo.day(ctx, ctx.tenantId, yesterday);
    if (last?.measuredAt && last.measuredAt < todayStart) {
      const [lateOrders, lateAudits] = await Promise.all([
        deps.sources.ordersPlaced(ctx, chinaDayStart(yesterday), todayStart),
        deps.sources.auditsSubmitted(ctx, chinaDayStart(yesterday), todayStart),
      ]);
      await repo.saveSnapshot(ctx, yesterday, { orders: lateOrders, wechatAudits: lateAudits }, at);
    }
  }

  return {
    /** Counts one API request of the shop today (China time): in memory, added to Redis within a second. */
    countRequest(tenantId: number): void {
      counter.hit(tenantId, chinaDay(now()));
    },

    /**
     * Moves every shop's API request counts from Redis into their days. Counts taken but not written (the database
     * refused) are put back for the next flush.
     */
    async flushRequests(ctx: RequestContext): Promise<{ shops: number; requests: number }> {
      let shops = 0;
      let requests = 0;
      await eachBatch(async (ids) => {
        const counts = await counter.take(ids);
        if (counts.length === 0) return;
        try {
          await repo.addApiRequests(ctx, counts);
        } catch (err) {
          await counter.giveBack(counts);
          throw err;
        }
        shops += new Set(counts.map((c) => c.tenantId)).size;
        requests += counts.reduce((sum, c) => sum + c.n, 0);
      });
      return { shops, requests };
    },

    /**
     * Snapshots every shop's usage of today (and completes yesterday's counts after midnight). A shop that fails is
     * logged and skipped; the next hour measures it again.
     */
    async snapshot(ctx: RequestContext): Promise<{ shops: number; failed: number }> {
      const at = now();
      let shops = 0;
      let failed = 0;
      await eachBatch(async (ids) => {
        for (const tenantId of ids) {
          try {
            await snapshotShop({ ...ctx, tenantId }, at);
            shops++;
          } catch (err) {
            failed++;
            ctx.log.warn({ err, tenantId }, 'a shop’s usage could not be measured');
          }
        }
      });
      return { shops, failed };
    },

    /** Every shop's usage of a day, a page sorted by a metric, each with its shop. */
    async list(ctx: RequestContext, q: UsageListQuery): Promise<Page<TenantUsage>> {
      const { rows, total } = await repo.ofDay(ctx, q);
      const shops = await deps.tenants.byIds(rows.map((r) => r.tenantId));
      return {
        items: rows.map((r) => {
          const t = shops.get(r.tenantId);
          if (!t) throw new Error(`usage of unknown tenant ${r.tenantId}`);
          return { ...toDay(r), tenant: { id: t.id, slug: t.slug, name: t.name, status: t.status } };
        }),
        page: q.page,
        pageSize: q.pageSize,
        total,
      };
    },

    /** A shop's usage of each measured day of a range; an unknown shop is a 404. */
    async history(ctx: RequestContext, tenantId: number, range: UsageRange): Promise<UsageHistory> {
      await deps.tenants.mustGet(tenantId);
      const days = await repo.history(ctx, tenantId, range.from, range.to);
      return { tenantId, from: range.from, to: range.to, days: days.map(toDay) };
    },

    /**
     * The storage meter: records each file stored under a shop's prefix (`tenants/<id>/`) with its size, and forgets
     * a deleted one; files of no shop (the shared template's builds) are not metered.
     */
    meter(log: RequestContext['log']): StorageMeter {
      const ctxOf = (tenantId: number): TenantContext => ({
        requestId: 'storage-meter',
        tenantId,
        actor: { type: 'system', job: 'storage-meter' },
        log,
      });
      // A file that was stored is not refused for want of its size: the failure is logged, the size missed.
      const quietly = async (key: string, fn: (ctx: TenantContext) => Promise<void>) => {
        const tenantId = tenantOfKey(key);
        if (tenantId === null) return;
        await fn(ctxOf(tenantId)).catch((err: unknown) =>
          log.warn({ err, tenantId, key }, 'a stored file’s size could not be recorded'),
        );
      };
      return {
        stored: (o) => quietly(o.key, (ctx) => repo.objectStored(ctx, o)),
        deleted: (o) => quietly(o.key, (ctx) => repo.objectDeleted(ctx, o)),
      };
    },
  };
}

export type UsageService = ReturnType<typeof usageService>;
