import { z } from 'zod';
import { endpoint, merchantCan, publicAccess, signedIn } from './endpoint';
import { shopProductParamsSchema } from './catalog';
import { idParamsSchema, pageOf, shopParamsSchema } from './common';
import {
  hideReviewBodySchema,
  merchantReviewListQuerySchema,
  merchantReviewSchema,
  productReviewsQuerySchema,
  productReviewsSchema,
  replyReviewBodySchema,
  reviewImageSchema,
  reviewInputSchema,
  reviewSchema,
} from './reviews';

/** The reviews endpoints of `/merchant-api/v1` (composed in api.ts). */
export const reviewsMerchantEndpoints = {
  listMerchantReviews: endpoint({
    method: 'get',
    path: '/reviews',
    summary: 'Reviews of the shop, hidden ones included',
    tags: ['merchant: reviews'],
    access: merchantCan('review:review:manage'),
    query: merchantReviewListQuerySchema,
    response: pageOf(merchantReviewSchema),
  }),
  replyReview: endpoint({
    method: 'post',
    path: '/reviews/:id/reply',
    summary: "The shop's public reply (replaces an earlier one)",
    tags: ['merchant: reviews'],
    access: merchantCan('review:review:manage'),
    params: idParamsSchema,
    body: replyReviewBodySchema,
    response: merchantReviewSchema,
  }),
  hideReview: endpoint({
    method: 'post',
    path: '/reviews/:id/visibility',
    summary: 'Hide an abusive review from the shop (or show it again)',
    tags: ['merchant: reviews'],
    access: merchantCan('review:review:manage'),
    params: idParamsSchema,
    body: hideReviewBodySchema,
    response: merchantReviewSchema,
  }),
};

/** The reviews endpoints of `/shop-api/v1` (composed in api.ts). */
export const reviewsShopEndpoints = {
  reviewOrder: endpoint({
    method: 'post',
    path: '/shops/:shopKey/orders/:id/reviews',
    summary: 'Rate the lines of a completed order (once)',
    tags: ['shop: reviews'],
    access: signedIn('shopper'),
    params: shopProductParamsSchema,
    body: reviewInputSchema,
    response: z.array(reviewSchema),
    status: 201,
  }),
  uploadReviewImage: endpoint({
    method: 'post',
    path: '/shops/:shopKey/review-images',
    summary: 'Upload a photo for a review (JPEG, PNG or WebP)',
    tags: ['shop: reviews'],
    access: signedIn('shopper'),
    params: shopParamsSchema,
    upload: { field: 'file', maxBytes: 5 * 1024 * 1024 },
    response: reviewImageSchema,
    status: 201,
  }),
  productReviews: endpoint({
    method: 'get',
    path: '/shops/:shopKey/products/:id/reviews',
    summary: "A product's visible reviews and rating summary",
    tags: ['shop: reviews'],
    access: publicAccess,
    params: shopProductParamsSchema,
    query: productReviewsQuerySchema,
    response: productReviewsSchema,
  }),
};
