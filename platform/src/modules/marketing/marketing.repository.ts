import type {
  CouponAudience,
  CouponDisplayStatus,
  CouponIssueMode,
  CouponKind,
  CouponScope,
  CouponShownState,
  CouponState,
  CouponTemplateStatus,
  PromotionKind,
} from '@shopfleet/contracts';
import type { Knex } from 'knex';
import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { parseJsonColumn, totalOf } from '../../kernel/db/rows';

/** The discount and where it applies, shared by a template and its coupons. */
export interface CouponRules {
  name: string;
  kind: CouponKind;
  thresholdFen: number;
  amountOffFen: number | null;
  discountPercent: number | null;
  maxOffFen: number | null;
  scope: CouponScope;
  scopeIds: number[];
  excludedProductIds: number[];
  combinesWith: PromotionKind[];
}

/** A coupon template as stored. */
export interface StoredTemplate extends CouponRules {
  id: number;
  claimFrom: Date;
  claimTo: Date;
  validFrom: Date | null;
  validTo: Date | null;
  validDays: number | null;
  totalQuantity: number;
  perShopperLimit: number;
  audience: CouponAudience;
  issueMode: CouponIssueMode;
  status: CouponTemplateStatus;
  issued: number;
  createdAt: Date;
}

export type NewTemplate = Omit<StoredTemplate, 'id' | 'status' | 'issued' | 'createdAt'>;

/** A coupon as stored, with its template's rules. */
export interface StoredCoupon extends CouponRules {
  id: number;
  templateId: number;
  shopperId: number;
  state: CouponState;
  validFrom: Date;
  validTo: Date;
  orderId: number | null;
  claimedAt: Date;
  usedAt: Date | null;
}

export interface NewCoupon {
  templateId: number;
  shopperId: number;
  claimSeq: number;
  validFrom: Date;
  validTo: Date;
  claimedAt: Date;
}

interface RulesRow {
  name: string;
  kind: CouponKind;
  threshold_fen: number;
  amount_off_fen: number | null;
  discount_percent: number | null;
  max_off_fen: number | null;
  scope: CouponScope;
  scope_ids: unknown;
  excluded_product_ids: unknown;
  combines_with: unknown;
}

interface TemplateRow extends RulesRow {
  id: number;
  claim_from: Date;
  claim_to: Date;
  valid_from: Date | null;
  valid_to: Date | null;
  valid_days: number | null;
  total_quantity: number;
  per_shopper_limit: number;
  audience: CouponAudience;
  issue_mode: CouponIssueMode;
  status: CouponTemplateStatus;
  issued: number;
  created_at: Date;
}

interface CouponRow extends RulesRow {
  id: number;
  template_id: number;
  shopper_id: number;
  state: CouponState;
  valid_from: Date;
  valid_to: Date;
  order_id: number | null;
  claimed_at: Date;
  used_at: Date | null;
}

const numOrNull = (v: number | null) => (v === null ? null : Number(v));
const idList = (v: unknown) => ((parseJsonColumn(v) as number[] | null) ?? []).map(Number);

const toRules = (r: RulesRow): CouponRules => ({
  name: r.name,
  kind: r.kind,
  thresholdFen: Number(r.threshold_fen),
  amountOffFen: numOrNull(r.amount_off_fen),
  discountPercent: numOrNull(r.discount_percent),
  maxOffFen: numOrNull(r.max_off_fen),
  scope: r.scope,
  scopeIds: idList(r.scope_ids),
  excludedProductIds: idList(r.excluded_product_ids),
  combinesWith: (parseJsonColumn(r.combines_with) as PromotionKind[] | null) ?? [],
});

const toTemplate = (r: TemplateRow): StoredTemplate => ({
  ...toRules(r),
  id: Number(r.id),
  claimFrom: r.claim_from,
  claimTo: r.claim_to,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  validDays: numOrNull(r.valid_days),
  totalQuantity: Number(r.total_quantity),
  perShopperLimit: Number(r.per_shopper_limit),
  audience: r.audience,
  issueMode: r.issue_mode,
  status: r.status,
  issued: Number(r.issued),
  createdAt: r.created_at,
});

const toCoupon = (r: CouponRow): StoredCoupon => ({
  ...toRules(r),
  id: Number(r.id),
  templateId: Number(r.template_id),
  shopperId: Number(r.shopper_id),
  state: r.state,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  orderId: numOrNull(r.order_id),
  claimedAt: r.claimed_at,
  usedAt: r.used_at,
});

