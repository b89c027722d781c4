import type { CouponDisplayStatus, CouponScope, PromotionKind, PromotionStatus, TierBasis } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { parseJsonColumn, totalOf } from '../../kernel/db/rows';
import { withDisplayStatus } from './marketing.repository';

/** A 满减/满折 tier: from `threshold` (fen or items), an amount or a percent off. */
export interface Tier {
  threshold: number;
  amountOffFen: number | null;
  discountPercent: number | null;
}

/** A 限时折扣 item: a product (skuId null: every SKU of it) or one SKU, at a price or a percent off. */
export interface TimedItem {
  productId: number;
  skuId: number | null;
  priceFen: number | null;
  discountPercent: number | null;
}

/** A promotion as stored; a 满减 has tiers and a scope, a 限时折扣 items and a tag. */
export interface StoredPromotion {
  id: number;
  kind: PromotionKind;
  name: string;
  startsAt: Date;
  endsAt: Date;
  status: PromotionStatus;
  basis: TierBasis | null;
  tiers: Tier[];
  scope: CouponScope;
  scopeIds: number[];
  excludedProductIds: number[];
  tag: string;
  items: TimedItem[];
  createdAt: Date;
}

export type NewPromotion = Omit<StoredPromotion, 'id' | 'status' | 'createdAt'>;

/** A 限时折扣 item running now, with its promotion's name, tag and end. */
export interface RunningTimedItem extends TimedItem {
  promotionId: number;
  name: string;
  tag: string;
  endsAt: Date;
}

interface PromotionRow {
  id: number;
  kind: PromotionKind;
  name: string;
  starts_at: Date;
  ends_at: Date;
  status: PromotionStatus;
  basis: TierBasis | null;
  tiers: unknown;
  scope: CouponScope;
  scope_ids: unknown;
  excluded_product_ids: unknown;
  tag: string;
  created_at: Date;
}

interface ItemRow {
  promotion_id: number;
  product_id: number;
  sku_id: number | null;
  price_fen: number | null;
  discount_percent: number | null;
}

const numOrNull = (v: number | string | null) => (v === null ? null : Number(v));
const idList = (v: unknown) => ((parseJsonColumn(v) as number[] | null) ?? []).map(Number);

const toItem = (r: ItemRow): TimedItem => ({
  productId: Number(r.product_id),
  skuId: numOrNull(r.sku_id),
  priceFen: numOrNull(r.price_fen),
  discountPercent: numOrNull(r.discount_percent),
});

const toPromotion = (r: PromotionRow, items: TimedItem[]): StoredPromotion => ({
  id: Number(r.id),
  kind: r.kind,
  name: r.name,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  status: r.status,
  basis: r.basis,
  tiers: (parseJsonColumn(r.tiers) as Tier[] | null) ?? [],
  scope: r.scope,
  scopeIds: idList(r.scope_ids),
  excludedProductIds: idList(r.excluded_product_ids),
  tag: r.tag,
  items,
  createdAt: r.created_at,
});

