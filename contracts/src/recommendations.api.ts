import { endpoint, optionalSignIn, publicAccess } from './endpoint';
import { shopParamsSchema } from './common';
import { shopProductParamsSchema } from './catalog';
import { guessQuerySchema, recommendationsSchema, togetherQuerySchema } from './recommendations';

const tags = ['shop: recommendations'];

/** The recommendation endpoints of `/shop-api/v1` (composed in api.ts). */
export const recommendationsShopEndpoints = {
  guessYouLike: endpoint({
    method: 'get',
    path: '/shops/:shopKey/recommendations',
    summary:
      "猜你喜欢: products on sale for a device's (and a signed-in shopper's) recent views, cart adds and purchases, leaving out what they bought",
    tags,
    access: optionalSignIn('shopper'),
    params: shopParamsSchema,
    query: guessQuerySchema,
    response: recommendationsSchema,
  }),
  viewedTogether: endpoint({
    method: 'get',
    path: '/shops/:shopKey/products/:id/viewed-together',
    summary: '看了又看: products viewed in the same visits as this one (its category’s popular ones when few)',
    tags,
    access: publicAccess,
    params: shopProductParamsSchema,
    query: togetherQuerySchema,
    response: recommendationsSchema,
  }),
  boughtTogether: endpoint({
    method: 'get',
    path: '/shops/:shopKey/products/:id/bought-together',
    summary: '买了又买: products bought by the shoppers who bought this one (its category’s popular ones when few)',
    tags,
    access: publicAccess,
    params: shopProductParamsSchema,
    query: togetherQuerySchema,
    response: recommendationsSchema,
  }),
};
