export { recommendationsRepository, type RecommendationsRepository } from './recommendations.repository';
export { recommendationsService, type RecommendationsService } from './recommendations.service';
export {
  recommendationBuildsService,
  type RecommendationBuildsService,
  type BuildReport,
} from './recommendation-builds.service';
export type { RecommendationCatalog, RecommendationEvents, ScannedEvent, ProductOnSale } from './ports';
export { shopRecommendationHandlers } from './recommendations.routes';
export { recommendationJobs, scheduleRecommendationJobs, type RecommendationJobs } from './recommendations.jobs';
