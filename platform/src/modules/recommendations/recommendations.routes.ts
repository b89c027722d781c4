import type { shopApi } from '@shopfleet/contracts';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { RecommendationsService } from './recommendations.service';

export function shopRecommendationHandlers(recommendations: RecommendationsService) {
  return {
    guessYouLike: async (ctx, { query }, res) => {
      // Personal: no shared cache may keep it.
      res.setHeader('Cache-Control', 'private, no-store');
      return recommendations.guess(ctx, query);
    },
    viewedTogether: (ctx, { params, query }) => recommendations.together(ctx, params.id, 'viewed', query.limit),
    boughtTogether: (ctx, { params, query }) => recommendations.together(ctx, params.id, 'bought', query.limit),
  } satisfies Partial<Handlers<typeof shopApi>>;
}
