export { reviewsRepository, type ReviewsRepository } from './reviews.repository';
export { reviewsService, anonymize, type ReviewsService } from './reviews.service';
export { merchantReviewHandlers, shopReviewHandlers } from './reviews.routes';
