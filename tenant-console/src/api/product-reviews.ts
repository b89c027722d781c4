import type { EndpointInput, MerchantReview, Page, merchantApi } from '@shopfleet/contracts';
import { merchantHttp, type PageQuery } from './request';

/** Shoppers' reviews of the shop's products (not the platform's qualification review, see qualification-reviews.ts). */
export type ReplyReviewBody = EndpointInput<typeof merchantApi.replyReview>['body'];
export type ReviewVisibilityBody = EndpointInput<typeof merchantApi.hideReview>['body'];

export interface MerchantReviewQuery extends PageQuery {
  productId?: number;
  rating?: number;
  hidden?: 'true' | 'false';
}

/** GET /merchant-api/v1/reviews: the shop's reviews, hidden ones included, newest first. */
export function listMerchantReviews(query: MerchantReviewQuery): Promise<Page<MerchantReview>> {
  return merchantHttp.get<Page<MerchantReview>>('/reviews', { ...query });
}

/** POST /merchant-api/v1/reviews/:id/reply: the shop's public reply (replaces an earlier one). */
export function replyReview(id: number, body: ReplyReviewBody): Promise<MerchantReview> {
  return merchantHttp.post<MerchantReview>(`/reviews/${id}/reply`, body);
}

/** POST /merchant-api/v1/reviews/:id/visibility: hide an abusive review from the shop, or show it again. */
export function hideReview(id: number, body: ReviewVisibilityBody): Promise<MerchantReview> {
  return merchantHttp.post<MerchantReview>(`/reviews/${id}/visibility`, body);
}
