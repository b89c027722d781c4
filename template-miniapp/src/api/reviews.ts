import type { z } from 'zod';
import type { ReviewInput, Review, productReviewsSchema, reviewImageSchema } from '@shopfleet/contracts';
import { shopRequest, shopUpload } from '../request';

export type ProductReviews = z.infer<typeof productReviewsSchema>;
export type ReviewImage = z.infer<typeof reviewImageSchema>;

/** POST /shops/:shopKey/orders/:id/reviews — rate the lines of a completed order, once. */
export function reviewOrder(orderId: number, input: ReviewInput): Promise<Review[]> {
  return shopRequest<Review[]>({ method: 'POST', path: `/orders/${orderId}/reviews`, body: { ...input }, auth: true });
}

/** POST /shops/:shopKey/review-images — upload one photo (JPEG, PNG or WebP, at most 5 MB), multipart field `file`. */
export function uploadReviewImage(filePath: string): Promise<ReviewImage> {
  return shopUpload<ReviewImage>({ path: '/review-images', filePath, field: 'file', auth: true });
}

/** GET /shops/:shopKey/products/:id/reviews — a page of the visible reviews and the rating summary. */
export function productReviews(productId: number, page: number, pageSize: number): Promise<ProductReviews> {
  return shopRequest<ProductReviews>({
    method: 'GET',
    path: `/products/${productId}/reviews`,
    query: { page, pageSize },
  });
}
