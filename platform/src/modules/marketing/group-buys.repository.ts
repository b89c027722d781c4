import type { CouponDisplayStatus, GroupCampaignStatus, GroupStatus } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { isDuplicateKey, totalOf } from '../../kernel/db/rows';
import { withDisplayStatus } from './marketing.repository';

/** A 拼团 campaign as stored, with its SKUs' group prices. */
export interface StoredGroupCampaign {
  id: number;
  name: string;
  productId: number;
  startsAt: Date;
  endsAt: Date;
  status: GroupCampaignStatus;
  groupSize: number;
  durationMinutes: number;
  perShopperLimit: number;
  virtualFill: boolean;
  leaderDiscountFen: number;
  items: Array<{ skuId: number; groupPriceFen: number }>;
  createdAt: Date;
}

export type NewGroupCampaign = Omit<StoredGroupCampaign, 'id' | 'status' | 'createdAt'>;

export interface StoredGroup {
  id: number;
  campaignId: number;
  productId: number;
  leaderShopperId: number;
  size: number;
  seats: number;
  paid: number;
  virtualMembers: number;
  status: GroupStatus;
  expiresAt: Date | null;
  closedAt: Date | null;
  createdAt: Date;
}

export type MemberState = 'reserved' | 'paid' | 'released' | 'refunded' | 'virtual';

export interface GroupMember {
  id: number;
  groupId: number;
  campaignId: number;
  orderId: number | null;
  shopperId: number | null;
  leader: boolean;
  quantity: number;
  state: MemberState;
}

interface CampaignRow {
  id: number;
  name: string;
  product_id: number;
  starts_at: Date;
  ends_at: Date;
  status: GroupCampaignStatus;
  group_size: number;
  duration_minutes: number;
  per_shopper_limit: number;
  virtual_fill: number | boolean;
  leader_discount_fen: number;
  created_at: Date;
}

interface GroupRow {
  id: number;
  campaign_id: number;
  product_id: number;
  leader_shopper_id: number;
  size: number;
  seats: number;
  paid: number;
  virtual_members: number;
  status: GroupStatus;
  expires_at: Date | null;
  closed_at: Date | null;
  created_at: Date;
}

interface MemberRow {
  id: number;
  group_id: number;
  campaign_id: number;
  order_id: number | null;
  shopper_id: number | null;
  leader: number | boolean;
  quantity: number;
  state: MemberState;
}

const toGroup = (r: GroupRow): StoredGroup => ({
  id: Number(r.id),
  campaignId: Number(r.campaign_id),
  productId: Number(r.product_id),
  leaderShopperId: Number(r.leader_shopper_id),
  size: Number(r.size),
  seats: Number(r.seats),
  paid: Number(r.paid),
  virtualMembers: Number(r.virtual_members),
  status: r.status,
  expiresAt: r.expires_at,
  closedAt: r.closed_at,
  createdAt: r.created_at,
});

const toMember = (r: MemberRow): GroupMember => ({
  id: Number(r.id),
  groupId: Number(r.group_id),
  campaignId: Number(r.campaign_id),
  orderId: r.order_id === null ? null : Number(r.order_id),
  shopperId: r.shopper_id === null ? null : Number(r.shopper_id),
  leader: Boolean(r.leader),
  quantity: Number(r.quantity),
  state: r.state,
});

