import { z } from 'zod';
import { idSchema, isoDateTime } from './common';
import { REVIEW_IMAGES_MAX, REVIEW_LIMITS } from './reviews.constants';

export const reviewInputSchema = z.strictObject({
  /** One review per line of the order, by the line's SKU. */
  items: z
    .array(
      z.strictObject({
        skuId: idSchema,
        rating: z.number().int().min(1).max(5),
        content: z.string().trim().max(REVIEW_LIMITS.contentMax).default(''),
        imageIds: z.array(idSchema).max(REVIEW_IMAGES_MAX).default([]),
        anonymous: z.boolean().default(false),
      }),
    )
    .min(1)
    .max(50),
});
export type ReviewInput = z.infer<typeof reviewInputSchema>;

export const reviewSchema = z
  .object({
    id: z.number().int(),
    productId: z.number().int(),
    orderId: z.number().int(),
    specValues: z.array(z.string()),
    rating: z.number().int(),
    content: z.string(),
    imageUrls: z.array(z.string()),
    anonymous: z.boolean(),
    /** The shopper's nickname, or a masked one when anonymous. */
    author: z.string(),
    reply: z.object({ content: z.string(), at: isoDateTime }).nullable(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'Review' });
export type Review = z.infer<typeof reviewSchema>;

export const merchantReviewSchema = reviewSchema
  .extend({
    productTitle: z.string(),
    hidden: z.boolean(),
    hiddenReason: z.string().nullable(),
    shopperId: z.number().int(),
  })
  .meta({ id: 'MerchantReview' });
export type MerchantReview = z.infer<typeof merchantReviewSchema>;

export const ratingSummarySchema = z.object({
  average: z.number().nullable(),
  count: z.number().int(),
  /** Count of each star, index 0 = 1 star. */
  histogram: z.array(z.number().int()).length(5),
});

export const productReviewsQuerySchema = z.strictObject({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(50).default(10),
});

export const productReviewsSchema = z.object({
  summary: ratingSummarySchema,
  items: z.array(reviewSchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
});

export const merchantReviewListQuerySchema = z.strictObject({
  productId: idSchema.optional(),
  rating: z.coerce.number().int().min(1).max(5).optional(),
  hidden: z.enum(['true', 'false']).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const replyReviewBodySchema = z.strictObject({ content: z.string().trim().min(1).max(REVIEW_LIMITS.replyMax) });
export const hideReviewBodySchema = z.strictObject({
  hidden: z.boolean(),
  reason: z.string().trim().max(REVIEW_LIMITS.hideReasonMax).default(''),
});

export const reviewImageSchema = z.object({ id: z.number().int(), url: z.string() });
