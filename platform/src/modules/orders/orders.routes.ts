import type { merchantApi, shopApi } from '@shopfleet/contracts';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { OrdersService } from './orders.service';
import type { MerchantOrdersService } from './merchant-orders.service';
import type { ShippingService } from './shipping.service';

export function shopOrderHandlers(orders: OrdersService) {
  return {
    checkoutPreview: (ctx, { body }) => orders.preview(ctx, body),
    placeOrder: (ctx, { body, headers }) => orders.place(ctx, body, headers['idempotency-key']),
    listOrders: (ctx, { query }) => orders.list(ctx, query),
    getOrder: (ctx, { params }) => orders.get(ctx, params.id),
    cancelOrder: (ctx, { params, body }) => orders.cancelByShopper(ctx, params.id, body.reason),
    confirmReceipt: (ctx, { params }) => orders.confirmReceipt(ctx, params.id),
  } satisfies Partial<Handlers<typeof shopApi>>;
}

export function merchantOrderHandlers(orders: MerchantOrdersService, shipping: ShippingService) {
  return {
    listMerchantOrders: (ctx, { query }) => orders.list(ctx, query),
    exportOrders: async (ctx, { query }, res) => {
      const { format, ...filter } = query;
      const file = await orders.export(ctx, filter, format);
      const type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      res.status(200).type(type).attachment(`orders.${format}`).send(file);
      return undefined as never;
    },
    getMerchantOrder: (ctx, { params }) => orders.get(ctx, params.id),
    shipOrder: (ctx, { params, body }) => orders.ship(ctx, params.id, body.carrier, body.trackingNo),
    remarkOrder: (ctx, { params, body }) => orders.remark(ctx, params.id, body.remark),
    cancelMerchantOrder: (ctx, { params, body }) => orders.cancel(ctx, params.id, body.reason),
    refundOrder: (ctx, { params, body }) => orders.refund(ctx, params.id, body.amountFen, body.reason),
    getOrderSettings: (ctx) => shipping.settings(ctx),
    updateOrderSettings: (ctx, { body }) => shipping.updateSettings(ctx, body),
    listShippingTemplates: (ctx) => shipping.list(ctx),
    createShippingTemplate: (ctx, { body }) => shipping.create(ctx, body),
    updateShippingTemplate: (ctx, { params, body }) => shipping.update(ctx, params.id, body),
    deleteShippingTemplate: async (ctx, { params }) => {
      await shipping.remove(ctx, params.id);
      return { ok: true as const };
    },
  } satisfies Partial<Handlers<typeof merchantApi>>;
}