/** The only SQL on `group_campaigns`, `group_campaign_items`, `group_buy_groups`, `group_buy_members`, `group_buy_buyers`. */
export function groupBuysRepository(db: Database) {
  const campaigns = (ctx: TenantContext) => db.scope(ctx).table('group_campaigns');
  const items = (ctx: TenantContext) => db.scope(ctx).table('group_campaign_items');
  const groups = (ctx: TenantContext) => db.scope(ctx).table('group_buy_groups');
  const members = (ctx: TenantContext) => db.scope(ctx).table('group_buy_members');
  const buyers = (ctx: TenantContext) => db.scope(ctx).table('group_buy_buyers');

  async function withItems(ctx: TenantContext, rows: CampaignRow[]): Promise<StoredGroupCampaign[]> {
    if (rows.length === 0) return [];
    const all = (await items(ctx)
      .whereIn(
        'campaign_id',
        rows.map((r) => r.id),
      )
      .orderBy('id')) as Array<{ campaign_id: number; sku_id: number; group_price_fen: number }>;
    return rows.map((r) => ({
      id: Number(r.id),
      name: r.name,
      productId: Number(r.product_id),
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      status: r.status,
      groupSize: Number(r.group_size),
      durationMinutes: Number(r.duration_minutes),
      perShopperLimit: Number(r.per_shopper_limit),
      virtualFill: Boolean(r.virtual_fill),
      leaderDiscountFen: Number(r.leader_discount_fen),
      items: all
        .filter((i) => Number(i.campaign_id) === Number(r.id))
        .map((i) => ({ skuId: Number(i.sku_id), groupPriceFen: Number(i.group_price_fen) })),
      createdAt: r.created_at,
    }));
  }

  return {
    async insertCampaign(ctx: TenantContext, c: NewGroupCampaign, at: Date): Promise<number> {
      const id = await db.scope(ctx).insert('group_campaigns', {
        name: c.name,
        product_id: c.productId,
        starts_at: c.startsAt,
        ends_at: c.endsAt,
        group_size: c.groupSize,
        duration_minutes: c.durationMinutes,
        per_shopper_limit: c.perShopperLimit,
        virtual_fill: c.virtualFill,
        leader_discount_fen: c.leaderDiscountFen,
        created_at: at,
        updated_at: at,
      });
      await db.scope(ctx).insert(
        'group_campaign_items',
        c.items.map((i) => ({ campaign_id: id, sku_id: i.skuId, group_price_fen: i.groupPriceFen })),
      );
      return id;
    },

    async campaign(ctx: TenantContext, id: number): Promise<StoredGroupCampaign | null> {
      const row = (await campaigns(ctx).where({ id }).first()) as CampaignRow | undefined;
      return row ? (await withItems(ctx, [row]))[0]! : null;
    },

    async listCampaigns(
      ctx: TenantContext,
      q: { when?: CouponDisplayStatus; at: Date; page: number; pageSize: number },
    ): Promise<{ rows: StoredGroupCampaign[]; total: number }> {
      const base = withDisplayStatus(campaigns(ctx), q.when, q.at, ['starts_at', 'ends_at']);
      const [rows, total] = await Promise.all([
        base
          .clone()
          .orderBy('id', 'desc')
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize) as Promise<CampaignRow[]>,
        base.clone().count({ total: '*' }),
      ]);
      return { rows: await withItems(ctx, rows), total: totalOf(total) };
    },

    /** The product's campaigns not stopped over part of `from`–`to`, their rows locked (gap included). */
    async overlappingLocked(ctx: TenantContext, productId: number, from: Date, to: Date, except?: number) {
      const q = campaigns(ctx)
        .where({ product_id: productId, status: 'running' })
        .where('ends_at', '>', from)
        .where('starts_at', '<', to)
        .forUpdate();
      if (except !== undefined) q.whereNot({ id: except });
      return ((await q) as CampaignRow[]).map((r) => Number(r.id));
    },

    /** The product's campaign running at `at`, if any. */
    async runningOf(ctx: TenantContext, productId: number, at: Date): Promise<StoredGroupCampaign | null> {
      const row = (await campaigns(ctx)
        .where({ product_id: productId, status: 'running' })
        .where('starts_at', '<=', at)
        .where('ends_at', '>', at)
        .first()) as CampaignRow | undefined;
      return row ? (await withItems(ctx, [row]))[0]! : null;
    },

    async updateCampaign(ctx: TenantContext, id: number, change: { name?: string; endsAt?: Date }, at: Date) {
      await campaigns(ctx)
        .where({ id })
        .update({
          ...(change.name !== undefined ? { name: change.name } : {}),
          ...(change.endsAt ? { ends_at: change.endsAt } : {}),
          updated_at: at,
        });
    },

    async stopCampaign(ctx: TenantContext, id: number, at: Date): Promise<boolean> {
      return (
        (await campaigns(ctx).where({ id, status: 'running' }).update({ status: 'stopped', updated_at: at })) === 1
      );
    },

    /** Each campaign's groups by status, and its paid orders and money. */
    async figures(ctx: TenantContext, campaignIds: number[]) {
      if (campaignIds.length === 0) return new Map<number, Record<string, number>>();
      const g = (await groups(ctx)
        .whereIn('campaign_id', campaignIds)
        .groupBy('campaign_id', 'status')
        .select('campaign_id', 'status', db.knex.raw('COUNT(*) AS n'))) as Array<{
        campaign_id: number;
        status: GroupStatus;
        n: number;
      }>;
      const m = (await members(ctx)
        .whereIn('campaign_id', campaignIds)
        .where({ state: 'paid' })
        .groupBy('campaign_id')
        .select('campaign_id', db.knex.raw('COUNT(*) AS n'), db.knex.raw('SUM(total_fen) AS fen'))) as Array<{
        campaign_id: number;
        n: number;
        fen: number | string;
      }>;
      const out = new Map<number, Record<string, number>>();
      for (const id of campaignIds)
        out.set(id, { groups: 0, succeeded: 0, failed: 0, forming: 0, paidOrders: 0, paidFen: 0 });
      for (const r of g) {
        const f = out.get(Number(r.campaign_id))!;
        f.groups! += Number(r.n);
        if (r.status in f) f[r.status]! += Number(r.n);
      }
      for (const r of m) {
        const f = out.get(Number(r.campaign_id))!;
        f.paidOrders = Number(r.n);
        f.paidFen = Number(r.fen);
      }
      return out;
    },

    // ---- groups -----------------------------------------------------------------------------------------------------

    async insertGroup(
      ctx: TenantContext,
      g: { campaignId: number; productId: number; leaderShopperId: number; size: number },
      at: Date,
    ): Promise<number> {
      return db.scope(ctx).insert('group_buy_groups', {
        campaign_id: g.campaignId,
        product_id: g.productId,
        leader_shopper_id: g.leaderShopperId,
        size: g.size,
        seats: 1,
        created_at: at,
      });
    },

    async group(ctx: TenantContext, id: number, opts: { lock?: boolean } = {}): Promise<StoredGroup | null> {
      const q = groups(ctx).where({ id }).first();
      const row = (await (opts.lock ? q.forUpdate() : q)) as GroupRow | undefined;
      return row ? toGroup(row) : null;
    },

    async groupsByIds(ctx: TenantContext, ids: number[]): Promise<StoredGroup[]> {
      if (ids.length === 0) return [];
      return ((await groups(ctx).whereIn('id', ids)) as GroupRow[]).map(toGroup);
    },

    /** Takes a seat of an open group, if one is left and its time is not up. Returns whether it did. */
    async takeSeat(ctx: TenantContext, id: number, at: Date): Promise<boolean> {
      const n = await groups(ctx)
        .where({ id, status: 'forming' })
        .where('expires_at', '>', at)
        .whereRaw('seats < size')
        .increment('seats', 1);
      return n === 1;
    },

    async freeSeat(ctx: TenantContext, id: number, paid: boolean): Promise<void> {
      await groups(ctx)
        .where({ id })
        .where('seats', '>', 0)
        .update({ seats: db.knex.raw('seats - 1'), ...(paid ? { paid: db.knex.raw('GREATEST(paid, 1) - 1') } : {}) });
    },

    async changeGroup(
      ctx: TenantContext,
      id: number,
      change: Partial<{ status: GroupStatus; expiresAt: Date; closedAt: Date; paidDelta: number; virtual: number }>,
    ): Promise<void> {
      await groups(ctx)
        .where({ id })
        .update({
          ...(change.status ? { status: change.status } : {}),
          ...(change.expiresAt ? { expires_at: change.expiresAt } : {}),
          ...(change.closedAt ? { closed_at: change.closedAt } : {}),
          ...(change.paidDelta ? { paid: db.knex.raw('paid + ?', [change.paidDelta]) } : {}),
          ...(change.virtual !== undefined ? { virtual_members: change.virtual } : {}),
        });
    },

    /** Open groups of a product's campaign with seats left, fewest left first. */
    async openGroups(ctx: TenantContext, campaignId: number, at: Date, limit: number): Promise<StoredGroup[]> {
      const rows = (await groups(ctx)
        .where({ campaign_id: campaignId, status: 'forming' })
        .where('expires_at', '>', at)
        .whereRaw('seats < size')
        .orderByRaw('size - seats')
        .orderBy('expires_at')
        .limit(limit)) as GroupRow[];
      return rows.map(toGroup);
    },

    async listGroups(
      ctx: TenantContext,
      q: { status?: GroupStatus; campaignId?: number; shopperId?: number; page: number; pageSize: number },
    ): Promise<{ rows: StoredGroup[]; total: number }> {
      const base = groups(ctx);
      if (q.status) base.where({ status: q.status });
      if (q.campaignId) base.where({ campaign_id: q.campaignId });
      if (q.shopperId)
        base.whereIn(
          'id',
          members(ctx).where({ shopper_id: q.shopperId }).whereNot({ state: 'released' }).select('group_id'),
        );
      const [rows, total] = await Promise.all([
        base
          .clone()
          .orderBy('id', 'desc')
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize) as Promise<GroupRow[]>,
        base.clone().count({ total: '*' }),
      ]);
      return { rows: rows.map(toGroup), total: totalOf(total) };
    },

    /** Open groups whose time is up (at most 200), and failed ones with members still to refund or cancel. */
    async due(ctx: TenantContext, at: Date): Promise<number[]> {
      const expired = (await groups(ctx)
        .whereIn('status', ['forming', 'pending'])
        .where('expires_at', '<=', at)
        .select('id')
        .limit(200)) as Array<{ id: number }>;
      const unsettled = (await groups(ctx)
        .where({ status: 'failed' })
        .whereIn('id', members(ctx).whereIn('state', ['reserved', 'paid']).select('group_id'))
        .select('id')
        .limit(200)) as Array<{ id: number }>;
      return [...new Set([...expired, ...unsettled].map((r) => Number(r.id)))];
    },

    // ---- members ----------------------------------------------------------------------------------------------------

    /** A seat for a shopper's order; false when the shopper holds a live seat in this group already. */
    async insertMember(
      ctx: TenantContext,
      m: {
        groupId: number;
        campaignId: number;
        shopperId: number;
        leader: boolean;
        quantity: number;
        reservation: string;
      },
      at: Date,
    ): Promise<boolean> {
      try {
        await db.scope(ctx).insert('group_buy_members', {
          group_id: m.groupId,
          campaign_id: m.campaignId,
          shopper_id: m.shopperId,
          leader: m.leader,
          quantity: m.quantity,
          reservation: m.reservation,
          seat_key: `${m.groupId}:${m.shopperId}`,
          state: 'reserved',
          created_at: at,
        });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    async insertVirtual(ctx: TenantContext, groupId: number, campaignId: number, n: number, at: Date) {
      if (n <= 0) return;
      await db.scope(ctx).insert(
        'group_buy_members',
        Array.from({ length: n }, () => ({
          group_id: groupId,
          campaign_id: campaignId,
          state: 'virtual',
          created_at: at,
        })),
      );
    },

    async setMemberOrders(
      ctx: TenantContext,
      placed: Array<{ reservation: string; orderId: number; totalFen: number }>,
    ) {
      for (const p of placed)
        await members(ctx).where({ reservation: p.reservation }).update({ order_id: p.orderId, total_fen: p.totalFen });
    },

    async memberOfOrder(ctx: TenantContext, orderId: number, opts: { lock?: boolean } = {}) {
      const q = members(ctx).where({ order_id: orderId }).first();
      const row = (await (opts.lock ? q.forUpdate() : q)) as MemberRow | undefined;
      return row ? toMember(row) : null;
    },

    async membersOf(ctx: TenantContext, groupIds: number[]): Promise<GroupMember[]> {
      if (groupIds.length === 0) return [];
      return ((await members(ctx).whereIn('group_id', groupIds).orderBy('id')) as MemberRow[]).map(toMember);
    },

    /** Moves a member on; a seat no longer live frees its key (the shopper may take another seat in the group). */
    async setMemberState(ctx: TenantContext, id: number, state: MemberState): Promise<void> {
      await members(ctx)
        .where({ id })
        .update({ state, ...(state === 'released' || state === 'refunded' ? { seat_key: null } : {}) });
    },

    // ---- the per-shopper limit --------------------------------------------------------------------------------------

    async addBought(ctx: TenantContext, campaignId: number, shopperId: number, quantity: number, limit: number) {
      await db
        .scope(ctx)
        .upsert(
          'group_buy_buyers',
          { campaign_id: campaignId, shopper_id: shopperId, units: 0 },
          { units: db.knex.raw('units') },
        );
      const n = await buyers(ctx)
        .where({ campaign_id: campaignId, shopper_id: shopperId })
        .whereRaw('units + ? <= ?', [quantity, limit])
        .increment('units', quantity);
      return n === 1;
    },

    async subtractBought(ctx: TenantContext, campaignId: number, shopperId: number, quantity: number) {
      await buyers(ctx)
        .where({ campaign_id: campaignId, shopper_id: shopperId })
        .where('units', '>=', quantity)
        .decrement('units', quantity);
    },

    // ---- a merge ------------------------------------------------------------------------------------------------------

    /**
     * Gives one shopper's group buys to another: the groups they lead, their seats (a live seat's key becomes the
     * survivor's, unless the survivor holds a live seat in that group too: then both seats stay, each under its own key),
     * and their units per campaign, added to the survivor's.
     */
    async reassignShopper(ctx: TenantContext, fromId: number, toId: number): Promise<void> {
      type Seat = { id: number; group_id: number; seat_key: string | null };
      const theirs = (await members(ctx)
        .where({ shopper_id: fromId })
        .forUpdate()
        .select('id', 'group_id', 'seat_key')) as Seat[];
      const mine = new Set(
        (
          (await members(ctx)
            .where({ shopper_id: toId })
            .whereNotNull('seat_key')
            .forUpdate()
            .select('id', 'group_id', 'seat_key')) as Seat[]
        ).map((m) => Number(m.group_id)),
      );
      for (const m of theirs)
        if (m.seat_key !== null && !mine.has(Number(m.group_id)))
          await members(ctx)
            .where({ id: m.id })
            .update({ seat_key: `${m.group_id}:${toId}` });
      await members(ctx).where({ shopper_id: fromId }).update({ shopper_id: toId });
      await groups(ctx).where({ leader_shopper_id: fromId }).update({ leader_shopper_id: toId });
      const units = (await buyers(ctx).where({ shopper_id: fromId }).forUpdate()) as Array<{
        campaign_id: number;
        units: number;
      }>;
      for (const b of units)
        await db
          .scope(ctx)
          .upsert(
            'group_buy_buyers',
            { campaign_id: b.campaign_id, shopper_id: toId, units: Number(b.units) },
            { units: db.knex.raw('LEAST(255, ?? + ?)', ['units', Number(b.units)]) },
          );
      await buyers(ctx).where({ shopper_id: fromId }).delete();
    },
  };
}

export type GroupBuysRepository = ReturnType<typeof groupBuysRepository>;
