import type { Knex } from 'knex';
import type { MerchantReview, Page, Review, ReviewInput } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, issue } from '../../kernel/errors';
import { TenantScope } from '../../kernel/db/tenant-scope';
import { iso, isDuplicateKey, parseJsonColumn, totalOf } from '../../kernel/db/rows';
import type { VersionedCache } from '../../kernel/versioned-cache';
import type { AuditService } from '../audit';
import type { ImagesService } from '../catalog';

/** A nickname shown without giving the shopper away: its first character and stars. */
const REVIEWED = { reason: 'ORDER_ALREADY_REVIEWED', message: 'This order has been reviewed already' } as const;

export function anonymize(name: string): string {
  const first = [...name.trim()][0];
  return first ? `${first}***` : '匿名用户';
}

function toReview(r: Record<string, unknown>): Review {
  return {
    id: Number(r.id),
    productId: Number(r.product_id),
    orderId: Number(r.order_id),
    specValues: (parseJsonColumn(r.spec_values) as string[]) ?? [],
    rating: Number(r.rating),
    content: String(r.content),
    imageUrls: (parseJsonColumn(r.image_urls) as string[]) ?? [],
    anonymous: Boolean(r.anonymous),
    author: String(r.author),
    reply: r.reply ? { content: String(r.reply), at: iso(r.replied_at as Date) } : null,
    createdAt: iso(r.created_at as Date),
  };
}

/**
 * Reviews: a shopper rates each line of a completed order once (stars, text, photos, anonymous or
 * not); the merchant replies or hides an abusive one. A product's rating totals move with the
 * reviews that are shown, in the same transaction, and the shop's catalog cache is bumped.
 */
