import { z } from 'zod';
import { ANALYTICS_ID_PATTERN } from './analytics.constants';
import { productCardSchema } from './catalog';
import { idSchema } from './common';
import { RECOMMENDATION_LIMITS } from './recommendations.constants';

const limit = z.coerce
  .number()
  .int()
  .min(1)
  .max(RECOMMENDATION_LIMITS.maxLimit)
  .default(RECOMMENDATION_LIMITS.defaultLimit);

/** Guess-you-like: whose history (the shop's device id; a signed-in shopper's purchases too), how many, what not. */
export const guessQuerySchema = z.strictObject({
  /** The device id the shop sends its events with; none: the shop's popular products. */
  device: z.string().regex(ANALYTICS_ID_PATTERN, '8 to 40 letters, digits, - or _').optional(),
  limit,
  /** Products not to show, repeatable (`exclude=1&exclude=2`): the cart's, in the cart. */
  exclude: z.union([idSchema, z.array(idSchema).max(RECOMMENDATION_LIMITS.excludeMax)]).optional(),
});
export type GuessQuery = z.infer<typeof guessQuerySchema>;

export const togetherQuerySchema = z.strictObject({ limit });

/** A list of recommended products on sale, best first. */
export const recommendationsSchema = z
  .object({
    items: z.array(productCardSchema),
    /**
     * What the list comes from: `personal` (neighbours of the visitor's or the product's history, topped up with the
     * popular products of its categories) or `popular` (no history yet: the shop's popular products).
     */
    basis: z.enum(['personal', 'popular']),
  })
  .meta({ id: 'Recommendations' });
export type Recommendations = z.infer<typeof recommendationsSchema>;
