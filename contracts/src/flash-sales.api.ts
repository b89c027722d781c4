import { endpoint, merchantCan, publicAccess, signedIn } from './endpoint';
import { idParamsSchema, idSchema, pageOf, shopParamsSchema } from './common';
import {
  flashBuyBodySchema,
  flashLiveSchema,
  flashPassSchema,
  flashSessionInputSchema,
  flashSessionListQuerySchema,
  flashSessionSchema,
  shopFlashSalesQuerySchema,
  shopFlashSalesSchema,
  updateFlashSessionBodySchema,
} from './flash-sales';
import { orderSchema, placeOrderHeadersSchema } from './orders';

const tags = ['merchant: flash sales'];

/** The flash-sale endpoints of `/merchant-api/v1` (composed in api.ts). */
export const flashSalesMerchantEndpoints = {
  createFlashSession: endpoint({
    method: 'post',
    path: '/flash-sessions',
    summary: "Set up a flash-sale session: each item's stock is taken from its SKU at once",
    tags,
    access: merchantCan('marketing:promotion:manage'),
    body: flashSessionInputSchema,
    response: flashSessionSchema,
    status: 201,
  }),
  listFlashSessions: endpoint({
    method: 'get',
    path: '/flash-sessions',
    summary: "The shop's flash-sale sessions, latest start first, by display status",
    tags,
    access: merchantCan('marketing:promotion:read'),
    query: flashSessionListQuerySchema,
    response: pageOf(flashSessionSchema),
  }),
  getFlashSession: endpoint({
    method: 'get',
    path: '/flash-sessions/:id',
    summary: 'A session with its items and figures',
    tags,
    access: merchantCan('marketing:promotion:read'),
    params: idParamsSchema,
    response: flashSessionSchema,
  }),
  flashSessionLive: endpoint({
    method: 'get',
    path: '/flash-sessions/:id/live',
    summary: "A session's live view: each item's stock left now, unpaid and paid units, orders, visitors",
    tags,
    access: merchantCan('marketing:promotion:read'),
    params: idParamsSchema,
    response: flashLiveSchema,
  }),
  updateFlashSession: endpoint({
    method: 'patch',
    path: '/flash-sessions/:id',
    summary: "Before its start: a session's name, period or payment window",
    tags,
    access: merchantCan('marketing:promotion:manage'),
    params: idParamsSchema,
    body: updateFlashSessionBodySchema,
    response: flashSessionSchema,
  }),
  stopFlashSession: endpoint({
    method: 'post',
    path: '/flash-sessions/:id/stop',
    summary: 'Stop a session early: no more purchases; the stock left goes back to the SKUs',
    tags,
    access: merchantCan('marketing:promotion:manage'),
    params: idParamsSchema,
    response: flashSessionSchema,
  }),
};

const shopTags = ['shop: flash sales'];
const shopIdParamsSchema = shopParamsSchema.extend({ id: idSchema });

/** The flash-sale endpoints of `/shop-api/v1` (composed in api.ts). */
export const flashSalesShopEndpoints = {
  shopFlashSales: endpoint({
    method: 'get',
    path: '/shops/:shopKey/flash-sales',
    summary: "The shop's running and upcoming flash-sale sessions with each item's stock left (or one product's)",
    tags: shopTags,
    access: publicAccess,
    params: shopParamsSchema,
    query: shopFlashSalesQuerySchema,
    response: shopFlashSalesSchema,
  }),
  flashPass: endpoint({
    method: 'post',
    path: '/shops/:shopKey/flash-sales/:id/pass',
    summary:
      'A signed pass to buy in a session, for this shopper: given from 30 s before the start (409 FLASH_NOT_STARTED earlier)',
    tags: shopTags,
    access: signedIn('shopper'),
    params: shopIdParamsSchema,
    response: flashPassSchema,
  }),
  buyFlashItem: endpoint({
    method: 'post',
    path: '/shops/:shopKey/flash-items/:id/orders',
    summary:
      'Buy a flash item with a pass (header Idempotency-Key): the unit is taken at once; 409 FLASH_SOLD_OUT, FLASH_LIMIT_REACHED',
    tags: shopTags,
    access: signedIn('shopper'),
    params: shopIdParamsSchema,
    body: flashBuyBodySchema,
    headers: placeOrderHeadersSchema,
    response: orderSchema,
    status: 201,
  }),
};
