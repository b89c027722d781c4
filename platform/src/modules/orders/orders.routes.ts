import { IDEMPOTENCY_KEY_PATTERN, type shopApi } from '@shopfleet/contracts';
import { requireTenant } from '../../kernel/context';
import { ValidationError } from '../../kernel/errors';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { OrdersService } from './orders.service';

export function shopOrderHandlers(orders: OrdersService) {
  return {
    checkoutPreview: (ctx, { body }) => orders.preview(requireTenant(ctx), body),
    placeOrder: (ctx, { body }, res) => {
      const key = res.req.get('idempotency-key');
      if (!key || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
        throw new ValidationError('send an Idempotency-Key header (8 to 64 letters, digits, - or _), the same one when retrying', { issues: [{ path: 'headers.idempotency-key', message: 'required' }] });
      }
      return orders.place(requireTenant(ctx), body, key);
    },
    listOrders: (ctx, { query }) => orders.list(requireTenant(ctx), query),
    getOrder: (ctx, { params }) => orders.get(requireTenant(ctx), params.id),
    cancelOrder: (ctx, { params, body }) => orders.cancelByShopper(requireTenant(ctx), params.id, body.reason),
  } satisfies Partial<Handlers<typeof shopApi>>;
}
