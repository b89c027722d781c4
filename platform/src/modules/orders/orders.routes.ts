import type { merchantApi, shopApi } from '@shopfleet/contracts';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { OrdersService } from './orders.service';
import type { MerchantOrdersService } from './merchant-orders.service';
import type { FreightTemplatesService } from './freight-templates.service';

/** The shop's order endpoints the orders module answers alone (placing and cancelling are workflows: ./workflows). */
export function shopOrderHandlers(orders: OrdersService) {
  return {
    listOrders: (ctx, { query }) => orders.list(ctx, query),
    getOrder: (ctx, { params }) => orders.get(ctx, params.id),
    confirmReceipt: (ctx, { params }) => orders.confirmReceipt(ctx, params.id),
  } satisfies Partial<Handlers<typeof shopApi>>;
}

/** The merchant's order endpoints the orders module answers alone (shipping, cancelling and refunding are workflows: ./workflows). */
export function merchantOrderHandlers(orders: MerchantOrdersService, freight: FreightTemplatesService) {
  return {
    listMerchantOrders: (ctx, { query }) => orders.list(ctx, query),
    exportOrders: async (ctx, { query }, res) => {
      const { format, ...filter } = query;
      const file = await orders.export(ctx, filter, format);
      const type =
        format === 'csv'
          ? 'text/csv; charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      res.status(200).type(type).attachment(`orders.${format}`).send(file);
      return undefined as never;
    },
    getMerchantOrder: (ctx, { params }) => orders.get(ctx, params.id),
    remarkOrder: (ctx, { params, body }) => orders.remark(ctx, params.id, body.remark, body.flag),
    getOrderSettings: (ctx) => freight.settings(ctx),
    updateOrderSettings: (ctx, { body }) => freight.updateSettings(ctx, body),
    listShippingTemplates: (ctx) => freight.list(ctx),
    createShippingTemplate: (ctx, { body }) => freight.create(ctx, body),
    updateShippingTemplate: (ctx, { params, body }) => freight.update(ctx, params.id, body),
    deleteShippingTemplate: async (ctx, { params }) => {
      await freight.remove(ctx, params.id);
      return { ok: true as const };
    },
  } satisfies Partial<Handlers<typeof merchantApi>>;
}