export function reviewsService(deps: { knex: Knex; images: ImagesService; cache: VersionedCache; audit: AuditService; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  const scopeOf = (ctx: TenantContext, trx?: Knex.Transaction) => new TenantScope(trx ?? deps.knex, ctx.tenantId);

  async function merchantView(ctx: TenantContext, id: number): Promise<MerchantReview> {
    const r = await scopeOf(ctx).table('reviews').where({ id }).first();
    if (!r) throw new NotFoundError('REVIEW_NOT_FOUND');
    const product = await scopeOf(ctx).table('products').where({ id: r.product_id }).first('title');
    return { ...toReview(r), productTitle: String(product?.title ?? ''), hidden: Boolean(r.hidden), hiddenReason: (r.hidden_reason as string | null) ?? null, shopperId: Number(r.shopper_id) };
  }

  return {
    async uploadImage(ctx: TenantContext, bytes: Buffer): Promise<{ id: number; url: string }> {
      if (ctx.actor.type !== 'shopper') throw new ForbiddenError({ reason: 'SHOPPER_ONLY', message: 'Sign in as a shopper' });
      const image = await deps.images.upload(ctx, bytes);
      await scopeOf(ctx).table('catalog_images').where({ id: image.id }).whereNull('shopper_id').update({ shopper_id: ctx.actor.shopperId });
      return { id: image.id, url: image.medium.jpeg };
    },

    /** Rates the lines of a completed order of this shopper, once, all lines at a time. */
    async create(ctx: TenantContext, orderId: number, input: ReviewInput): Promise<Review[]> {
      if (ctx.actor.type !== 'shopper') throw new ForbiddenError({ reason: 'SHOPPER_ONLY', message: 'Sign in as a shopper' });
      const shopperId = ctx.actor.shopperId;
      const scope = scopeOf(ctx);
      const order = await scope.table('orders').where({ id: orderId, shopper_id: shopperId }).first();
      if (!order) throw new NotFoundError('ORDER_NOT_FOUND');
      if (order.status !== 'completed') throw new ConflictError({ reason: 'ORDER_NOT_REVIEWABLE', message: 'An order can be reviewed once it is received' });
      if (order.reviewed_at) throw new ConflictError(REVIEWED);
      const lines = (await scope.table('order_items').where({ order_id: orderId })) as Array<Record<string, unknown>>;
      const wanted = new Set(lines.map((l) => Number(l.sku_id)));
      const given = input.items.map((i) => i.skuId);
      if (new Set(given).size !== given.length || given.length !== wanted.size || given.some((s) => !wanted.has(s))) {
        throw new ValidationError({ reason: 'REVIEW_LINES_MISMATCH', message: 'rate every line of the order once' }, { issues: [issue('body.items', { reason: 'REVIEW_LINES_MISMATCH', message: `expected the SKUs ${[...wanted].join(', ')}` })] });
      }
      const imageIds = [...new Set(input.items.flatMap((i) => i.imageIds))];
      const owned = imageIds.length ? ((await scope.table('catalog_images').whereIn('id', imageIds).where({ shopper_id: shopperId }).select('id')) as Array<{ id: number }>) : [];
      if (owned.length !== imageIds.length) throw new ValidationError({ reason: 'REVIEW_IMAGE_UNKNOWN', message: 'a photo is not one you uploaded' }, { issues: [issue('body.items.imageIds', { reason: 'REVIEW_IMAGE_UNKNOWN', message: 'unknown image' })] });
      const views = await deps.images.byIds(ctx, imageIds);
      const shopper = await scope.table('shoppers').where({ id: shopperId }).first('nickname');
      const name = String(shopper?.nickname || '微信用户');
      try {
        await deps.knex.transaction(async (trx) => {
          const tx = scopeOf(ctx, trx);
          const marked = await tx.table('orders').where({ id: orderId }).whereNull('reviewed_at').update({ reviewed_at: now() });
          if (marked !== 1) throw new ConflictError(REVIEWED);
          for (const item of input.items) {
            const line = lines.find((l) => Number(l.sku_id) === item.skuId)!;
            await tx.insert('reviews', {
              order_id: orderId,
              product_id: line.product_id,
              sku_id: item.skuId,
              shopper_id: shopperId,
              spec_values: JSON.stringify(parseJsonColumn(line.spec_values) ?? []),
              rating: item.rating,
              content: item.content,
              image_urls: JSON.stringify(item.imageIds.map((id) => views.get(id)!.medium.jpeg)),
              anonymous: item.anonymous,
              author: item.anonymous ? anonymize(name) : name.slice(0, 40),
            });
            await tx.table('products').where({ id: line.product_id }).update({ rating_count: trx.raw('rating_count + 1'), rating_sum: trx.raw('rating_sum + ?', [item.rating]) });
          }
          await tx.insert('order_events', { order_id: orderId, type: 'reviewed', from_status: 'completed', to_status: 'completed', actor_type: 'shopper', actor_id: shopperId });
        });
      } catch (err) {
        if (isDuplicateKey(err)) throw new ConflictError(REVIEWED);
        throw err;
      }
      await deps.cache.bump(ctx.tenantId);
      const rows = (await scope.table('reviews').where({ order_id: orderId }).orderBy('id')) as Array<Record<string, unknown>>;
      return rows.map(toReview);
    },

    /** The visible reviews of a product, newest first, with its rating summary. */
    async forProduct(ctx: TenantContext, productId: number, q: { page: number; pageSize: number }) {
      const scope = scopeOf(ctx);
      const product = await scope.table('products').where({ id: productId, status: 'on_sale' }).whereNull('deleted_at').first('id', 'rating_count', 'rating_sum');
      if (!product) throw new NotFoundError('PRODUCT_NOT_FOUND');
      const base = () => scopeOf(ctx).table('reviews').where({ product_id: productId, hidden: false });
      const [rows, counts] = await Promise.all([
        base().orderBy('id', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize) as Promise<Array<Record<string, unknown>>>,
        base().select('rating').count({ n: '*' }).groupBy('rating') as Promise<Array<{ rating: number; n: number }>>,
      ]);
      const histogram = [0, 0, 0, 0, 0];
      for (const c of counts) histogram[Number(c.rating) - 1] = Number(c.n);
      const count = Number(product.rating_count);
      return {
        summary: { average: count ? Math.round((Number(product.rating_sum) / count) * 10) / 10 : null, count, histogram },
        items: rows.map(toReview),
        page: q.page,
        pageSize: q.pageSize,
        total: histogram.reduce((a, b) => a + b, 0),
      };
    },

    async list(ctx: TenantContext, q: { productId?: number; rating?: number; hidden?: 'true' | 'false'; page: number; pageSize: number }): Promise<Page<MerchantReview>> {
      const base = () => {
        const b = scopeOf(ctx).table('reviews');
        if (q.productId) b.where({ product_id: q.productId });
        if (q.rating) b.where({ rating: q.rating });
        if (q.hidden) b.where({ hidden: q.hidden === 'true' });
        return b;
      };
      const [rows, counted] = await Promise.all([base().orderBy('id', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize), base().count({ total: '*' })]);
      const list = rows as Array<Record<string, unknown>>;
      const products = list.length ? ((await scopeOf(ctx).table('products').whereIn('id', [...new Set(list.map((r) => Number(r.product_id)))]).select('id', 'title')) as Array<{ id: number; title: string }>) : [];
      const title = new Map(products.map((p) => [Number(p.id), p.title]));
      return {
        items: list.map((r) => ({ ...toReview(r), productTitle: title.get(Number(r.product_id)) ?? '', hidden: Boolean(r.hidden), hiddenReason: (r.hidden_reason as string | null) ?? null, shopperId: Number(r.shopper_id) })),
        page: q.page,
        pageSize: q.pageSize,
        total: totalOf(counted),
      };
    },

    async reply(ctx: TenantContext, id: number, content: string): Promise<MerchantReview> {
      const changed = await scopeOf(ctx).table('reviews').where({ id }).update({ reply: content, replied_at: now() });
      if (!changed) throw new NotFoundError('REVIEW_NOT_FOUND');
      await deps.audit.record(ctx, { action: 'review.reply', targetType: 'review', targetId: id });
      return merchantView(ctx, id);
    },

    /** Hides a review (or shows it again); the product's rating counts only the reviews shown. */
    async setHidden(ctx: TenantContext, id: number, hidden: boolean, reason: string): Promise<MerchantReview> {
      const changed = await deps.knex.transaction(async (trx) => {
        const scope = scopeOf(ctx, trx);
        const r = await scope.table('reviews').where({ id }).forUpdate().first();
        if (!r) throw new NotFoundError('REVIEW_NOT_FOUND');
        if (Boolean(r.hidden) === hidden) return false;
        await scope.table('reviews').where({ id }).update({ hidden, hidden_reason: hidden ? reason || null : null });
        const sign = hidden ? -1 : 1;
        await scope.table('products').where({ id: r.product_id }).update({ rating_count: trx.raw('rating_count + ?', [sign]), rating_sum: trx.raw('rating_sum + ?', [sign * Number(r.rating)]) });
        return true;
      });
      if (changed) {
        await deps.cache.bump(ctx.tenantId);
        await deps.audit.record(ctx, { action: hidden ? 'review.hide' : 'review.show', targetType: 'review', targetId: id, data: { reason } });
      }
      return merchantView(ctx, id);
    },
  };
}

export type ReviewsService = ReturnType<typeof reviewsService>;
