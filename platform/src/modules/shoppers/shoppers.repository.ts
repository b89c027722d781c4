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
  status: 'active' | 'blocked' | 'merged';
  lastLoginAt: Date | null;
  /** A merged shopper's survivor: the shopper their orders and the rest went to. */
  mergedInto: number | null;
  createdAt: Date;
}

/** What a shopper is known by: the identities a sign-in finds them with. */
export interface ShopperIdentity {
  openid: string | null;
  unionid: string | null;
  phone: string | null;
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
  mergedInto: r.merged_into === null || r.merged_into === undefined ? null : Number(r.merged_into),
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

    /**
     * Shoppers whose nickname holds `q`, or whose phone ends with it (digits), newest first, at most `limit`; merged ones
     * (tombstones) are not found.
     */
    async search(ctx: TenantContext, q: string, limit: number): Promise<number[]> {
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const rows = (await scope(ctx)
        .table('shoppers')
        .whereNot({ status: 'merged' })
        .where((w) => {
          w.where('nickname', 'like', like);
          if (/^\d{3,11}$/.test(q)) w.orWhere('phone', 'like', `%${q}`);
        })
        .orderBy('id', 'desc')
        .limit(limit)
        .select('id')) as Array<{ id: number }>;
      return rows.map((r) => Number(r.id));
    },

    /** A page of shopper ids, most recently signed in first (merged ones left out). */
    async recentlySeen(ctx: TenantContext, page: number, pageSize: number): Promise<{ ids: number[]; total: number }> {
      const [rows, counted] = await Promise.all([
        scope(ctx)
          .table('shoppers')
          .whereNot({ status: 'merged' })
          .orderByRaw('last_login_at is null, last_login_at desc, id desc')
          .limit(pageSize)
          .offset((page - 1) * pageSize)
          .select('id'),
        scope(ctx).table('shoppers').whereNot({ status: 'merged' }).count({ total: '*' }),
      ]);
      return { ids: (rows as Array<{ id: number }>).map((r) => Number(r.id)), total: totalOf(counted) };
    },

    /** The shoppers of the shop, newest first; merged ones (tombstones) are not listed. */
    async list(ctx: TenantContext, page: number, pageSize: number): Promise<{ rows: Shopper[]; total: number }> {
      const [rows, counted] = await Promise.all([
        scope(ctx)
          .table('shoppers')
          .whereNot({ status: 'merged' })
          .orderBy('id', 'desc')
          .limit(pageSize)
          .offset((page - 1) * pageSize),
        scope(ctx).table('shoppers').whereNot({ status: 'merged' }).count({ total: '*' }),
      ]);
      return { rows: (rows as Array<Record<string, unknown>>).map(toShopper), total: totalOf(counted) };
    },

    /** The shopper who has this phone, if any; `lock` reads the latest row and locks it (in the context's transaction). */
    async byPhone(ctx: TenantContext, phone: string, opts: { lock?: boolean } = {}): Promise<Shopper | null> {
      const q = scope(ctx).table('shoppers').where({ phone });
      if (opts.lock) q.forUpdate();
      const r = await q.first();
      return r ? toShopper(r) : null;
    },

    /**
     * Locks these shoppers' rows one by one in id order (lower first), so that two transactions locking the same pair
     * queue instead of deadlocking; answers them as they are now.
     */
    async lockInOrder(ctx: TenantContext, ids: number[]): Promise<Map<number, Shopper>> {
      const found = new Map<number, Shopper>();
      for (const id of [...new Set(ids)].sort((a, b) => a - b)) {
        const r = await scope(ctx).table('shoppers').where({ id }).forUpdate().first();
        if (r) found.set(id, toShopper(r));
      }
      return found;
    },

    async updateProfile(
      ctx: TenantContext,
      id: number,
      patch: { nickname?: string; avatarUrl?: string },
    ): Promise<void> {
      const row: Record<string, unknown> = { updated_at: knex.fn.now(3) };
      if (patch.nickname !== undefined) row.nickname = patch.nickname;
      if (patch.avatarUrl !== undefined) row.avatar_url = patch.avatarUrl;
      await scope(ctx).table('shoppers').where({ id }).update(row);
    },

    /** Sets a shopper's identities (a phone bound, an openid taken over from a merged shopper). */
    async setIdentity(ctx: TenantContext, id: number, identity: Partial<ShopperIdentity>): Promise<void> {
      const row: Record<string, unknown> = { updated_at: knex.fn.now(3) };
      if (identity.openid !== undefined) row.openid = identity.openid;
      if (identity.unionid !== undefined) row.unionid = identity.unionid;
      if (identity.phone !== undefined) row.phone = identity.phone;
      await scope(ctx).table('shoppers').where({ id }).update(row);
    },

    /**
     * Makes a shopper a tombstone of a merge: status `merged`, `merged_into` the survivor, and its openid, unionid and
     * phone cleared so the survivor can take them under the unique keys.
     */
    async markMerged(ctx: TenantContext, id: number, intoId: number, at: Date): Promise<void> {
      await scope(ctx)
        .table('shoppers')
        .where({ id })
        .update({
          status: 'merged',
          merged_into: intoId,
          merged_at: at,
          openid: null,
          unionid: null,
          phone: null,
          updated_at: knex.fn.now(3),
        });
    },
  };
}

export type ShoppersRepository = ReturnType<typeof shoppersRepository>;
