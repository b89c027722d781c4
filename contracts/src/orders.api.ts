import { z } from 'zod';
import { endpoint, merchantCan, signedIn } from './endpoint';
import { shopProductParamsSchema } from './catalog';
import { idParamsSchema, pageOf, shopParamsSchema } from './common';
import {
  cancelOrderBodySchema,
  checkoutBodySchema,
  checkoutPreviewSchema,
  merchantCancelBodySchema,
  merchantOrderListQuerySchema,
  merchantOrderSchema,
  orderExportQuerySchema,
  orderListQuerySchema,
  orderRemarkBodySchema,
  orderSchema,
  placeOrderHeadersSchema,
  refundOrderBodySchema,
  shipOrderBodySchema,
} from './orders';

/** The orders endpoints of `/merchant-api/v1` (composed in api.ts). */
export const ordersMerchantEndpoints = {
  listMerchantOrders: endpoint({
    method: 'get', path: '/orders', summary: 'Orders: by state, placed between days, by order number, receiver or product', tags: ['merchant: orders'],
    access: merchantCan('order:order:read'), query: merchantOrderListQuerySchema, response: pageOf(merchantOrderSchema),
  }),
  exportOrders: endpoint({
    method: 'get', path: '/orders/export', summary: 'The filtered orders as an XLSX or CSV file, a row per line', tags: ['merchant: orders'],
    access: merchantCan('order:order:read'), query: orderExportQuerySchema, response: z.string().meta({ format: 'binary' }),
  }),
  getMerchantOrder: endpoint({
    method: 'get', path: '/orders/:id', summary: 'One order with payment, shipment, refunds and timeline', tags: ['merchant: orders'],
    access: merchantCan('order:order:read'), params: idParamsSchema, response: merchantOrderSchema,
  }),
  shipOrder: endpoint({
    method: 'post', path: '/orders/:id/ship', summary: 'Ship a paid order with carrier and tracking number (reported to WeChat for WeChat Pay orders)',
    tags: ['merchant: orders'], access: merchantCan('order:order:manage'), params: idParamsSchema, body: shipOrderBodySchema, response: merchantOrderSchema,
  }),
  remarkOrder: endpoint({
    method: 'put', path: '/orders/:id/remark', summary: "The merchant's own remark on an order (the shopper never sees it)", tags: ['merchant: orders'],
    access: merchantCan('order:order:manage'), params: idParamsSchema, body: orderRemarkBodySchema, response: merchantOrderSchema,
  }),
  cancelMerchantOrder: endpoint({
    method: 'post', path: '/orders/:id/cancel', summary: 'Cancel an order not yet shipped; a paid one is refunded in full and its stock returns',
    tags: ['merchant: orders'], access: merchantCan('order:refund:manage'), params: idParamsSchema, body: merchantCancelBodySchema, response: merchantOrderSchema,
  }),
  refundOrder: endpoint({
    method: 'post', path: '/orders/:id/refunds', summary: 'Refund part or all of what was paid (never more than what is left)', tags: ['merchant: orders'],
    access: merchantCan('order:refund:manage'), params: idParamsSchema, body: refundOrderBodySchema, response: merchantOrderSchema, status: 201,
  }),
};

/** The orders endpoints of `/shop-api/v1` (composed in api.ts). */
export const ordersShopEndpoints = {
  checkoutPreview: endpoint({
    method: 'post', path: '/shops/:shopKey/checkout/preview', summary: 'Price an order before placing it: lines, shipping, total',
    tags: ['shop: orders'], access: signedIn('shopper'), params: shopParamsSchema, body: checkoutBodySchema, response: checkoutPreviewSchema,
  }),
  placeOrder: endpoint({
    method: 'post', path: '/shops/:shopKey/orders',
    summary: 'Place an order (header Idempotency-Key: a retried request returns the same order); stock is reserved at once',
    tags: ['shop: orders'], access: signedIn('shopper'), params: shopParamsSchema, body: checkoutBodySchema, headers: placeOrderHeadersSchema,
    response: orderSchema, status: 201,
  }),
  listOrders: endpoint({
    method: 'get', path: '/shops/:shopKey/orders', summary: "The shopper's orders, newest first", tags: ['shop: orders'],
    access: signedIn('shopper'), params: shopParamsSchema, query: orderListQuerySchema, response: pageOf(orderSchema),
  }),
  getOrder: endpoint({
    method: 'get', path: '/shops/:shopKey/orders/:id', summary: 'One order with its timeline', tags: ['shop: orders'],
    access: signedIn('shopper'), params: shopProductParamsSchema, response: orderSchema,
  }),
  cancelOrder: endpoint({
    method: 'post', path: '/shops/:shopKey/orders/:id/cancel', summary: 'Cancel an unpaid order; its stock returns', tags: ['shop: orders'],
    access: signedIn('shopper'), params: shopProductParamsSchema, body: cancelOrderBodySchema, response: orderSchema,
  }),
  confirmReceipt: endpoint({
    method: 'post', path: '/shops/:shopKey/orders/:id/confirm-receipt', summary: 'Confirm a shipped order arrived', tags: ['shop: orders'],
    access: signedIn('shopper'), params: shopProductParamsSchema, response: orderSchema,
  }),
};
