import { endpoint, merchantCan } from './endpoint';
import { idParamsSchema } from './common';
import { merchantOrderSchema } from './orders';
import { ORDER_OPS_LIMITS } from './orders.constants';
import {
  bulkShipBodySchema,
  changeOrderAddressBodySchema,
  changeOrderPriceBodySchema,
  orderCountsQuerySchema,
  orderCountsSchema,
  shipReportSchema,
} from './orders-ops';

/**
 * The merchant's daily order operations of `/merchant-api/v1` (composed in api.ts before the orders slice, so that
 * `/orders/counts` comes before `/orders/:id`).
 */
export const ordersOpsMerchantEndpoints = {
  orderCounts: endpoint({
    method: 'get',
    path: '/orders/counts',
    summary: "How many orders each state tab holds under the list's other filters",
    tags: ['merchant: orders'],
    access: merchantCan('order:order:read'),
    query: orderCountsQuerySchema,
    response: orderCountsSchema,
  }),
  bulkShipOrders: endpoint({
    method: 'post',
    path: '/orders/bulk-ship',
    summary: 'Ship several paid orders, a carrier and tracking number each; a report of what became of each',
    tags: ['merchant: orders'],
    access: merchantCan('order:order:manage'),
    body: bulkShipBodySchema,
    response: shipReportSchema,
  }),
  importShipments: endpoint({
    method: 'post',
    path: '/orders/ship-imports',
    summary: 'Ship orders from a CSV or XLSX file (order number, carrier, tracking number); a report row by row',
    tags: ['merchant: orders'],
    access: merchantCan('order:order:manage'),
    upload: { field: 'file', maxBytes: ORDER_OPS_LIMITS.shipImportMaxBytes },
    response: shipReportSchema,
  }),
  changeOrderPrice: endpoint({
    method: 'put',
    path: '/orders/:id/price',
    summary: 'Change the price of an unpaid order (never below 0.01 yuan), with a reason; open payments are closed',
    tags: ['merchant: orders'],
    access: merchantCan('order:price:manage'),
    params: idParamsSchema,
    body: changeOrderPriceBodySchema,
    response: merchantOrderSchema,
  }),
  changeOrderAddress: endpoint({
    method: 'put',
    path: '/orders/:id/address',
    summary: "Change where an order not yet shipped goes, at the shopper's request",
    tags: ['merchant: orders'],
    access: merchantCan('order:order:manage'),
    params: idParamsSchema,
    body: changeOrderAddressBodySchema,
    response: merchantOrderSchema,
  }),
};
