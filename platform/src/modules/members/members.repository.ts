import type { MemberLevelInput, MemberSettings, PointsEntryKind } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { isDuplicateKey, parseJsonColumn, totalOf } from '../../kernel/db/rows';

/** A shopper's membership as stored: growth and level, the three parts of the points balance, the figures. */
export interface StoredMember {
  shopperId: number;
  growth: number;
  levelId: number | null;
  points: number;
  pointsFrozen: number;
  pointsDebt: number;
  ordersCount: number;
  spendFen: number;
  signStreak: number;
  /** YYYY-MM-DD, China time. */
  lastSignOn: string | null;
  createdAt: Date;
}

export interface StoredLevel extends MemberLevelInput {
  id: number;
}

export type LotSource = 'order' | 'sign_in' | 'adjusted' | 'returned';

/** A batch of points: what is left of it, whether it is still frozen, when it expires. */
export interface PointsLot {
  id: number;
  source: LotSource;
  orderId: number | null;
  remaining: number;
  frozen: boolean;
  expiresAt: Date | null;
}

/** One change to a shopper's points, by part. */
export interface PointsChange {
  kind: PointsEntryKind;
  available: number;
  frozen: number;
  debt: number;
  orderId?: number | null;
  reason?: string | null;
  actorId?: number | null;
}

export interface StoredEntry extends Required<PointsChange> {
  id: number;
  createdAt: Date;
}

export type MemberOrderState = 'placed' | 'frozen' | 'released' | 'closed';

/** What an order did to its shopper's membership. */
export interface MemberOrder {
  orderId: number;
  shopperId: number;
  pointsUsed: number;
  pointsReturned: boolean;
  paidFen: number;
  refundedFen: number;
  pointsEarned: number;
  pointsTakenBack: number;
  growth: number;
  growthTakenBack: number;
  state: MemberOrderState;
}

export type MemberSort = 'newest' | 'spend' | 'points' | 'last_visit';

const toMember = (r: Record<string, unknown>): StoredMember => ({
  shopperId: Number(r.shopper_id),
  growth: Number(r.growth),
  levelId: r.level_id === null ? null : Number(r.level_id),
  points: Number(r.points),
  pointsFrozen: Number(r.points_frozen),
  pointsDebt: Number(r.points_debt),
  ordersCount: Number(r.orders_count),
  spendFen: Number(r.spend_fen),
  signStreak: Number(r.sign_streak),
  lastSignOn: r.last_sign_on === null ? null : dateOnly(r.last_sign_on as Date | string),
  createdAt: r.created_at as Date,
});

