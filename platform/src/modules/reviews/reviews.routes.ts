import type { merchantApi, shopApi } from '@shopfleet/contracts';
import { requireTenant } from '../../kernel/context';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { ReviewsService } from './reviews.service';

export function shopReviewHandlers(reviews: ReviewsService) {
  return {
    reviewOrder: (ctx, { params, body }) => reviews.create(requireTenant(ctx), params.id, body),
    uploadReviewImage: (ctx, { file }) => reviews.uploadImage(requireTenant(ctx), file!.buffer),
    productReviews: (ctx, { params, query }) => reviews.forProduct(requireTenant(ctx), params.id, query),
  } satisfies Partial<Handlers<typeof shopApi>>;
}

export function merchantReviewHandlers(reviews: ReviewsService) {
  return {
    listMerchantReviews: (ctx, { query }) => reviews.list(requireTenant(ctx), query),
    replyReview: (ctx, { params, body }) => reviews.reply(requireTenant(ctx), params.id, body.content),
    hideReview: (ctx, { params, body }) => reviews.setHidden(requireTenant(ctx), params.id, body.hidden, body.reason),
  } satisfies Partial<Handlers<typeof merchantApi>>;
}
