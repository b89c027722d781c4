import type { Database } from '../../kernel/db/database';
import { isDuplicateKey, totalOf } from '../../kernel/db/rows';
import type { TenantContext } from '../../kernel/context';

export interface Shopper {
  id: number;
  tenantId: number;
  openid: string | null;
  unionid: string | null;
  phone: string | null;
  nickname: string | null;
  avatarUrl: string | null;
  status: 'active' | 'blocked';
  lastLoginAt: Date | null;
  createdAt: Date;
}

const toShopper = (r: Record<string, unknown>): Shopper => ({
  id: Number(r.id),
  tenantId: Number(r.tenant_id),
  openid: (r.openid as string | null) ?? null,
  unionid: (r.unionid as string | null) ?? null,
  phone: (r.phone as string | null) ?? null,
  nickname: (r.nickname as string | null) ?? null,
  avatarUrl: (r.avatar_url as string | null) ?? null,
  status: r.status as Shopper['status'],
  lastLoginAt: (r.last_login_at as Date | null) ?? null,
  createdAt: r.created_at as Date,
});

/** Shoppers are tenant-owned: every query here goes through the tenant scope of the caller's context. */
export function shoppersRepository(db: Database) {
  const scope = (ctx: TenantContext) => db.scope(ctx);
  const knex = db.knex;
  return {
    async byIds(ctx: TenantContext, ids: number[]): Promise<Shopper[]> {
      if (ids.length === 0) return [];
      return (
        (await scope(ctx)
          .table('shoppers')
          .whereIn('id', [...new Set(ids)])) as Array<Record<string, unknown>>
      ).map(toShopper);
    },

    async byId(ctx: TenantContext, id: number): Promise<Shopper | null> {
      const r = await scope(ctx).table('shoppers').where({ id }).first();
      return r ? toShopper(r) : null;
    },

    /**
     * Finds the shopper with this identity (openid or phone) or creates it, saying whether it did. Two concurrent first
     * sign-ins meet on the unique key; the loser reads the winner's row (and did not create it).
     */
    async findOrCreate(
      ctx: TenantContext,
      by: { openid: string } | { phone: string },
      extra: { unionid?: string } = {},
    ): Promise<{ shopper: Shopper; created: boolean }> {
      const s = scope(ctx);
      const find = async () => {
        const r = await s.table('shoppers').where(by).first();
        return r ? toShopper(r) : null;
      };
      const existing = await find();
      if (existing) {
        const patch: Record<string, unknown> = { last_login_at: knex.fn.now(3) };
        if (extra.unionid && existing.unionid !== extra.unionid) patch.unionid = extra.unionid;
        await s.table('shoppers').where({ id: existing.id }).update(patch);
        return { shopper: { ...existing, unionid: extra.unionid ?? existing.unionid }, created: false };
      }
      let created = true;
      try {
        await s.insert('shoppers', { ...by, unionid: extra.unionid ?? null, last_login_at: knex.fn.now(3) });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        created = false;
      }
      const shopper = await find();
      if (!shopper) throw new Error('shopper vanished after insert');
      return { shopper, created };
    },

    /** Shoppers whose nickname holds `q`, or whose phone ends with it (digits), newest first, at most `limit`. */
    async search(ctx: TenantContext, q: string, limit: number): Promise<number[]> {
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const rows = (await scope(ctx)
        .table('shoppers')
        .where((w) => {
          w.where('nickname', 'like', like);
          if (/^\d{3,11}$/.test(q)) w.orWhere('phone', 'like', `%${q}`);
        })
        .orderBy('id', 'desc')
        .limit(limit)
        .select('id')) as Array<{ id: number }>;
      return rows.map((r) => Number(r.id));
    },

    /** A page of shopper ids, most recently signed in first. */
    async recentlySeen(ctx: TenantContext, page: number, pageSize: number): Promise<{ ids: number[]; total: number }> {
      const [rows, counted] = await Promise.all([
        scope(ctx)
          .table('shoppers')
          .orderByRaw('last_login_at is null, last_login_at desc, id desc')
          .limit(pageSize)
          .offset((page - 1) * pageSize)
          .select('id'),
        scope(ctx).table('shoppers').count({ total: '*' }),
      ]);
      return { ids: (rows as Array<{ id: number }>).map((r) => Number(r.id)), total: totalOf(counted) };
    },

    async list(ctx: TenantContext, page: number, pageSize: number): Promise<{ rows: Shopper[]; total: number }> {
      const [rows, counted] = await Promise.all([
        scope(ctx)
          .table('shoppers')
          .orderBy('id', 'desc')
          .limit(pageSize)
          .offset((page - 1) * pageSize),
        scope(ctx).table('shoppers').count({ total: '*' }),
      ]);
      return { rows: (rows as Array<Record<string, unknown>>).map(toShopper), total: totalOf(counted) };
    },
  };
}

export type ShoppersRepository = ReturnType<typeof shoppersRepository>;