/** A DATE column as YYYY-MM-DD (the driver gives a Date at local midnight, or the string itself). */
function dateOnly(v: Date | string): string {
  if (typeof v === 'string') return v.slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${v.getFullYear()}-${pad(v.getMonth() + 1)}-${pad(v.getDate())}`;
}

const toLot = (r: Record<string, unknown>): PointsLot => ({
  id: Number(r.id),
  source: r.source as LotSource,
  orderId: r.order_id === null ? null : Number(r.order_id),
  remaining: Number(r.remaining),
  frozen: Boolean(r.frozen),
  expiresAt: (r.expires_at as Date | null) ?? null,
});

const toMemberOrder = (r: Record<string, unknown>): MemberOrder => ({
  orderId: Number(r.order_id),
  shopperId: Number(r.shopper_id),
  pointsUsed: Number(r.points_used),
  pointsReturned: Boolean(r.points_returned),
  paidFen: Number(r.paid_fen),
  refundedFen: Number(r.refunded_fen),
  pointsEarned: Number(r.points_earned),
  pointsTakenBack: Number(r.points_taken_back),
  growth: Number(r.growth),
  growthTakenBack: Number(r.growth_taken_back),
  state: r.state as MemberOrderState,
});

/** The soonest-expiring batches first; those that never expire last; then the oldest. */
const SPEND_ORDER = 'expires_at is null, expires_at, id';

/** The only SQL on the member tables; every query through the caller's tenant scope. */
export function membersRepository(db: Database) {
  const scope = (ctx: TenantContext) => db.scope(ctx);
  const knex = db.knex;
  /** The level a member with no growth is at: the one that asks for none, if the shop has it. */
  const entryLevel = (ctx: TenantContext) =>
    knex.raw('(select id from member_levels where tenant_id = ? and growth_threshold = 0)', [ctx.tenantId]);

  /** A page of products a shopper keeps (favourites, history), by `at` latest first. */
  async function savedPage(
    ctx: TenantContext,
    table: 'favourites' | 'browse_history',
    at: 'created_at' | 'viewed_at',
    shopperId: number,
    page: number,
    pageSize: number,
  ): Promise<{ rows: Array<{ productId: number; at: Date }>; total: number }> {
    const base = () => scope(ctx).table(table).where({ shopper_id: shopperId });
    const [rows, counted] = await Promise.all([
      base()
        .orderBy(at, 'desc')
        .orderBy('product_id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .select('product_id', `${at} as at`),
      base().count({ total: '*' }),
    ]);
    return {
      rows: (rows as Array<{ product_id: number; at: Date }>).map((r) => ({
        productId: Number(r.product_id),
        at: r.at,
      })),
      total: totalOf(counted),
    };
  }

  return {
    // ---- settings and levels ------------------------------------------------------------------------------------

    async settings(ctx: TenantContext): Promise<MemberSettings | null> {
      const r = await scope(ctx).table('member_settings').first('settings');
      return r ? (parseJsonColumn(r.settings) as MemberSettings) : null;
    },

    async saveSettings(ctx: TenantContext, settings: MemberSettings): Promise<void> {
      await scope(ctx).upsert('member_settings', { settings: JSON.stringify(settings), updated_at: knex.fn.now(3) }, [
        'settings',
        'updated_at',
      ]);
    },

    async levels(ctx: TenantContext): Promise<StoredLevel[]> {
      const rows = (await scope(ctx).table('member_levels').orderBy('growth_threshold')) as Array<
        Record<string, unknown>
      >;
      return rows.map((r) => ({
        id: Number(r.id),
        name: r.name as string,
        growthThreshold: Number(r.growth_threshold),
        discountPercent: Number(r.discount_percent),
      }));
    },

    /** Inserts a level; null when another level has its threshold. */
    async createLevel(ctx: TenantContext, level: MemberLevelInput): Promise<number | null> {
      try {
        return await scope(ctx).insert('member_levels', {
          name: level.name,
          growth_threshold: level.growthThreshold,
          discount_percent: level.discountPercent,
        });
      } catch (err) {
        if (isDuplicateKey(err)) return null;
        throw err;
      }
    },

    /** Changes a level: false when none has this id; null when another level has the threshold. */
    async updateLevel(ctx: TenantContext, id: number, level: MemberLevelInput): Promise<boolean | null> {
      try {
        const n = await scope(ctx).table('member_levels').where({ id }).update({
          name: level.name,
          growth_threshold: level.growthThreshold,
          discount_percent: level.discountPercent,
        });
        return n > 0;
      } catch (err) {
        if (isDuplicateKey(err)) return null;
        throw err;
      }
    },

    async deleteLevel(ctx: TenantContext, id: number): Promise<boolean> {
      return (await scope(ctx).table('member_levels').where({ id }).delete()) > 0;
    },

    /** Locks the shop's level list (its settings row) so that level changes and re-placements queue. */
    async lockLevels(ctx: TenantContext): Promise<void> {
      await scope(ctx).table('member_levels').forUpdate().select('id');
    },

    /** Members per level id. */
    async levelCounts(ctx: TenantContext): Promise<Map<number, number>> {
      const rows = (await scope(ctx)
        .table('members')
        .whereNotNull('level_id')
        .groupBy('level_id')
        .select('level_id', knex.raw('count(*) as n'))) as Array<{ level_id: number; n: number | string }>;
      return new Map(rows.map((r) => [Number(r.level_id), Number(r.n)]));
    },

    /**
     * Places every member of the shop at the highest level whose threshold their growth reaches (levels sorted by
     * threshold, lowest first): one UPDATE.
     */
    async placeAll(ctx: TenantContext, levels: StoredLevel[]): Promise<void> {
      if (levels.length === 0) {
        await scope(ctx).table('members').whereNotNull('level_id').update({ level_id: null });
        return;
      }
      const cases = [...levels]
        .reverse()
        .map(() => 'when growth >= ? then ?')
        .join(' ');
      const args = [...levels].reverse().flatMap((l) => [l.growthThreshold, l.id]);
      await scope(ctx)
        .table('members')
        .update({ level_id: knex.raw(`case ${cases} else null end`, args) });
    },

    // ---- members ------------------------------------------------------------------------------------------------

    /** The member rows of these shoppers (absent: never had one). */
    async members(ctx: TenantContext, shopperIds: number[]): Promise<Map<number, StoredMember>> {
      if (shopperIds.length === 0) return new Map();
      const rows = (await scope(ctx)
        .table('members')
        .whereIn('shopper_id', [...new Set(shopperIds)])) as Array<Record<string, unknown>>;
      return new Map(rows.map((r) => [Number(r.shopper_id), toMember(r)]));
    },

    /** Gives a shopper a member row (a new shopper joins; nothing when they have one). */
    async join(ctx: TenantContext, shopperId: number): Promise<void> {
      await scope(ctx)
        .table('members')
        .insert({ shopper_id: shopperId, level_id: entryLevel(ctx) })
        .onConflict()
        .ignore();
    },

    /**
     * Locks these shoppers' member rows, in shopper order, creating the missing ones first: every change of points,
     * growth or sign-in takes this lock before anything else, so that changes of one shopper queue.
     */
    async lockMembers(ctx: TenantContext, shopperIds: number[]): Promise<Map<number, StoredMember>> {
      const ids = [...new Set(shopperIds)].sort((a, b) => a - b);
      if (ids.length === 0) return new Map();
      // Locking reads only: a plain read here would fix the transaction's snapshot before the lock is held.
      const lock = async () =>
        new Map(
          (
            (await scope(ctx).table('members').whereIn('shopper_id', ids).orderBy('shopper_id').forUpdate()) as Array<
              Record<string, unknown>
            >
          ).map((r) => [Number(r.shopper_id), toMember(r)]),
        );
      const locked = await lock();
      if (locked.size === ids.length) return locked;
      // Rows are made at sign-up (`join`); a shopper made otherwise gets theirs now, at the entry level. Two first
      // uses at once may deadlock on the gap: the callers run again.
      await scope(ctx)
        .table('members')
        .insert(ids.filter((id) => !locked.has(id)).map((id) => ({ shopper_id: id, level_id: entryLevel(ctx) })))
        .onConflict()
        .ignore();
      return lock();
    },

    /** Moves a member's balance and figures by these amounts (the row is locked by the caller). */
    async shiftMember(
      ctx: TenantContext,
      shopperId: number,
      by: Partial<Record<'points' | 'points_frozen' | 'points_debt' | 'growth' | 'orders_count' | 'spend_fen', number>>,
    ): Promise<void> {
      const patch: Record<string, unknown> = {};
      for (const [column, n] of Object.entries(by)) if (n) patch[column] = knex.raw('?? + ?', [column, n]);
      if (Object.keys(patch).length === 0) return;
      await scope(ctx).table('members').where({ shopper_id: shopperId }).update(patch);
    },

    async setMember(
      ctx: TenantContext,
      shopperId: number,
      patch: Partial<{ levelId: number | null; signStreak: number; lastSignOn: string }>,
    ): Promise<void> {
      const row: Record<string, unknown> = {};
      if (patch.levelId !== undefined) row.level_id = patch.levelId;
      if (patch.signStreak !== undefined) row.sign_streak = patch.signStreak;
      if (patch.lastSignOn !== undefined) row.last_sign_on = patch.lastSignOn;
      if (Object.keys(row).length) await scope(ctx).table('members').where({ shopper_id: shopperId }).update(row);
    },

    /** A page of members, optionally among some shoppers or at one level, in a sort; `lastVisit` sorts by the ids given. */
    async page(
      ctx: TenantContext,
      q: {
        shopperIds?: number[];
        levelId?: number;
        sort: Exclude<MemberSort, 'last_visit'>;
        page: number;
        pageSize: number;
      },
    ): Promise<{ rows: StoredMember[]; total: number }> {
      const filtered = () => {
        const b = scope(ctx).table('members');
        if (q.shopperIds) b.whereIn('shopper_id', q.shopperIds.length ? q.shopperIds : [0]);
        if (q.levelId !== undefined) b.where('level_id', q.levelId);
        return b;
      };
      const order: Record<typeof q.sort, [string, 'asc' | 'desc']> = {
        newest: ['shopper_id', 'desc'],
        spend: ['spend_fen', 'desc'],
        points: ['points', 'desc'],
      };
      const [column, dir] = order[q.sort];
      const [rows, counted] = await Promise.all([
        filtered()
          .orderBy(column, dir)
          .orderBy('shopper_id', 'desc')
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize),
        filtered().count({ total: '*' }),
      ]);
      return { rows: (rows as Array<Record<string, unknown>>).map(toMember), total: totalOf(counted) };
    },

    // ---- points -------------------------------------------------------------------------------------------------

    /** Points each shopper can spend at `at`: what is left of their unfrozen batches not yet expired. */
    async spendable(ctx: TenantContext, shopperIds: number[], at: Date): Promise<Map<number, number>> {
      if (shopperIds.length === 0) return new Map();
      const rows = (await scope(ctx)
        .table('points_lots')
        .whereIn('shopper_id', [...new Set(shopperIds)])
        .where('frozen', false)
        .where('remaining', '>', 0)
        .where((w) => w.whereNull('expires_at').orWhere('expires_at', '>', at))
        .groupBy('shopper_id')
        .select('shopper_id', knex.raw('sum(remaining) as n'))) as Array<{ shopper_id: number; n: string | number }>;
      return new Map(rows.map((r) => [Number(r.shopper_id), Number(r.n)]));
    },

    /**
     * What each shopper can spend at `at`, read with the batches locked: in a transaction that holds the member rows,
     * a plain read could see a snapshot older than the lock.
     */
    async spendableLocked(ctx: TenantContext, shopperIds: number[], at: Date): Promise<Map<number, number>> {
      if (shopperIds.length === 0) return new Map();
      const rows = (await scope(ctx)
        .table('points_lots')
        .whereIn('shopper_id', [...new Set(shopperIds)])
        .where('frozen', false)
        .where('remaining', '>', 0)
        .where((w) => w.whereNull('expires_at').orWhere('expires_at', '>', at))
        .forUpdate()
        .select('shopper_id', 'remaining')) as Array<{ shopper_id: number; remaining: number }>;
      const out = new Map<number, number>();
      for (const r of rows) out.set(Number(r.shopper_id), (out.get(Number(r.shopper_id)) ?? 0) + Number(r.remaining));
      return out;
    },

    /** The shopper's unfrozen batches with points left, in the order they are spent (locked: the member row is). */
    async spendableLots(ctx: TenantContext, shopperId: number): Promise<PointsLot[]> {
      const rows = (await scope(ctx)
        .table('points_lots')
        .where({ shopper_id: shopperId, frozen: false })
        .where('remaining', '>', 0)
        .orderByRaw(SPEND_ORDER)
        .forUpdate()) as Array<Record<string, unknown>>;
      return rows.map(toLot);
    },

    /** An order's batches (its earned points), locked. */
    async orderLots(ctx: TenantContext, orderId: number): Promise<PointsLot[]> {
      const rows = (await scope(ctx)
        .table('points_lots')
        .where({ order_id: orderId, source: 'order' })
        .forUpdate()) as Array<Record<string, unknown>>;
      return rows.map(toLot);
    },

    async addLot(
      ctx: TenantContext,
      lot: {
        shopperId: number;
        source: LotSource;
        orderId?: number | null;
        amount: number;
        frozen: boolean;
        expiresAt: Date | null;
      },
    ): Promise<number> {
      return scope(ctx).insert('points_lots', {
        shopper_id: lot.shopperId,
        source: lot.source,
        order_id: lot.orderId ?? null,
        amount: lot.amount,
        remaining: lot.amount,
        frozen: lot.frozen,
        expires_at: lot.expiresAt,
      });
    },

    /** Sets what is left of each batch (by id). */
    async setRemaining(ctx: TenantContext, left: Map<number, number>): Promise<void> {
      for (const [id, remaining] of left) await scope(ctx).table('points_lots').where({ id }).update({ remaining });
    },

    async releaseLot(ctx: TenantContext, id: number, expiresAt: Date | null): Promise<void> {
      await scope(ctx).table('points_lots').where({ id }).update({ frozen: false, expires_at: expiresAt });
    },

    /** Shoppers with unfrozen batches past their end that still hold points, at most `limit`. */
    async shoppersWithExpired(ctx: TenantContext, at: Date, limit: number): Promise<number[]> {
      const rows = (await scope(ctx)
        .table('points_lots')
        .where('frozen', false)
        .where('remaining', '>', 0)
        .where('expires_at', '<=', at)
        .distinct('shopper_id')
        .limit(limit)) as Array<{ shopper_id: number }>;
      return rows.map((r) => Number(r.shopper_id));
    },

    /** The shopper's expired batches that still hold points, locked. */
    async expiredLots(ctx: TenantContext, shopperId: number, at: Date): Promise<PointsLot[]> {
      const rows = (await scope(ctx)
        .table('points_lots')
        .where({ shopper_id: shopperId, frozen: false })
        .where('remaining', '>', 0)
        .where('expires_at', '<=', at)
        .forUpdate()) as Array<Record<string, unknown>>;
      return rows.map(toLot);
    },

    /** The soonest expiry among the shopper's spendable batches before `before`, and the points it takes. */
    async nextExpiry(
      ctx: TenantContext,
      shopperId: number,
      at: Date,
      before: Date,
    ): Promise<{ points: number; at: Date } | null> {
      const first = (await scope(ctx)
        .table('points_lots')
        .where({ shopper_id: shopperId, frozen: false })
        .where('remaining', '>', 0)
        .where('expires_at', '>', at)
        .where('expires_at', '<=', before)
        .orderBy('expires_at')
        .first('expires_at')) as { expires_at: Date } | undefined;
      if (!first) return null;
      const sum = (await scope(ctx)
        .table('points_lots')
        .where({ shopper_id: shopperId, frozen: false, expires_at: first.expires_at })
        .sum({ n: 'remaining' })) as Array<{ n: string | number | null }>;
      return { points: Number(sum[0]?.n ?? 0), at: first.expires_at };
    },

    async addEntry(ctx: TenantContext, shopperId: number, c: PointsChange): Promise<void> {
      await scope(ctx).insert('points_ledger', {
        shopper_id: shopperId,
        kind: c.kind,
        available: c.available,
        frozen: c.frozen,
        debt: c.debt,
        order_id: c.orderId ?? null,
        reason: c.reason ?? null,
        actor_id: c.actorId ?? null,
      });
    },

    async entries(
      ctx: TenantContext,
      shopperId: number,
      page: number,
      pageSize: number,
    ): Promise<{ rows: StoredEntry[]; total: number }> {
      const base = () => scope(ctx).table('points_ledger').where({ shopper_id: shopperId });
      const [rows, counted] = await Promise.all([
        base()
          .orderBy('id', 'desc')
          .limit(pageSize)
          .offset((page - 1) * pageSize),
        base().count({ total: '*' }),
      ]);
      return {
        rows: (rows as Array<Record<string, unknown>>).map((r) => ({
          id: Number(r.id),
          kind: r.kind as PointsEntryKind,
          available: Number(r.available),
          frozen: Number(r.frozen),
          debt: Number(r.debt),
          orderId: r.order_id === null ? null : Number(r.order_id),
          reason: (r.reason as string | null) ?? null,
          actorId: r.actor_id === null ? null : Number(r.actor_id),
          createdAt: r.created_at as Date,
        })),
        total: totalOf(counted),
      };
    },

    // ---- orders -------------------------------------------------------------------------------------------------

    async addOrders(
      ctx: TenantContext,
      rows: Array<{ orderId: number; shopperId: number; pointsUsed: number }>,
    ): Promise<void> {
      if (rows.length === 0) return;
      await scope(ctx).insert(
        'member_orders',
        rows.map((r) => ({ order_id: r.orderId, shopper_id: r.shopperId, points_used: r.pointsUsed, state: 'placed' })),
      );
    },

    /** An order's membership record, locked (the caller holds its shopper's member row). */
    async order(ctx: TenantContext, orderId: number): Promise<MemberOrder | null> {
      const r = await scope(ctx).table('member_orders').where({ order_id: orderId }).forUpdate().first();
      return r ? toMemberOrder(r) : null;
    },

    /** The shopper of an order with a membership record (read before locking the member row). */
    async shopperOfOrder(ctx: TenantContext, orderId: number): Promise<number | null> {
      const r = await scope(ctx).table('member_orders').where({ order_id: orderId }).first('shopper_id');
      return r ? Number(r.shopper_id) : null;
    },

    /** Records the payment of an order (creating its record when it used no points). */
    async orderPaid(
      ctx: TenantContext,
      o: { orderId: number; shopperId: number; paidFen: number; pointsEarned: number; growth: number },
    ): Promise<void> {
      await scope(ctx).upsert(
        'member_orders',
        {
          order_id: o.orderId,
          shopper_id: o.shopperId,
          paid_fen: o.paidFen,
          points_earned: o.pointsEarned,
          growth: o.growth,
          state: 'frozen',
        },
        ['paid_fen', 'points_earned', 'growth', 'state'],
      );
    },

    async updateOrder(
      ctx: TenantContext,
      orderId: number,
      patch: Partial<
        Pick<MemberOrder, 'refundedFen' | 'pointsTakenBack' | 'growthTakenBack' | 'pointsReturned' | 'state'>
      >,
    ): Promise<void> {
      const row: Record<string, unknown> = {};
      if (patch.refundedFen !== undefined) row.refunded_fen = patch.refundedFen;
      if (patch.pointsTakenBack !== undefined) row.points_taken_back = patch.pointsTakenBack;
      if (patch.growthTakenBack !== undefined) row.growth_taken_back = patch.growthTakenBack;
      if (patch.pointsReturned !== undefined) row.points_returned = patch.pointsReturned;
      if (patch.state !== undefined) row.state = patch.state;
      await scope(ctx).table('member_orders').where({ order_id: orderId }).update(row);
    },

    /** Orders whose points are frozen, after an order id, at most `limit`, oldest first. */
    async frozenOrders(ctx: TenantContext, afterId: number, limit: number): Promise<number[]> {
      const rows = (await scope(ctx)
        .table('member_orders')
        .where({ state: 'frozen' })
        .where('order_id', '>', afterId)
        .orderBy('order_id')
        .limit(limit)
        .select('order_id')) as Array<{ order_id: number }>;
      return rows.map((r) => Number(r.order_id));
    },

    // ---- sign-in ------------------------------------------------------------------------------------------------

    /** Records a sign-in; false when the shopper signed in that day already. */
    async addSignIn(
      ctx: TenantContext,
      s: { shopperId: number; on: string; streak: number; points: number },
    ): Promise<boolean> {
      try {
        await scope(ctx).insert('sign_ins', {
          shopper_id: s.shopperId,
          signed_on: s.on,
          streak: s.streak,
          points: s.points,
        });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    // ---- favourites and history ---------------------------------------------------------------------------------

    /** Adds a favourite; false when it was one already. */
    async addFavourite(ctx: TenantContext, shopperId: number, productId: number): Promise<boolean> {
      try {
        await scope(ctx).insert('favourites', { shopper_id: shopperId, product_id: productId });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    async removeFavourite(ctx: TenantContext, shopperId: number, productId: number): Promise<boolean> {
      return (
        (await scope(ctx).table('favourites').where({ shopper_id: shopperId, product_id: productId }).delete()) > 0
      );
    },

    async isFavourite(ctx: TenantContext, shopperId: number, productId: number): Promise<boolean> {
      return Boolean(
        await scope(ctx)
          .table('favourites')
          .where({ shopper_id: shopperId, product_id: productId })
          .first('product_id'),
      );
    },

    /** A page of a shopper's favourites, newest first. */
    favourites: (ctx: TenantContext, shopperId: number, page: number, pageSize: number) =>
      savedPage(ctx, 'favourites', 'created_at', shopperId, page, pageSize),

    async recordView(ctx: TenantContext, shopperId: number, productId: number, at: Date): Promise<void> {
      await scope(ctx).upsert('browse_history', { shopper_id: shopperId, product_id: productId, viewed_at: at }, [
        'viewed_at',
      ]);
    },

    /** Drops all but the latest `keep` products of a shopper's history. */
    async trimHistory(ctx: TenantContext, shopperId: number, keep: number): Promise<void> {
      const edge = (await scope(ctx)
        .table('browse_history')
        .where({ shopper_id: shopperId })
        .orderBy('viewed_at', 'desc')
        .orderBy('product_id', 'desc')
        .offset(keep)
        .first('viewed_at')) as { viewed_at: Date } | undefined;
      if (edge)
        await scope(ctx)
          .table('browse_history')
          .where({ shopper_id: shopperId })
          .where('viewed_at', '<=', edge.viewed_at)
          .delete();
    },

    /** A page of a shopper's history, latest first. */
    history: (ctx: TenantContext, shopperId: number, page: number, pageSize: number) =>
      savedPage(ctx, 'browse_history', 'viewed_at', shopperId, page, pageSize),

    async clearHistory(ctx: TenantContext, shopperId: number): Promise<void> {
      await scope(ctx).table('browse_history').where({ shopper_id: shopperId }).delete();
    },

    // ---- linking two identities of one person -------------------------------------------------------------------

    /**
     * Moves everything of shopper `from` to `to` (both member rows locked by the caller): batches, ledger rows and
     * order records are re-pointed (so each part's sum moves whole), sign-ins and favourites and history keep one row
     * per day or product, and `from`'s member row is added into `to`'s and removed.
     */
    async absorb(ctx: TenantContext, from: StoredMember, to: number): Promise<void> {
      const s = scope(ctx);
      for (const table of ['points_lots', 'points_ledger', 'member_orders'])
        await s.table(table).where({ shopper_id: from.shopperId }).update({ shopper_id: to });
      const conn = db.conn(ctx);
      for (const table of ['sign_ins', 'favourites', 'browse_history'])
        // Rows `to` has already (the same day, the same product) stay; `from`'s others move.
        await conn.raw(`update ignore ?? set shopper_id = ? where tenant_id = ? and shopper_id = ?`, [
          table,
          to,
          ctx.tenantId,
          from.shopperId,
        ]);
      for (const table of ['sign_ins', 'favourites', 'browse_history'])
        await s.table(table).where({ shopper_id: from.shopperId }).delete();
      await s
        .table('members')
        .where({ shopper_id: to })
        .update({
          points: knex.raw('points + ?', [from.points]),
          points_frozen: knex.raw('points_frozen + ?', [from.pointsFrozen]),
          points_debt: knex.raw('points_debt + ?', [from.pointsDebt]),
          growth: knex.raw('growth + ?', [from.growth]),
          orders_count: knex.raw('orders_count + ?', [from.ordersCount]),
          spend_fen: knex.raw('spend_fen + ?', [from.spendFen]),
        });
      await s.table('members').where({ shopper_id: from.shopperId }).delete();
    },

    async countFavourites(ctx: TenantContext, shopperId: number): Promise<number> {
      return totalOf(await scope(ctx).table('favourites').where({ shopper_id: shopperId }).count({ total: '*' }));
    },
  };
}

export type MembersRepository = ReturnType<typeof membersRepository>;