const RULE_COLUMNS = [
  'name',
  'kind',
  'threshold_fen',
  'amount_off_fen',
  'discount_percent',
  'max_off_fen',
  'scope',
  'scope_ids',
  'excluded_product_ids',
  'combines_with',
].map((c) => `t.${c}`);

/**
 * Narrows a campaign query (coupon templates, promotions) to one display status at `now`: stopped by the merchant, or
 * where `now` falls in its period (`[from, to)` columns). No status: all of them.
 */
export function withDisplayStatus(
  b: Knex.QueryBuilder,
  status: CouponDisplayStatus | undefined,
  now: Date,
  [from, to]: [string, string],
  live = 'running',
): Knex.QueryBuilder {
  if (status === 'stopped') return b.where({ status: 'stopped' });
  if (!status) return b;
  b.where({ status: live });
  if (status === 'not_started') b.where(from, '>', now);
  if (status === 'running') b.where(from, '<=', now).where(to, '>', now);
  if (status === 'ended') b.where(to, '<=', now);
  return b;
}

/** `coupon_templates` (the rules and counters) and `coupons` (one row per coupon issued to a shopper). */
export function marketingRepository(db: Database) {
  const templates = (ctx: TenantContext) => db.scope(ctx).table('coupon_templates');
  const coupons = (ctx: TenantContext, alias?: string) => db.scope(ctx).table('coupons', alias);

  return {
    async insertTemplate(ctx: TenantContext, t: NewTemplate): Promise<number> {
      return db.scope(ctx).insert('coupon_templates', {
        name: t.name,
        kind: t.kind,
        threshold_fen: t.thresholdFen,
        amount_off_fen: t.amountOffFen,
        discount_percent: t.discountPercent,
        max_off_fen: t.maxOffFen,
        scope: t.scope,
        scope_ids: JSON.stringify(t.scopeIds),
        excluded_product_ids: JSON.stringify(t.excludedProductIds),
        claim_from: t.claimFrom,
        claim_to: t.claimTo,
        valid_from: t.validFrom,
        valid_to: t.validTo,
        valid_days: t.validDays,
        total_quantity: t.totalQuantity,
        per_shopper_limit: t.perShopperLimit,
        audience: t.audience,
        issue_mode: t.issueMode,
        combines_with: JSON.stringify(t.combinesWith),
      });
    },

    async templateById(ctx: TenantContext, id: number): Promise<StoredTemplate | null> {
      const r = (await templates(ctx).where({ id }).first()) as TemplateRow | undefined;
      return r ? toTemplate(r) : null;
    },

    /** The shop's templates, newest first, those of one display status when given (as of `now`). */
    async list(
      ctx: TenantContext,
      q: { status?: CouponDisplayStatus; now: Date; page: number; pageSize: number },
    ): Promise<{ rows: StoredTemplate[]; total: number }> {
      const base = () => withDisplayStatus(templates(ctx), q.status, q.now, ['claim_from', 'claim_to']);
      const [rows, counted] = await Promise.all([
        base()
          .orderBy('id', 'desc')
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize) as Promise<TemplateRow[]>,
        base().count({ total: '*' }),
      ]);
      return { rows: rows.map(toTemplate), total: totalOf(counted) };
    },

    /** The templates issued one way (the coupon centre's: claimed) running and within their claim period at `now`. */
    async claimable(ctx: TenantContext, now: Date, mode: CouponIssueMode = 'claim'): Promise<StoredTemplate[]> {
      const rows = (await templates(ctx)
        .where({ issue_mode: mode, status: 'running' })
        .where('claim_from', '<=', now)
        .where('claim_to', '>', now)
        .orderBy('id', 'desc')
        .limit(100)) as TemplateRow[];
      return rows.map(toTemplate);
    },

    async rename(ctx: TenantContext, id: number, name: string): Promise<boolean> {
      return (await templates(ctx).where({ id }).update({ name, updated_at: new Date() })) === 1;
    },

    /** Sets the total, only while it stays at or above the coupons issued: false otherwise (or no such template). */
    async setTotal(ctx: TenantContext, id: number, total: number): Promise<boolean> {
      return (
        (await templates(ctx)
          .where({ id })
          .where('issued', '<=', total)
          .update({ total_quantity: total, updated_at: new Date() })) === 1
      );
    },

    /** Stops a running template; false when it was stopped already (or there is no such template). */
    async stop(ctx: TenantContext, id: number): Promise<boolean> {
      return (
        (await templates(ctx)
          .where({ id, status: 'running' })
          .update({ status: 'stopped', updated_at: new Date() })) === 1
      );
    },

    /**
     * Takes `n` coupons off the template's remaining, in one guarded UPDATE: only while it is running, issued the
     * given way, within its claim period at `now`, and `issued + n` stays within the total. False when it did not.
     * Its row stays locked until the context's transaction ends, so claims of one template pass one at a time.
     */
    async takeIssue(ctx: TenantContext, id: number, n: number, mode: CouponIssueMode, now: Date): Promise<boolean> {
      return (
        (await templates(ctx)
          .where({ id, status: 'running', issue_mode: mode })
          .where('claim_from', '<=', now)
          .where('claim_to', '>', now)
          .whereRaw('issued + ? <= total_quantity', [n])
          .increment('issued', n)) === 1
      );
    },

    /** How many coupons of the template the shopper holds (a locking read: current, whatever the snapshot). */
    async countHeld(ctx: TenantContext, templateId: number, shopperId: number): Promise<number> {
      return totalOf(
        await coupons(ctx).where({ template_id: templateId, shopper_id: shopperId }).count({ total: '*' }).forShare(),
      );
    },

    /** How many coupons of each template the shopper holds. */
    async heldByTemplate(ctx: TenantContext, shopperId: number, templateIds: number[]): Promise<Map<number, number>> {
      if (templateIds.length === 0) return new Map();
      const rows = (await coupons(ctx)
        .where({ shopper_id: shopperId })
        .whereIn('template_id', templateIds)
        .select('template_id')
        .count({ n: '*' })
        .groupBy('template_id')) as Array<{ template_id: number; n: number | string }>;
      return new Map(rows.map((r) => [Number(r.template_id), Number(r.n)]));
    },

    /** Inserts coupons; a seq a shopper already holds is a duplicate key (the unique index). Returns the first id. */
    async insertCoupons(ctx: TenantContext, list: NewCoupon[]): Promise<number> {
      return db.scope(ctx).insert(
        'coupons',
        list.map((c) => ({
          template_id: c.templateId,
          shopper_id: c.shopperId,
          claim_seq: c.claimSeq,
          valid_from: c.validFrom,
          valid_to: c.validTo,
          claimed_at: c.claimedAt,
        })),
      );
    },

    async couponById(ctx: TenantContext, id: number): Promise<StoredCoupon | null> {
      const r = (await withRules(ctx).where('c.id', id).first()) as CouponRow | undefined;
      return r ? toCoupon(r) : null;
    },

    /** A shopper's coupons in one shown state at `now`, newest first. */
    async ofShopper(
      ctx: TenantContext,
      q: { shopperId: number; state: CouponShownState; now: Date; page: number; pageSize: number },
    ): Promise<{ rows: StoredCoupon[]; total: number }> {
      const base = () => {
        const b = coupons(ctx, 'c').where('c.shopper_id', q.shopperId);
        if (q.state === 'used') b.where('c.state', 'used');
        else b.where('c.state', 'unused').where('c.valid_to', q.state === 'unused' ? '>' : '<=', q.now);
        return b;
      };
      const [rows, counted] = await Promise.all([
        db
          .scope(ctx)
          .joinScoped(base(), 'coupon_templates', 't', 't.id', 'c.template_id')
          .select('c.*', ...RULE_COLUMNS)
          .orderBy('c.id', 'desc')
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize) as Promise<CouponRow[]>,
        base().count({ total: '*' }),
      ]);
      return { rows: rows.map(toCoupon), total: totalOf(counted) };
    },
    /** The shoppers' unused coupons not yet expired at `now`, with their rules (checkout's choice). */
    async unusedOf(ctx: TenantContext, shopperIds: number[], now: Date): Promise<StoredCoupon[]> {
      if (shopperIds.length === 0) return [];
      const rows = (await withRules(ctx)
        .whereIn('c.shopper_id', [...new Set(shopperIds)])
        .where('c.state', 'unused')
        .where('c.valid_to', '>', now)
        .orderBy('c.valid_to', 'asc')
        .orderBy('c.id', 'asc')
        .limit(200 * shopperIds.length)) as CouponRow[];
      return rows.map(toCoupon);
    },

    /** These coupons with their rules, whoever holds them and whatever their state. */
    async couponsByIds(ctx: TenantContext, ids: number[]): Promise<StoredCoupon[]> {
      if (ids.length === 0) return [];
      const rows = (await withRules(ctx).whereIn('c.id', [...new Set(ids)])) as CouponRow[];
      return rows.map(toCoupon);
    },

    /**
     * Locks these coupons for an order's use (in id order, after the shoppers' unpaid counts and before the SKUs: the
     * placement's lock order) and returns their current holder, state and validity.
     */
    async lockForUse(
      ctx: TenantContext,
      ids: number[],
    ): Promise<Map<number, Pick<StoredCoupon, 'shopperId' | 'templateId' | 'state' | 'validFrom' | 'validTo'>>> {
      if (ids.length === 0) return new Map();
      const rows = (await coupons(ctx)
        .whereIn(
          'id',
          [...new Set(ids)].sort((a, b) => a - b),
        )
        .orderBy('id')
        .forUpdate()
        .select('id', 'shopper_id', 'template_id', 'state', 'valid_from', 'valid_to')) as CouponRow[];
      return new Map(
        rows.map((r) => [
          Number(r.id),
          {
            shopperId: Number(r.shopper_id),
            templateId: Number(r.template_id),
            state: r.state,
            validFrom: r.valid_from,
            validTo: r.valid_to,
          },
        ]),
      );
    },

    /** Marks coupons locked by `lockForUse` used, each by its order; returns how many it marked. */
    async markUsed(ctx: TenantContext, uses: Array<{ couponId: number; orderId: number }>, at: Date): Promise<number> {
      if (uses.length === 0) return 0;
      const cases = uses.map(() => 'WHEN ? THEN ?').join(' ');
      return coupons(ctx)
        .whereIn(
          'id',
          uses.map((u) => u.couponId),
        )
        .where('state', 'unused')
        .update({
          state: 'used',
          used_at: at,
          order_id: db.knex.raw(
            `CASE id ${cases} END`,
            uses.flatMap((u) => [u.couponId, u.orderId]),
          ),
        });
    },

    /**
     * Gives back the coupon an order used: unused again, for another order. Only while it is valid at `validAt` when
     * given (a refunded order's coupon that has expired stays used). Returns the coupons given back.
     */
    async giveBack(ctx: TenantContext, orderId: number, validAt: Date | null): Promise<number> {
      const q = coupons(ctx).where({ order_id: orderId, state: 'used' });
      if (validAt) q.where('valid_to', '>', validAt);
      return q.update({ state: 'unused', order_id: null, used_at: null });
    },

    /** How many coupons of each template are used. */
    async usedByTemplate(ctx: TenantContext, templateIds: number[]): Promise<Map<number, number>> {
      if (templateIds.length === 0) return new Map();
      const rows = (await coupons(ctx)
        .whereIn('template_id', templateIds)
        .where('state', 'used')
        .select('template_id')
        .count({ n: '*' })
        .groupBy('template_id')) as Array<{ template_id: number; n: number | string }>;
      return new Map(rows.map((r) => [Number(r.template_id), Number(r.n)]));
    },

    /**
     * Gives one shopper's coupons to another (a merge), each template's renumbered after the survivor's own
     * (`claim_seq` is unique per template and shopper, and the next claim takes the count + 1). Returns how many moved.
     */
    async reassignShopper(ctx: TenantContext, fromId: number, toId: number): Promise<number> {
      const theirs = (await coupons(ctx)
        .where({ shopper_id: fromId })
        .orderBy(['template_id', 'claim_seq'])
        .forUpdate()
        .select('id', 'template_id')) as Array<{ id: number; template_id: number }>;
      if (theirs.length === 0) return 0;
      const templateIds = [...new Set(theirs.map((c) => Number(c.template_id)))];
      const tops = (await coupons(ctx)
        .where({ shopper_id: toId })
        .whereIn('template_id', templateIds)
        .forUpdate()
        .select('template_id', 'claim_seq')) as Array<{ template_id: number; claim_seq: number }>;
      const next = new Map<number, number>();
      for (const c of tops)
        next.set(Number(c.template_id), Math.max(next.get(Number(c.template_id)) ?? 0, Number(c.claim_seq)));
      for (const c of theirs) {
        const seq = (next.get(Number(c.template_id)) ?? 0) + 1;
        next.set(Number(c.template_id), seq);
        await coupons(ctx).where({ id: c.id }).update({ shopper_id: toId, claim_seq: seq });
      }
      return theirs.length;
    },
  };

  function withRules(ctx: TenantContext) {
    return db
      .scope(ctx)
      .joinScoped(coupons(ctx, 'c'), 'coupon_templates', 't', 't.id', 'c.template_id')
      .select('c.*', ...RULE_COLUMNS);
  }
}

export type MarketingRepository = ReturnType<typeof marketingRepository>;
