import { z } from 'zod';
import { endpoint, merchantCan, signedIn } from './endpoint';
import { shopProductParamsSchema } from './catalog';
import { idParamsSchema } from './common';
import { orderTrackingSchema, printOrdersQuerySchema } from './logistics';

/** The logistics endpoints of `/merchant-api/v1` (composed in api.ts): printing and a parcel's progress. */
export const logisticsMerchantEndpoints = {
  printOrders: endpoint({
    method: 'get',
    path: '/order-prints',
    summary: 'Packing lists (发货单) or shipping labels (面单) of the given orders, one PDF, a page per order',
    tags: ['merchant: orders'],
    access: merchantCan('order:order:read'),
    query: printOrdersQuerySchema,
    response: z.string().meta({ format: 'binary' }),
  }),
  getMerchantOrderTracking: endpoint({
    method: 'get',
    path: '/orders/:id/tracking',
    summary:
      "A shipped order's parcel: its route from the tracking provider (cached a few minutes), or its number and carrier page",
    tags: ['merchant: orders'],
    access: merchantCan('order:order:read'),
    params: idParamsSchema,
    response: orderTrackingSchema,
  }),
};

/** The logistics endpoints of `/shop-api/v1` (composed in api.ts). */
export const logisticsShopEndpoints = {
  getOrderTracking: endpoint({
    method: 'get',
    path: '/shops/:shopKey/orders/:id/tracking',
    summary: "The shopper's shipped order: its parcel's route (cached a few minutes), or its number and carrier page",
    tags: ['shop: orders'],
    access: signedIn('shopper'),
    params: shopProductParamsSchema,
    response: orderTrackingSchema,
  }),
};
