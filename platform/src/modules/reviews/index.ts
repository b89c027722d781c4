export { reviewsService, anonymize, type ReviewsService } from './reviews.service';
export { merchantReviewHandlers, shopReviewHandlers } from './reviews.routes';
