import type { MerchantReview, Page, Review, ReviewInput } from '@shopfleet/contracts';
import { shopperIdOf, type TenantContext } from '../../kernel/context';
import type { Transactions } from '../../kernel/db/database';
import { ConflictError, NotFoundError, ValidationError, issue } from '../../kernel/errors';
import { isDuplicateKey } from '../../kernel/db/rows';
import type { VersionedCache } from '../../kernel/versioned-cache';
import type { AuditService } from '../audit';
import type { NotificationsService } from '../notifications';
import type { CatalogService, ImagesService } from '../catalog';
import type { OrdersService } from '../orders';
import type { ShoppersService } from '../shoppers';
import type { ReviewsRepository, StoredReview } from './reviews.repository';

/** A nickname shown without giving the shopper away: its first character and stars. */
const REVIEWED = { reason: 'ORDER_ALREADY_REVIEWED', message: 'This order has been reviewed already' } as const;

export function anonymize(name: string): string {
  const first = [...name.trim()][0];
  return first ? `${first}***` : '匿名用户';
}

/** What a shopper and the product page see of a review. */
function shown(r: StoredReview): Review {
  return {
    id: r.id,
    productId: r.productId,
    orderId: r.orderId,
    specValues: r.specValues,
    rating: r.rating,
    content: r.content,
    imageUrls: r.imageUrls,
    anonymous: r.anonymous,
    author: r.author,
    reply: r.reply,
    createdAt: r.createdAt,
  };
}

export interface ReviewsDeps {
  repo: ReviewsRepository;
  tx: Transactions;
  images: Pick<ImagesService, 'upload' | 'byIds' | 'claimForShopper' | 'ownedByShopper'>;
  catalog: Pick<CatalogService, 'titles' | 'rating' | 'moveRating'>;
  orders: Pick<OrdersService, 'forReview' | 'markReviewed'>;
  shoppers: Pick<ShoppersService, 'nickname'>;
  cache: VersionedCache;
  audit: AuditService;
  /** The shop's staff who answer reviews hear of a new one (the bell; live in their open consoles). */
  alerts?: Pick<NotificationsService, 'alert'>;
  now?: () => Date;
}

/**
 * Reviews: a shopper rates each line of a completed order once (stars, text, photos, anonymous or
 * not); the merchant replies or hides an abusive one. A product's rating totals move with the
 * reviews that are shown, in the same transaction, and the shop's catalog cache is bumped.
 */
