import type {
  CommissionEntryKind,
  CommissionState,
  DistributionSettings,
  DistributorStatus,
  WithdrawalMethod,
  WithdrawalStatus,
} from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { isDuplicateKey, parseJsonColumn, totalOf } from '../../kernel/db/rows';

export interface StoredDistributor {
  shopperId: number;
  status: DistributorStatus;
  rejectReason: string | null;
  frozenFen: number;
  availableFen: number;
  withdrawingFen: number;
  withdrawnFen: number;
  debtFen: number;
  appliedAt: Date;
  decidedAt: Date | null;
}

export interface Binding {
  shopperId: number;
  distributorId: number;
  boundAt: Date;
  protectUntil: Date | null;
}

export type BindDecision = 'bound' | 'moved' | 'kept' | 'same' | 'self' | 'loop' | 'not_distributor' | 'off';

export interface StoredCommission {
  id: number;
  orderId: number;
  distributorId: number;
  buyerId: number;
  level: 1 | 2;
  baseFen: number;
  amountFen: number;
  takenBackFen: number;
  state: CommissionState;
  createdAt: Date;
  releasedAt: Date | null;
}

export interface DistributionOrder {
  orderId: number;
  buyerId: number;
  paidFen: number;
  refundedFen: number;
  state: 'frozen' | 'released' | 'closed';
}

/** One change to a distributor's money, by part. */
export interface MoneyChange {
  kind: CommissionEntryKind;
  availableFen: number;
  frozenFen: number;
  withdrawingFen: number;
  debtFen: number;
  orderId?: number | null;
  withdrawalId?: number | null;
}

export interface StoredEntry extends Required<MoneyChange> {
  id: number;
  createdAt: Date;
}

export interface StoredWithdrawal {
  id: number;
  billNo: string;
  distributorId: number;
  amountFen: number;
  status: WithdrawalStatus;
  method: WithdrawalMethod | null;
  transferBillNo: string | null;
  packageInfo: string | null;
  reason: string | null;
  requestedAt: Date;
  decidedAt: Date | null;
  paidAt: Date | null;
}

const n = (v: unknown) => Number(v);
const toDistributor = (r: Record<string, unknown>): StoredDistributor => ({
  shopperId: n(r.shopper_id),
  status: r.status as DistributorStatus,
  rejectReason: (r.reject_reason as string | null) ?? null,
  frozenFen: n(r.frozen_fen),
  availableFen: n(r.available_fen),
  withdrawingFen: n(r.withdrawing_fen),
  withdrawnFen: n(r.withdrawn_fen),
  debtFen: n(r.debt_fen),
  appliedAt: r.applied_at as Date,
  decidedAt: (r.decided_at as Date | null) ?? null,
});
const toCommission = (r: Record<string, unknown>): StoredCommission => ({
  id: n(r.id),
  orderId: n(r.order_id),
  distributorId: n(r.distributor_id),
  buyerId: n(r.buyer_id),
  level: n(r.level) as 1 | 2,
  baseFen: n(r.base_fen),
  amountFen: n(r.amount_fen),
  takenBackFen: n(r.taken_back_fen),
  state: r.state as CommissionState,
  createdAt: r.created_at as Date,
  releasedAt: (r.released_at as Date | null) ?? null,
});
const toWithdrawal = (r: Record<string, unknown>): StoredWithdrawal => ({
  id: n(r.id),
  billNo: r.bill_no as string,
  distributorId: n(r.distributor_id),
  amountFen: n(r.amount_fen),
  status: r.status as WithdrawalStatus,
  method: (r.method as WithdrawalMethod | null) ?? null,
  transferBillNo: (r.transfer_bill_no as string | null) ?? null,
  packageInfo: (r.package_info as string | null) ?? null,
  reason: (r.reason as string | null) ?? null,
  requestedAt: r.requested_at as Date,
  decidedAt: (r.decided_at as Date | null) ?? null,
  paidAt: (r.paid_at as Date | null) ?? null,
});

