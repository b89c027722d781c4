/**
 * Recommendations (推荐): "guess you like" (猜你喜欢) for a visitor, and a product's "viewed together" (看了又看) and
 * "bought together" (买了又买), computed from the shop's own events (see platform/src/modules/recommendations).
 */

/** The neighbour lists kept per product: co-viewed within a visit, co-bought by the same shopper. */
export const RECOMMENDATION_KINDS = ['viewed', 'bought'] as const;
export type RecommendationKind = (typeof RECOMMENDATION_KINDS)[number];

export const RECOMMENDATION_LIMITS = {
  /** Products a list shows by default. */
  defaultLimit: 10,
  /** Products a list shows at most. */
  maxLimit: 20,
  /** Product ids a guess-you-like request may leave out (the cart's lines). */
  excludeMax: 50,
} as const;
