import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { iso, parseJsonColumn, totalOf } from '../../kernel/db/rows';

/** A review as stored, with what only the merchant sees. */
export interface StoredReview {
  id: number;
  orderId: number;
  productId: number;
  skuId: number;
  shopperId: number;
  specValues: string[];
  rating: number;
  content: string;
  imageUrls: string[];
  anonymous: boolean;
  author: string;
  reply: { content: string; at: string } | null;
  hidden: boolean;
  hiddenReason: string | null;
  createdAt: string;
}

interface ReviewRow {
  id: number;
  order_id: number;
  product_id: number;
  sku_id: number;
  shopper_id: number;
  spec_values: unknown;
  rating: number;
  content: string;
  image_urls: unknown;
  anonymous: number | boolean;
  author: string;
  reply: string | null;
  replied_at: Date | null;
  hidden: number | boolean;
  hidden_reason: string | null;
  created_at: Date;
}

const toReview = (r: ReviewRow): StoredReview => ({
  id: Number(r.id),
  orderId: Number(r.order_id),
  productId: Number(r.product_id),
  skuId: Number(r.sku_id),
  shopperId: Number(r.shopper_id),
  specValues: (parseJsonColumn(r.spec_values) as string[] | null) ?? [],
  rating: Number(r.rating),
  content: String(r.content),
  imageUrls: (parseJsonColumn(r.image_urls) as string[] | null) ?? [],
  anonymous: Boolean(r.anonymous),
  author: String(r.author),
  reply: r.reply ? { content: r.reply, at: iso(r.replied_at as Date) } : null,
  hidden: Boolean(r.hidden),
  hiddenReason: r.hidden_reason ?? null,
  createdAt: iso(r.created_at),
});

/** A review as a shopper writes it: the rest (reply, visibility, dates) comes later or from the database. */
export type NewReview = Omit<StoredReview, 'id' | 'reply' | 'hidden' | 'hiddenReason' | 'createdAt'>;

/** `reviews`: shoppers' ratings of the lines of their orders. */
export function reviewsRepository(db: Database) {
  const reviews = (ctx: TenantContext) => db.scope(ctx).table('reviews');
  return {
    async byId(ctx: TenantContext, id: number, opts: { lock?: boolean } = {}): Promise<StoredReview | null> {
      const q = reviews(ctx).where({ id });
      const r = (await (opts.lock ? q.forUpdate() : q).first()) as ReviewRow | undefined;
      return r ? toReview(r) : null;
    },

    async ofOrder(ctx: TenantContext, orderId: number): Promise<StoredReview[]> {
      return ((await reviews(ctx).where({ order_id: orderId }).orderBy('id')) as ReviewRow[]).map(toReview);
    },

    /** Inserts a review; a second review of the same line is a duplicate key (the unique index). */
    async insert(ctx: TenantContext, r: NewReview): Promise<void> {
      await db.scope(ctx).insert('reviews', {
        order_id: r.orderId,
        product_id: r.productId,
        sku_id: r.skuId,
        shopper_id: r.shopperId,
        spec_values: JSON.stringify(r.specValues),
        rating: r.rating,
        content: r.content,
        image_urls: JSON.stringify(r.imageUrls),
        anonymous: r.anonymous,
        author: r.author,
      });
    },

    /** A product's shown reviews, newest first, a page, and how many it has per star. */
    async shownForProduct(
      ctx: TenantContext,
      productId: number,
      page: number,
      pageSize: number,
    ): Promise<{ rows: StoredReview[]; histogram: number[] }> {
      const base = () => reviews(ctx).where({ product_id: productId, hidden: false });
      const [rows, counts] = await Promise.all([
        base()
          .orderBy('id', 'desc')
          .limit(pageSize)
          .offset((page - 1) * pageSize) as Promise<ReviewRow[]>,
        base().select('rating').count({ n: '*' }).groupBy('rating') as Promise<Array<{ rating: number; n: number }>>,
      ]);
      const histogram = [0, 0, 0, 0, 0];
      for (const c of counts) histogram[Number(c.rating) - 1] = Number(c.n);
      return { rows: rows.map(toReview), histogram };
    },

    async list(
      ctx: TenantContext,
      q: { productId?: number; rating?: number; hidden?: boolean; page: number; pageSize: number },
    ): Promise<{ rows: StoredReview[]; total: number }> {
      const base = () => {
        const b = reviews(ctx);
        if (q.productId) b.where({ product_id: q.productId });
        if (q.rating) b.where({ rating: q.rating });
        if (q.hidden !== undefined) b.where({ hidden: q.hidden });
        return b;
      };
      const [rows, counted] = await Promise.all([
        base()
          .orderBy('id', 'desc')
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize) as Promise<ReviewRow[]>,
        base().count({ total: '*' }),
      ]);
      return { rows: rows.map(toReview), total: totalOf(counted) };
    },

    /** Shown reviews the shop has not answered. */
    async countUnanswered(ctx: TenantContext): Promise<number> {
      const row = (await reviews(ctx).whereNull('reply').where({ hidden: false }).count({ n: '*' }).first()) as
        { n: number | string } | undefined;
      return Number(row?.n ?? 0);
    },

    async setReply(ctx: TenantContext, id: number, content: string, at: Date): Promise<boolean> {
      return (await reviews(ctx).where({ id }).update({ reply: content, replied_at: at })) > 0;
    },

    async setHidden(ctx: TenantContext, id: number, hidden: boolean, reason: string | null): Promise<void> {
      await reviews(ctx).where({ id }).update({ hidden, hidden_reason: reason });
    },

    /** Gives one shopper's reviews to another (a merge). Returns how many moved. */
    async reassignShopper(ctx: TenantContext, fromId: number, toId: number): Promise<number> {
      return reviews(ctx).where({ shopper_id: fromId }).update({ shopper_id: toId });
    },
  };
}

export type ReviewsRepository = ReturnType<typeof reviewsRepository>;