/** `promotions` (满减/满折 and 限时折扣, over a period) and `promotion_items` (a 限时折扣's prices). */
export function promotionsRepository(db: Database) {
  const promotions = (ctx: TenantContext) => db.scope(ctx).table('promotions');
  const items = (ctx: TenantContext, alias?: string) => db.scope(ctx).table('promotion_items', alias);

  /** The promotions of these rows with their items. */
  async function withItems(ctx: TenantContext, rows: PromotionRow[]): Promise<StoredPromotion[]> {
    const timed = rows.filter((r) => r.kind === 'timed_discount').map((r) => Number(r.id));
    const found = timed.length ? ((await items(ctx).whereIn('promotion_id', timed).orderBy('id')) as ItemRow[]) : [];
    const byPromotion = new Map<number, TimedItem[]>();
    for (const i of found) {
      const list = byPromotion.get(Number(i.promotion_id)) ?? [];
      list.push(toItem(i));
      byPromotion.set(Number(i.promotion_id), list);
    }
    return rows.map((r) => toPromotion(r, byPromotion.get(Number(r.id)) ?? []));
  }

  return {
    async insert(ctx: TenantContext, p: NewPromotion): Promise<number> {
      const id = await db.scope(ctx).insert('promotions', {
        kind: p.kind,
        name: p.name,
        starts_at: p.startsAt,
        ends_at: p.endsAt,
        basis: p.basis,
        tiers: p.tiers.length ? JSON.stringify(p.tiers) : null,
        scope: p.scope,
        scope_ids: JSON.stringify(p.scopeIds),
        excluded_product_ids: JSON.stringify(p.excludedProductIds),
        tag: p.tag,
      });
      if (p.items.length)
        await db.scope(ctx).insert(
          'promotion_items',
          p.items.map((i) => ({
            promotion_id: id,
            product_id: i.productId,
            sku_id: i.skuId,
            price_fen: i.priceFen,
            discount_percent: i.discountPercent,
            starts_at: p.startsAt,
            ends_at: p.endsAt,
          })),
        );
      return id;
    },

    async byId(ctx: TenantContext, id: number): Promise<StoredPromotion | null> {
      const r = (await promotions(ctx).where({ id }).first()) as PromotionRow | undefined;
      return r ? (await withItems(ctx, [r]))[0]! : null;
    },

    /** The shop's promotions of one kind, newest first, those of one display status when given (as of `now`). */
    async list(
      ctx: TenantContext,
      q: { kind: PromotionKind; status?: CouponDisplayStatus; now: Date; page: number; pageSize: number },
    ): Promise<{ rows: StoredPromotion[]; total: number }> {
      const base = () =>
        withDisplayStatus(promotions(ctx).where({ kind: q.kind }), q.status, q.now, ['starts_at', 'ends_at']);
      const [rows, counted] = await Promise.all([
        base()
          .orderBy('id', 'desc')
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize) as Promise<PromotionRow[]>,
        base().count({ total: '*' }),
      ]);
      return { rows: await withItems(ctx, rows), total: totalOf(counted) };
    },

    async rename(ctx: TenantContext, id: number, name: string): Promise<boolean> {
      return (await promotions(ctx).where({ id }).update({ name, updated_at: new Date() })) === 1;
    },

    /** Stops a running promotion and its items; false when it was stopped already. */
    async stop(ctx: TenantContext, id: number): Promise<boolean> {
      const stopped = (await promotions(ctx).where({ id, status: 'running' }).update({ status: 'stopped' })) === 1;
      if (stopped) await items(ctx).where({ promotion_id: id }).update({ stopped: true });
      return stopped;
    },

    /** The 满减/满折 running at `at`, newest first. */
    async runningReductions(ctx: TenantContext, at: Date): Promise<StoredPromotion[]> {
      const rows = (await promotions(ctx)
        .where({ kind: 'full_reduction', status: 'running' })
        .where('starts_at', '<=', at)
        .where('ends_at', '>', at)
        .orderBy('id', 'desc')
        .limit(100)) as PromotionRow[];
      return rows.map((r) => toPromotion(r, []));
    },

    /** The 限时折扣 items running at `at` for these products. */
    async runningTimedItems(ctx: TenantContext, productIds: number[], at: Date): Promise<RunningTimedItem[]> {
      if (productIds.length === 0) return [];
      const rows = (await db
        .scope(ctx)
        .joinScoped(
          items(ctx, 'i')
            .whereIn('i.product_id', [...new Set(productIds)])
            .where('i.stopped', false)
            .where('i.starts_at', '<=', at)
            .where('i.ends_at', '>', at),
          'promotions',
          'p',
          'p.id',
          'i.promotion_id',
        )
        .select('i.*', 'p.name', 'p.tag', 'p.ends_at')
        .orderBy('i.id')) as Array<ItemRow & { name: string; tag: string; ends_at: Date }>;
      return rows.map((r) => ({
        ...toItem(r),
        promotionId: Number(r.promotion_id),
        name: r.name,
        tag: r.tag,
        endsAt: r.ends_at,
      }));
    },

    /**
     * Serialises writers of the shop's 限时折扣 until the context's transaction ends: a locking read of them takes the
     * index range (gap included), so a second writer waits — or deadlocks and is retried — and then sees the first's
     * items. Two 限时折扣 of one product written at once cannot both pass the overlap check.
     */
    async lockTimed(ctx: TenantContext): Promise<void> {
      await promotions(ctx).where({ kind: 'timed_discount' }).forUpdate().select('id');
    },

    /** The products among these in a 限时折扣 not stopped, other than `except`, over any part of `from`–`to`. */
    async busyProducts(
      ctx: TenantContext,
      productIds: number[],
      from: Date,
      to: Date,
      except?: number,
    ): Promise<number[]> {
      if (productIds.length === 0) return [];
      const q = items(ctx)
        .whereIn('product_id', [...new Set(productIds)])
        .where('stopped', false)
        .where('starts_at', '<', to)
        .where('ends_at', '>', from)
        .distinct('product_id');
      if (except !== undefined) q.whereNot('promotion_id', except);
      const rows = (await q) as Array<{ product_id: number }>;
      return rows.map((r) => Number(r.product_id));
    },
  };
}

export type PromotionsRepository = ReturnType<typeof promotionsRepository>;