export function reviewsService(deps: ReviewsDeps) {
  const now = deps.now ?? (() => new Date());
  const { repo } = deps;

  async function merchantView(ctx: TenantContext, r: StoredReview, title?: string): Promise<MerchantReview> {
    const productTitle = title ?? (await deps.catalog.titles(ctx, [r.productId])).get(r.productId) ?? '';
    return { ...shown(r), productTitle, hidden: r.hidden, hiddenReason: r.hiddenReason, shopperId: r.shopperId };
  }

  async function mustGet(ctx: TenantContext, id: number): Promise<StoredReview> {
    const r = await repo.byId(ctx, id);
    if (!r) throw new NotFoundError('REVIEW_NOT_FOUND');
    return r;
  }

  return {
    /** A merge (in its transaction): the reviews of `fromId` become `toId`'s (their author name stays as written). */
    absorbShopper: (tctx: TenantContext, fromId: number, toId: number): Promise<number> =>
      repo.reassignShopper(tctx, fromId, toId),

    async uploadImage(ctx: TenantContext, bytes: Buffer): Promise<{ id: number; url: string }> {
      const shopperId = shopperIdOf(ctx);
      const image = await deps.images.upload(ctx, bytes);
      await deps.images.claimForShopper(ctx, image.id, shopperId);
      return { id: image.id, url: image.medium.jpeg };
    },

    /** Rates the lines of a completed order of this shopper, once, all lines at a time. */
    async create(ctx: TenantContext, orderId: number, input: ReviewInput): Promise<Review[]> {
      const shopperId = shopperIdOf(ctx);
      const order = await deps.orders.forReview(ctx, orderId, shopperId);
      if (!order) throw new NotFoundError('ORDER_NOT_FOUND');
      if (order.status !== 'completed')
        throw new ConflictError({
          reason: 'ORDER_NOT_REVIEWABLE',
          message: 'An order can be reviewed once it is received',
        });
      if (order.reviewed) throw new ConflictError(REVIEWED);
      const wanted = new Set(order.lines.map((l) => l.skuId));
      const given = input.items.map((i) => i.skuId);
      if (new Set(given).size !== given.length || given.length !== wanted.size || given.some((s) => !wanted.has(s))) {
        throw new ValidationError(
          { reason: 'REVIEW_LINES_MISMATCH', message: 'rate every line of the order once' },
          {
            issues: [
              issue('body.items', {
                reason: 'REVIEW_LINES_MISMATCH',
                message: `expected the SKUs ${[...wanted].join(', ')}`,
              }),
            ],
          },
        );
      }
      const imageIds = [...new Set(input.items.flatMap((i) => i.imageIds))];
      const owned = await deps.images.ownedByShopper(ctx, imageIds, shopperId);
      if (owned.length !== imageIds.length)
        throw new ValidationError(
          { reason: 'REVIEW_IMAGE_UNKNOWN', message: 'a photo is not one you uploaded' },
          { issues: [issue('body.items.imageIds', { reason: 'REVIEW_IMAGE_UNKNOWN', message: 'unknown image' })] },
        );
      const views = await deps.images.byIds(ctx, imageIds);
      const name = (await deps.shoppers.nickname(ctx, shopperId)) || '微信用户';
      try {
        await deps.tx.transaction(ctx, async (tctx) => {
          if (!(await deps.orders.markReviewed(tctx, orderId))) throw new ConflictError(REVIEWED);
          for (const item of input.items) {
            const line = order.lines.find((l) => l.skuId === item.skuId)!;
            await repo.insert(tctx, {
              orderId,
              productId: line.productId,
              skuId: item.skuId,
              shopperId,
              specValues: line.specValues,
              rating: item.rating,
              content: item.content,
              imageUrls: item.imageIds.map((id) => views.get(id)!.medium.jpeg),
              anonymous: item.anonymous,
              author: item.anonymous ? anonymize(name) : name.slice(0, 40),
            });
            await deps.catalog.moveRating(tctx, line.productId, { count: 1, sum: item.rating });
          }
          await deps.alerts?.alert(tctx, {
            textCode: 'REVIEW_POSTED',
            textParams: { orderNo: order.orderNo, rating: Math.min(...input.items.map((i) => i.rating)) },
            data: { orderId },
          });
        });
      } catch (err) {
        if (isDuplicateKey(err)) throw new ConflictError(REVIEWED);
        throw err;
      }
      await deps.cache.bump(ctx.tenantId);
      return (await repo.ofOrder(ctx, orderId)).map(shown);
    },

    /** The visible reviews of a product, newest first, with its rating summary. */
    async forProduct(ctx: TenantContext, productId: number, q: { page: number; pageSize: number }) {
      const rating = await deps.catalog.rating(ctx, productId);
      if (!rating) throw new NotFoundError('PRODUCT_NOT_FOUND');
      const { rows, histogram } = await repo.shownForProduct(ctx, productId, q.page, q.pageSize);
      return {
        summary: {
          average: rating.count ? Math.round((rating.sum / rating.count) * 10) / 10 : null,
          count: rating.count,
          histogram,
        },
        items: rows.map(shown),
        page: q.page,
        pageSize: q.pageSize,
        total: histogram.reduce((a, b) => a + b, 0),
      };
    },

    async list(
      ctx: TenantContext,
      q: { productId?: number; rating?: number; hidden?: 'true' | 'false'; page: number; pageSize: number },
    ): Promise<Page<MerchantReview>> {
      const { rows, total } = await repo.list(ctx, {
        ...q,
        hidden: q.hidden === undefined ? undefined : q.hidden === 'true',
      });
      const titles = await deps.catalog.titles(
        ctx,
        rows.map((r) => r.productId),
      );
      return {
        items: await Promise.all(rows.map((r) => merchantView(ctx, r, titles.get(r.productId) ?? ''))),
        page: q.page,
        pageSize: q.pageSize,
        total,
      };
    },

    /** Shown reviews waiting for the shop's answer. */
    unanswered: (ctx: TenantContext) => repo.countUnanswered(ctx),

    async reply(ctx: TenantContext, id: number, content: string): Promise<MerchantReview> {
      if (!(await repo.setReply(ctx, id, content, now()))) throw new NotFoundError('REVIEW_NOT_FOUND');
      await deps.audit.record(ctx, { action: 'review.reply', targetType: 'review', targetId: id });
      return merchantView(ctx, await mustGet(ctx, id));
    },

    /** Hides a review (or shows it again); the product's rating counts only the reviews shown. */
    async setHidden(ctx: TenantContext, id: number, hidden: boolean, reason: string): Promise<MerchantReview> {
      const changed = await deps.tx.transaction(ctx, async (tctx) => {
        const r = await repo.byId(tctx, id, { lock: true });
        if (!r) throw new NotFoundError('REVIEW_NOT_FOUND');
        if (r.hidden === hidden) return false;
        await repo.setHidden(tctx, id, hidden, hidden ? reason || null : null);
        const sign = hidden ? -1 : 1;
        await deps.catalog.moveRating(tctx, r.productId, { count: sign, sum: sign * r.rating });
        return true;
      });
      if (changed) {
        await deps.cache.bump(ctx.tenantId);
        await deps.audit.record(ctx, {
          action: hidden ? 'review.hide' : 'review.show',
          targetType: 'review',
          targetId: id,
          data: { reason },
        });
      }
      return merchantView(ctx, await mustGet(ctx, id));
    },
  };
}

export type ReviewsService = ReturnType<typeof reviewsService>;
