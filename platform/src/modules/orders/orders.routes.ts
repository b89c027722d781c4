import { IDEMPOTENCY_KEY_PATTERN, type merchantApi, type shopApi } from '@shopfleet/contracts';
import { requireTenant } from '../../kernel/context';
import { ValidationError, issue } from '../../kernel/errors';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { OrdersService } from './orders.service';
import type { MerchantOrdersService } from './merchant-orders.service';
import type { ShippingService } from './shipping.service';

export function shopOrderHandlers(orders: OrdersService) {
  return {
    checkoutPreview: (ctx, { body }) => orders.preview(requireTenant(ctx), body),
    placeOrder: (ctx, { body }, res) => {
      const key = res.req.get('idempotency-key');
      if (!key || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
        const text = { reason: 'IDEMPOTENCY_KEY_REQUIRED', message: 'send an Idempotency-Key header (8 to 64 letters, digits, - or _), the same one when retrying' } as const;
        throw new ValidationError(text, { issues: [issue('headers.idempotency-key', text)] });
      }
      return orders.place(requireTenant(ctx), body, key);
    },
    listOrders: (ctx, { query }) => orders.list(requireTenant(ctx), query),
    getOrder: (ctx, { params }) => orders.get(requireTenant(ctx), params.id),
    cancelOrder: (ctx, { params, body }) => orders.cancelByShopper(requireTenant(ctx), params.id, body.reason),
    confirmReceipt: (ctx, { params }) => orders.confirmReceipt(requireTenant(ctx), params.id),
  } satisfies Partial<Handlers<typeof shopApi>>;
}

export function merchantOrderHandlers(orders: MerchantOrdersService, shipping: ShippingService) {
  return {
    listMerchantOrders: (ctx, { query }) => orders.list(requireTenant(ctx), query),
    exportOrders: async (ctx, { query }, res) => {
      const { format, ...filter } = query;
      const file = await orders.export(requireTenant(ctx), filter, format);
      const type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      res.status(200).type(type).attachment(`orders.${format}`).send(file);
      return undefined as never;
    },
    getMerchantOrder: (ctx, { params }) => orders.get(requireTenant(ctx), params.id),
    shipOrder: (ctx, { params, body }) => orders.ship(requireTenant(ctx), params.id, body.carrier, body.trackingNo),
    remarkOrder: (ctx, { params, body }) => orders.remark(requireTenant(ctx), params.id, body.remark),
    cancelMerchantOrder: (ctx, { params, body }) => orders.cancel(requireTenant(ctx), params.id, body.reason),
    refundOrder: (ctx, { params, body }) => orders.refund(requireTenant(ctx), params.id, body.amountFen, body.reason),
    getOrderSettings: (ctx) => shipping.settings(requireTenant(ctx)),
    updateOrderSettings: (ctx, { body }) => shipping.updateSettings(requireTenant(ctx), body),
    listShippingTemplates: (ctx) => shipping.list(requireTenant(ctx)),
    createShippingTemplate: (ctx, { body }) => shipping.create(requireTenant(ctx), body),
    updateShippingTemplate: (ctx, { params, body }) => shipping.update(requireTenant(ctx), params.id, body),
    deleteShippingTemplate: async (ctx, { params }) => {
      await shipping.remove(requireTenant(ctx), params.id);
      return { ok: true as const };
    },
  } satisfies Partial<Handlers<typeof merchantApi>>;
}