const page = <T>(rows: unknown[], counted: unknown, map: (r: Record<string, unknown>) => T) => ({
  rows: (rows as Array<Record<string, unknown>>).map(map),
  total: totalOf(counted),
});

/** The only SQL on the distribution tables; every query through the caller's tenant scope. */
export function distributionRepository(db: Database) {
  const scope = (ctx: TenantContext) => db.scope(ctx);
  const knex = db.knex;

  return {
    // ---- settings and rules -------------------------------------------------------------------------------------

    async settings(ctx: TenantContext): Promise<DistributionSettings | null> {
      const r = await scope(ctx).table('distribution_settings').first('settings');
      return r ? (parseJsonColumn(r.settings) as DistributionSettings) : null;
    },

    async saveSettings(ctx: TenantContext, settings: DistributionSettings): Promise<void> {
      await scope(ctx).upsert(
        'distribution_settings',
        { settings: JSON.stringify(settings), updated_at: knex.fn.now(3) },
        ['settings', 'updated_at'],
      );
    },

    async rules(
      ctx: TenantContext,
      productIds?: number[],
    ): Promise<Map<number, { level1Bp: number; level2Bp: number }>> {
      const q = scope(ctx).table('commission_rules');
      if (productIds) {
        if (productIds.length === 0) return new Map();
        q.whereIn('product_id', productIds);
      }
      const rows = (await q.orderBy('product_id')) as Array<Record<string, unknown>>;
      return new Map(rows.map((r) => [n(r.product_id), { level1Bp: n(r.level1_bp), level2Bp: n(r.level2_bp) }]));
    },

    async setRule(ctx: TenantContext, productId: number, rule: { level1Bp: number; level2Bp: number }): Promise<void> {
      await scope(ctx).upsert(
        'commission_rules',
        { product_id: productId, level1_bp: rule.level1Bp, level2_bp: rule.level2Bp },
        ['level1_bp', 'level2_bp'],
      );
    },

    async deleteRule(ctx: TenantContext, productId: number): Promise<boolean> {
      return (await scope(ctx).table('commission_rules').where({ product_id: productId }).delete()) > 0;
    },

    // ---- distributors -------------------------------------------------------------------------------------------

    async distributors(ctx: TenantContext, ids: number[]): Promise<Map<number, StoredDistributor>> {
      if (ids.length === 0) return new Map();
      const rows = (await scope(ctx)
        .table('distributors')
        .whereIn('shopper_id', [...new Set(ids)])) as Array<Record<string, unknown>>;
      return new Map(rows.map((r) => [n(r.shopper_id), toDistributor(r)]));
    },

    /** Locks distributor rows, in id order: every change of a distributor's money or status takes this lock first. */
    async lock(ctx: TenantContext, ids: number[]): Promise<Map<number, StoredDistributor>> {
      const sorted = [...new Set(ids)].sort((a, b) => a - b);
      if (sorted.length === 0) return new Map();
      const rows = (await scope(ctx)
        .table('distributors')
        .whereIn('shopper_id', sorted)
        .orderBy('shopper_id')
        .forUpdate()) as Array<Record<string, unknown>>;
      return new Map(rows.map((r) => [n(r.shopper_id), toDistributor(r)]));
    },

    /** Records an application; false when the shopper has one already. */
    async apply(ctx: TenantContext, shopperId: number, status: DistributorStatus, at: Date): Promise<boolean> {
      try {
        await scope(ctx).insert('distributors', {
          shopper_id: shopperId,
          status,
          applied_at: at,
          decided_at: status === 'approved' ? at : null,
        });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    async setStatus(
      ctx: TenantContext,
      shopperId: number,
      status: DistributorStatus,
      at: Date,
      extra: { reason?: string | null; reapplied?: boolean } = {},
    ): Promise<void> {
      const row: Record<string, unknown> = { status, decided_at: status === 'pending' ? null : at };
      if (extra.reason !== undefined) row.reject_reason = extra.reason;
      if (extra.reapplied) row.applied_at = at;
      await scope(ctx).table('distributors').where({ shopper_id: shopperId }).update(row);
    },

    async shift(
      ctx: TenantContext,
      shopperId: number,
      by: Partial<Record<'frozen_fen' | 'available_fen' | 'withdrawing_fen' | 'withdrawn_fen' | 'debt_fen', number>>,
    ): Promise<void> {
      const patch: Record<string, unknown> = {};
      for (const [column, v] of Object.entries(by)) if (v) patch[column] = knex.raw('?? + ?', [column, v]);
      if (Object.keys(patch).length)
        await scope(ctx).table('distributors').where({ shopper_id: shopperId }).update(patch);
    },

    async page(
      ctx: TenantContext,
      q: { status?: DistributorStatus; page: number; pageSize: number },
    ): Promise<{ rows: StoredDistributor[]; total: number }> {
      const base = () => {
        const b = scope(ctx).table('distributors');
        if (q.status) b.where({ status: q.status });
        return b;
      };
      const [rows, counted] = await Promise.all([
        base()
          .orderBy('applied_at', 'desc')
          .orderBy('shopper_id', 'desc')
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize),
        base().count({ total: '*' }),
      ]);
      return page(rows, counted, toDistributor);
    },

    async addEntry(ctx: TenantContext, distributorId: number, c: MoneyChange, at: Date): Promise<void> {
      await scope(ctx).insert('commission_ledger', {
        distributor_id: distributorId,
        kind: c.kind,
        available_fen: c.availableFen,
        frozen_fen: c.frozenFen,
        withdrawing_fen: c.withdrawingFen,
        debt_fen: c.debtFen,
        order_id: c.orderId ?? null,
        withdrawal_id: c.withdrawalId ?? null,
        created_at: at,
      });
    },

    async entries(ctx: TenantContext, distributorId: number, p: number, pageSize: number) {
      const base = () => scope(ctx).table('commission_ledger').where({ distributor_id: distributorId });
      const [rows, counted] = await Promise.all([
        base()
          .orderBy('id', 'desc')
          .limit(pageSize)
          .offset((p - 1) * pageSize),
        base().count({ total: '*' }),
      ]);
      return page(rows, counted, (r): StoredEntry => ({
        id: n(r.id),
        kind: r.kind as CommissionEntryKind,
        availableFen: n(r.available_fen),
        frozenFen: n(r.frozen_fen),
        withdrawingFen: n(r.withdrawing_fen),
        debtFen: n(r.debt_fen),
        orderId: r.order_id === null ? null : n(r.order_id),
        withdrawalId: r.withdrawal_id === null ? null : n(r.withdrawal_id),
        createdAt: r.created_at as Date,
      }));
    },

    // ---- bindings -----------------------------------------------------------------------------------------------

    async bindings(ctx: TenantContext, shopperIds: number[]): Promise<Map<number, Binding>> {
      if (shopperIds.length === 0) return new Map();
      const rows = (await scope(ctx)
        .table('distribution_bindings')
        .whereIn('shopper_id', [...new Set(shopperIds)])) as Array<Record<string, unknown>>;
      return new Map(
        rows.map((r) => [
          n(r.shopper_id),
          {
            shopperId: n(r.shopper_id),
            distributorId: n(r.distributor_id),
            boundAt: r.bound_at as Date,
            protectUntil: (r.protect_until as Date | null) ?? null,
          },
        ]),
      );
    },

    /** The shopper's binding, locked (absent: none yet; the gap is locked, so a concurrent first binding waits). */
    async lockBinding(ctx: TenantContext, shopperId: number): Promise<Binding | null> {
      const r = await scope(ctx).table('distribution_bindings').where({ shopper_id: shopperId }).forUpdate().first();
      return r
        ? {
            shopperId,
            distributorId: n(r.distributor_id),
            boundAt: r.bound_at as Date,
            protectUntil: (r.protect_until as Date | null) ?? null,
          }
        : null;
    },

    async bind(ctx: TenantContext, b: Binding): Promise<void> {
      await scope(ctx).upsert(
        'distribution_bindings',
        {
          shopper_id: b.shopperId,
          distributor_id: b.distributorId,
          bound_at: b.boundAt,
          protect_until: b.protectUntil,
        },
        ['distributor_id', 'bound_at', 'protect_until'],
      );
    },

    async logBinding(
      ctx: TenantContext,
      e: {
        shopperId: number;
        sharerId: number;
        previousId: number | null;
        decision: BindDecision;
        code: string | null;
      },
      at: Date,
    ): Promise<void> {
      await scope(ctx).insert('distribution_binding_log', {
        shopper_id: e.shopperId,
        sharer_id: e.sharerId,
        previous_id: e.previousId,
        decision: e.decision,
        code: e.code,
        created_at: at,
      });
    },

    /** Shoppers bound to any of these distributors, newest first. */
    async team(ctx: TenantContext, distributorIds: number[], p: number, pageSize: number) {
      const base = () =>
        scope(ctx)
          .table('distribution_bindings')
          .whereIn('distributor_id', distributorIds.length ? distributorIds : [0]);
      const [rows, counted] = await Promise.all([
        base()
          .orderBy('bound_at', 'desc')
          .orderBy('shopper_id', 'desc')
          .limit(pageSize)
          .offset((p - 1) * pageSize),
        base().count({ total: '*' }),
      ]);
      return page(rows, counted, (r) => ({ shopperId: n(r.shopper_id), boundAt: r.bound_at as Date }));
    },

    /** How many shoppers are bound to each distributor. */
    async teamSizes(ctx: TenantContext, distributorIds: number[]): Promise<Map<number, number>> {
      if (distributorIds.length === 0) return new Map();
      const rows = (await scope(ctx)
        .table('distribution_bindings')
        .whereIn('distributor_id', distributorIds)
        .groupBy('distributor_id')
        .select('distributor_id', knex.raw('count(*) as c'))) as Array<{ distributor_id: number; c: number }>;
      return new Map(rows.map((r) => [n(r.distributor_id), n(r.c)]));
    },

    /**
     * For each of these distributors, how many shoppers are bound to the approved distributors bound to them (their
     * level-2 team), in one query.
     */
    async level2Sizes(ctx: TenantContext, distributorIds: number[]): Promise<Map<number, number>> {
      if (distributorIds.length === 0) return new Map();
      const s = scope(ctx);
      const q = s.table('distribution_bindings', 'heads').whereIn('heads.distributor_id', distributorIds);
      s.joinScoped(q, 'distributors', 'd', 'd.shopper_id', 'heads.shopper_id');
      s.joinScoped(q, 'distribution_bindings', 'team', 'team.distributor_id', 'heads.shopper_id');
      const rows = (await q
        .where('d.status', 'approved')
        .groupBy('heads.distributor_id')
        .select('heads.distributor_id', knex.raw('count(*) as c'))) as Array<{ distributor_id: number; c: number }>;
      return new Map(rows.map((r) => [n(r.distributor_id), n(r.c)]));
    },

    /** Of these shoppers, the approved distributors bound to each distributor (their level-2 team's heads). */
    async approvedBoundTo(ctx: TenantContext, distributorId: number): Promise<number[]> {
      const rows = (await scope(ctx)
        .table('distribution_bindings', 'b')
        .where('b.distributor_id', distributorId)
        .whereExists((q) =>
          q
            .from('distributors as d')
            .whereRaw('d.tenant_id = b.tenant_id and d.shopper_id = b.shopper_id')
            .where('d.status', 'approved'),
        )
        .select('b.shopper_id')) as Array<{ shopper_id: number }>;
      return rows.map((r) => n(r.shopper_id));
    },

    // ---- orders and commission ----------------------------------------------------------------------------------

    async addOrder(ctx: TenantContext, o: { orderId: number; buyerId: number; paidFen: number }, at: Date) {
      try {
        await scope(ctx).insert('distribution_orders', {
          order_id: o.orderId,
          buyer_id: o.buyerId,
          paid_fen: o.paidFen,
          state: 'frozen',
          created_at: at,
        });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    async order(ctx: TenantContext, orderId: number, opts: { lock?: boolean } = {}): Promise<DistributionOrder | null> {
      const q = scope(ctx).table('distribution_orders').where({ order_id: orderId });
      const r = await (opts.lock ? q.forUpdate() : q).first();
      return r
        ? {
            orderId,
            buyerId: n(r.buyer_id),
            paidFen: n(r.paid_fen),
            refundedFen: n(r.refunded_fen),
            state: r.state as DistributionOrder['state'],
          }
        : null;
    },

    async updateOrder(
      ctx: TenantContext,
      orderId: number,
      patch: Partial<Pick<DistributionOrder, 'refundedFen' | 'state'>>,
    ): Promise<void> {
      const row: Record<string, unknown> = {};
      if (patch.refundedFen !== undefined) row.refunded_fen = patch.refundedFen;
      if (patch.state !== undefined) row.state = patch.state;
      await scope(ctx).table('distribution_orders').where({ order_id: orderId }).update(row);
    },

    async frozenOrders(ctx: TenantContext, afterId: number, limit: number): Promise<number[]> {
      const rows = (await scope(ctx)
        .table('distribution_orders')
        .where({ state: 'frozen' })
        .where('order_id', '>', afterId)
        .orderBy('order_id')
        .limit(limit)
        .select('order_id')) as Array<{ order_id: number }>;
      return rows.map((r) => n(r.order_id));
    },

    async addCommissions(
      ctx: TenantContext,
      rows: Array<Omit<StoredCommission, 'id' | 'takenBackFen' | 'state' | 'releasedAt'>>,
    ): Promise<void> {
      if (rows.length === 0) return;
      await scope(ctx).insert(
        'commissions',
        rows.map((c) => ({
          order_id: c.orderId,
          distributor_id: c.distributorId,
          buyer_id: c.buyerId,
          level: c.level,
          base_fen: c.baseFen,
          amount_fen: c.amountFen,
          state: 'frozen',
          created_at: c.createdAt,
        })),
      );
    },

    /** An order's commissions (one per level). */
    async ofOrder(ctx: TenantContext, orderId: number, opts: { lock?: boolean } = {}): Promise<StoredCommission[]> {
      const q = scope(ctx).table('commissions').where({ order_id: orderId }).orderBy('level');
      return ((await (opts.lock ? q.forUpdate() : q)) as Array<Record<string, unknown>>).map(toCommission);
    },

    async updateCommission(
      ctx: TenantContext,
      id: number,
      patch: Partial<Pick<StoredCommission, 'takenBackFen' | 'state' | 'releasedAt'>>,
    ): Promise<void> {
      const row: Record<string, unknown> = {};
      if (patch.takenBackFen !== undefined) row.taken_back_fen = patch.takenBackFen;
      if (patch.state !== undefined) row.state = patch.state;
      if (patch.releasedAt !== undefined) row.released_at = patch.releasedAt;
      await scope(ctx).table('commissions').where({ id }).update(row);
    },

    async commissions(
      ctx: TenantContext,
      q: { distributorId?: number; state?: CommissionState; page: number; pageSize: number },
    ): Promise<{ rows: StoredCommission[]; total: number }> {
      const base = () => {
        const b = scope(ctx).table('commissions');
        if (q.distributorId !== undefined) b.where({ distributor_id: q.distributorId });
        if (q.state) b.where({ state: q.state });
        return b;
      };
      const [rows, counted] = await Promise.all([
        base()
          .orderBy('id', 'desc')
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize),
        base().count({ total: '*' }),
      ]);
      return page(rows, counted, toCommission);
    },

    /** Attributed orders per distributor (level 1). */
    async orderCounts(ctx: TenantContext, distributorIds: number[]): Promise<Map<number, number>> {
      if (distributorIds.length === 0) return new Map();
      const rows = (await scope(ctx)
        .table('commissions')
        .whereIn('distributor_id', distributorIds)
        .where({ level: 1 })
        .groupBy('distributor_id')
        .select('distributor_id', knex.raw('count(*) as c'))) as Array<{ distributor_id: number; c: number }>;
      return new Map(rows.map((r) => [n(r.distributor_id), n(r.c)]));
    },

    async overview(ctx: TenantContext) {
      const s = scope(ctx);
      const [d] = (await s
        .table('distributors')
        .select(
          knex.raw("sum(status = 'approved') as approved"),
          knex.raw("sum(status = 'pending') as pending"),
          knex.raw('coalesce(sum(frozen_fen), 0) as frozen'),
          knex.raw('coalesce(sum(available_fen), 0) as available'),
          knex.raw('coalesce(sum(withdrawing_fen), 0) as withdrawing'),
          knex.raw('coalesce(sum(withdrawn_fen), 0) as withdrawn'),
          knex.raw('coalesce(sum(debt_fen), 0) as debt'),
        )) as Array<Record<string, unknown>>;
      const [bound, orders, waiting] = await Promise.all([
        s.table('distribution_bindings').count({ total: '*' }),
        s.table('distribution_orders').count({ total: '*' }),
        s.table('withdrawals').where({ status: 'requested' }).count({ total: '*' }),
      ]);
      return {
        distributors: n(d?.approved ?? 0),
        pending: n(d?.pending ?? 0),
        boundShoppers: totalOf(bound),
        attributedOrders: totalOf(orders),
        frozenFen: n(d?.frozen ?? 0),
        availableFen: n(d?.available ?? 0),
        withdrawingFen: n(d?.withdrawing ?? 0),
        withdrawnFen: n(d?.withdrawn ?? 0),
        debtFen: n(d?.debt ?? 0),
        withdrawalsWaiting: totalOf(waiting),
      };
    },

    // ---- linking two identities of one person -------------------------------------------------------------------

    /**
     * Moves shopper `from`'s distribution to `to` (both distributor rows, if any, locked by the caller): as a buyer (their
     * binding, unless `to` has one; their attributed orders and commissions), and as a distributor (their record, or its
     * money added to `to`'s; their commissions, ledger, withdrawals and team). A binding of `to` to `from` would bind `to`
     * to itself: it goes.
     */
    async absorb(
      ctx: TenantContext,
      fromId: number,
      toId: number,
      distributors: { from?: StoredDistributor; to?: StoredDistributor },
    ): Promise<void> {
      const s = scope(ctx);
      const { from, to } = distributors;
      if (from && to) {
        await s
          .table('distributors')
          .where({ shopper_id: toId })
          .update({
            frozen_fen: knex.raw('frozen_fen + ?', [from.frozenFen]),
            available_fen: knex.raw('available_fen + ?', [from.availableFen]),
            withdrawing_fen: knex.raw('withdrawing_fen + ?', [from.withdrawingFen]),
            withdrawn_fen: knex.raw('withdrawn_fen + ?', [from.withdrawnFen]),
            debt_fen: knex.raw('debt_fen + ?', [from.debtFen]),
            ...(from.status === 'approved' && to.status !== 'approved' ? { status: 'approved' } : {}),
          });
        await s.table('distributors').where({ shopper_id: fromId }).delete();
      } else if (from) await s.table('distributors').where({ shopper_id: fromId }).update({ shopper_id: toId });
      await s.table('commissions').where({ distributor_id: fromId }).update({ distributor_id: toId });
      await s.table('commissions').where({ buyer_id: fromId }).update({ buyer_id: toId });
      await s.table('commission_ledger').where({ distributor_id: fromId }).update({ distributor_id: toId });
      await s.table('withdrawals').where({ distributor_id: fromId }).update({ distributor_id: toId });
      await s.table('distribution_orders').where({ buyer_id: fromId }).update({ buyer_id: toId });
      await s.table('distribution_binding_log').where({ shopper_id: fromId }).update({ shopper_id: toId });
      await s.table('distribution_binding_log').where({ sharer_id: fromId }).update({ sharer_id: toId });
      await s.table('distribution_bindings').where({ distributor_id: fromId }).update({ distributor_id: toId });
      const kept = await s.table('distribution_bindings').where({ shopper_id: toId }).first('shopper_id');
      if (kept) await s.table('distribution_bindings').where({ shopper_id: fromId }).delete();
      else await s.table('distribution_bindings').where({ shopper_id: fromId }).update({ shopper_id: toId });
      await s.table('distribution_bindings').where({ shopper_id: toId, distributor_id: toId }).delete();
    },

    // ---- withdrawals --------------------------------------------------------------------------------------------

    async addWithdrawal(
      ctx: TenantContext,
      w: { billNo: string; distributorId: number; amountFen: number },
      at: Date,
    ): Promise<number> {
      return scope(ctx).insert('withdrawals', {
        bill_no: w.billNo,
        distributor_id: w.distributorId,
        amount_fen: w.amountFen,
        status: 'requested',
        requested_at: at,
      });
    },

    async withdrawal(ctx: TenantContext, id: number, opts: { lock?: boolean } = {}): Promise<StoredWithdrawal | null> {
      const q = scope(ctx).table('withdrawals').where({ id });
      const r = await (opts.lock ? q.forUpdate() : q).first();
      return r ? toWithdrawal(r) : null;
    },

    async updateWithdrawal(
      ctx: TenantContext,
      id: number,
      patch: Partial<Omit<StoredWithdrawal, 'id' | 'billNo' | 'distributorId' | 'amountFen' | 'requestedAt'>>,
    ): Promise<void> {
      const columns: Record<string, string> = {
        status: 'status',
        method: 'method',
        transferBillNo: 'transfer_bill_no',
        packageInfo: 'package_info',
        reason: 'reason',
        decidedAt: 'decided_at',
        paidAt: 'paid_at',
      };
      const row: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(patch)) if (columns[k]) row[columns[k]] = v;
      await scope(ctx).table('withdrawals').where({ id }).update(row);
    },

    async withdrawals(
      ctx: TenantContext,
      q: { distributorId?: number; status?: WithdrawalStatus; page: number; pageSize: number },
    ): Promise<{ rows: StoredWithdrawal[]; total: number }> {
      const base = () => {
        const b = scope(ctx).table('withdrawals');
        if (q.distributorId !== undefined) b.where({ distributor_id: q.distributorId });
        if (q.status) b.where({ status: q.status });
        return b;
      };
      const [rows, counted] = await Promise.all([
        base()
          .orderBy('id', 'desc')
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize),
        base().count({ total: '*' }),
      ]);
      return page(rows, counted, toWithdrawal);
    },

    /** Withdrawals being paid by WeChat Pay, oldest first, at most `limit` (the transfer sync). */
    async paying(ctx: TenantContext, limit: number): Promise<StoredWithdrawal[]> {
      const rows = (await scope(ctx)
        .table('withdrawals')
        .where({ status: 'paying' })
        .orderBy('id')
        .limit(limit)) as Array<Record<string, unknown>>;
      return rows.map(toWithdrawal);
    },
  };
}

export type DistributionRepository = ReturnType<typeof distributionRepository>;
