import type { merchantApi, shopApi } from '@shopfleet/contracts';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { ReviewsService } from './reviews.service';

export function shopReviewHandlers(reviews: ReviewsService) {
  return {
    reviewOrder: (ctx, { params, body }) => reviews.create(ctx, params.id, body),
    uploadReviewImage: (ctx, { file }) => reviews.uploadImage(ctx, file!.buffer),
    productReviews: (ctx, { params, query }) => reviews.forProduct(ctx, params.id, query),
  } satisfies Partial<Handlers<typeof shopApi>>;
}

export function merchantReviewHandlers(reviews: ReviewsService) {
  return {
    listMerchantReviews: (ctx, { query }) => reviews.list(ctx, query),
    replyReview: (ctx, { params, body }) => reviews.reply(ctx, params.id, body.content),
    hideReview: (ctx, { params, body }) => reviews.setHidden(ctx, params.id, body.hidden, body.reason),
  } satisfies Partial<Handlers<typeof merchantApi>>;
}
