import type { Knex } from 'knex';
import type { SortOrder, UsageSort } from '@shopfleet/contracts';
import type { RequestContext, TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { platformTable } from '../../kernel/db/platform-db';
import { totalOf } from '../../kernel/db/rows';
import type { Visibility } from '../../kernel/storage/s3';

/** A shop's usage of one China-time day. */
export interface StoredUsageDay {
  tenantId: number;
  day: string;
  orders: number;
  products: number;
  storageBytes: number;
  staff: number;
  wechatAudits: number;
  apiRequests: number;
  measuredAt: Date | null;
}

/** What the snapshot measured of a day: the day's counts so far, and (for today) what the shop holds now. */
export interface UsageSnapshot {
  orders: number;
  wechatAudits: number;
  /** Absent when the day is over: what it held stays as its last snapshot saw it. */
  held?: { products: number; storageBytes: number; staff: number };
}

interface UsageRow {
  tenant_id: number;
  day: Date | string;
  orders: number;
  products: number;
  storage_bytes: number | string;
  staff: number;
  wechat_audits: number;
  api_requests: number | string;
  measured_at: Date | null;
}

/** A DATE column as YYYY-MM-DD (the driver returns midnight UTC, the session being in UTC). */
const dayOf = (v: Date | string): string => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));

const toUsage = (r: UsageRow): StoredUsageDay => ({
  tenantId: Number(r.tenant_id),
  day: dayOf(r.day),
  orders: Number(r.orders),
  products: Number(r.products),
  storageBytes: Number(r.storage_bytes),
  staff: Number(r.staff),
  wechatAudits: Number(r.wechat_audits),
  apiRequests: Number(r.api_requests),
  measuredAt: r.measured_at,
});

const SORT_COLUMNS: Record<UsageSort, string> = {
  orders: 'orders',
  products: 'products',
  storageBytes: 'storage_bytes',
  staff: 'staff',
  wechatAudits: 'wechat_audits',
  apiRequests: 'api_requests',
  tenantId: 'tenant_id',
};

/**
 * `usage_daily` (a platform table: staff read a day across every shop) and `usage_objects` (each shop's stored files
 * and their sizes, through the tenant scope).
 */
export function usageRepository(db: Database) {
  const daily = (ctx: RequestContext) => platformTable(db.conn(ctx), 'usage_daily');
  const objects = (ctx: TenantContext) => db.scope(ctx).table('usage_objects');

  return {
    /**
     * Writes what a snapshot measured of a shop's day: its counts, and what it holds when given; the API requests
     * flushed into the row are left as they are.
     */
    async saveSnapshot(ctx: TenantContext, day: string, s: UsageSnapshot, at: Date): Promise<void> {
      const row: Record<string, unknown> = {
        tenant_id: ctx.tenantId,
        day,
        orders: s.orders,
        wechat_audits: s.wechatAudits,
        measured_at: at,
      };
      if (s.held) {
        row.products = s.held.products;
        row.storage_bytes = s.held.storageBytes;
        row.staff = s.held.staff;
      }
      const merge = Object.keys(row).filter((c) => c !== 'tenant_id' && c !== 'day');
      await daily(ctx).insert(row).onConflict(['tenant_id', 'day']).merge(merge);
    },

    /** Adds API requests to shops' days (rows made as needed), in one statement. */
    async addApiRequests(
      ctx: RequestContext,
      counts: Array<{ tenantId: number; day: string; n: number }>,
    ): Promise<void> {
      if (counts.length === 0) return;
      await daily(ctx)
        .insert(counts.map((c) => ({ tenant_id: c.tenantId, day: c.day, api_requests: c.n })))
        .onConflict(['tenant_id', 'day'])
        .merge({ api_requests: db.knex.raw('api_requests + VALUES(api_requests)') });
    },

    /** A shop's day, if anything of it was recorded. */
    async day(ctx: RequestContext, tenantId: number, day: string): Promise<StoredUsageDay | null> {
      const r = (await daily(ctx).where({ tenant_id: tenantId, day }).first()) as UsageRow | undefined;
      return r ? toUsage(r) : null;
    },

    /** A shop's days in [from, to], oldest first. */
    async history(ctx: RequestContext, tenantId: number, from: string, to: string): Promise<StoredUsageDay[]> {
      const rows = (await daily(ctx)
        .where({ tenant_id: tenantId })
        .whereBetween('day', [from, to])
        .orderBy('day', 'asc')) as UsageRow[];
      return rows.map(toUsage);
    },

    /** Every shop's usage of a day, a page sorted by a metric (ties by shop id), and how many shops it holds. */
    async ofDay(
      ctx: RequestContext,
      q: { day: string; sort: UsageSort; order: SortOrder; page: number; pageSize: number },
    ): Promise<{ rows: StoredUsageDay[]; total: number }> {
      const base = (): Knex.QueryBuilder => daily(ctx).where({ day: q.day });
      const [rows, counted] = await Promise.all([
        base()
          .orderBy(SORT_COLUMNS[q.sort], q.order)
          .orderBy('tenant_id', 'asc')
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize) as Promise<UsageRow[]>,
        base().count({ total: '*' }),
      ]);
      return { rows: rows.map(toUsage), total: totalOf(counted) };
    },

    /** Records a stored file of the shop and its size (a file stored again under its key takes the new size). */
    async objectStored(ctx: TenantContext, o: { visibility: Visibility; key: string; bytes: number }): Promise<void> {
      await db
        .scope(ctx)
        .upsert(
          'usage_objects',
          { visibility: o.visibility, object_key: o.key, bytes: o.bytes, stored_at: db.knex.fn.now(3) },
          ['bytes', 'stored_at'],
        );
    },

    async objectDeleted(ctx: TenantContext, o: { visibility: Visibility; key: string }): Promise<void> {
      await objects(ctx).where({ visibility: o.visibility, object_key: o.key }).delete();
    },

    /** The bytes of every file the shop keeps in storage. */
    async storedBytes(ctx: TenantContext): Promise<number> {
      const r = (await objects(ctx).sum({ total: 'bytes' }).first()) as { total: number | string | null } | undefined;
      return Number(r?.total ?? 0);
    },
  };
}

export type UsageRepository = ReturnType<typeof usageRepository>;
