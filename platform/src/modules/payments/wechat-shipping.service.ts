import type { Knex } from 'knex';
import { PAYMENT_JOBS, QUEUES } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { TenantScope } from '../../kernel/db/tenant-scope';
import { parseJsonColumn } from '../../kernel/db/rows';
import { chinaRfc3339 } from '../../kernel/china-time';
import { AppError, UpstreamError } from '../../kernel/errors';
import { maskPhone } from '../../kernel/mask';
import type { Queues } from '../../kernel/queue';
import { WechatApiError, type WechatClient } from '../../integrations/wechat';
import type { AuthorizationsService } from '../miniapp';
import type { OrdersService } from '../orders';

/**
 * WeChat requires every WeChat Pay order of a mini-program to have its shipping reported to its
 * order-shipping API (发货信息录入), or the funds are held. Shipping an order queues the report; the
 * job sends it with the mini-program's authorizer token, retried on transient failures.
 */
export function wechatShippingService(deps: { knex: Knex; orders: OrdersService; authorizations: AuthorizationsService; wechat: WechatClient; queues: Queues; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  const scopeOf = (ctx: TenantContext) => new TenantScope(deps.knex, ctx.tenantId);

  return {
    async schedule(ctx: TenantContext, orderId: number): Promise<void> {
      await deps.queues
        .get(QUEUES.payments)
        .add(PAYMENT_JOBS.uploadShipping, { tenantId: ctx.tenantId, orderId }, { jobId: `shipping-${ctx.tenantId}-${orderId}`, attempts: 8, backoff: { type: 'exponential', delay: 60_000 } });
    },

    /**
     * Sends the report of one shipped order. A transient failure throws (the job retries); a refusal
     * or a shop whose mini-program is not authorized marks the order `failed`, shown in the console.
     */
    async upload(ctx: TenantContext, orderId: number): Promise<'uploaded' | 'failed' | 'skipped'> {
      const scope = scopeOf(ctx);
      const order = await scope.table('orders').where({ id: orderId }).first();
      if (!order || !['shipped', 'completed'].includes(String(order.status)) || !['pending', 'failed'].includes(String(order.wechat_shipping))) return 'skipped';
      const payment = await scope.table('payments').where({ id: order.payment_id }).first();
      const items = (await scope.table('order_items').where({ order_id: orderId }).select('title', 'quantity')) as Array<{ title: string; quantity: number }>;
      const address = parseJsonColumn(order.address) as { phone: string };
      const info = {
        order_key: { order_number_type: 2, transaction_id: String(payment.transaction_id) },
        logistics_type: 1,
        delivery_mode: 1,
        shipping_list: [
          {
            tracking_no: String(order.tracking_no),
            express_company: String(order.carrier),
            item_desc: items.map((i) => `${i.title}×${i.quantity}`).join('，').slice(0, 120),
            contact: { receiver_contact: maskPhone(address.phone) },
          },
        ],
        upload_time: chinaRfc3339(now()),
        payer: { openid: String(payment.payer) },
      };
      for (let attempt = 0; ; attempt++) {
        let appid = '';
        try {
          const auth = await deps.authorizations.accessToken(ctx);
          appid = auth.appid;
          await deps.wechat.uploadShippingInfo(auth.token, info);
          await deps.orders.setWechatShipping(ctx, orderId, 'uploaded', `${String(order.carrier)} ${String(order.tracking_no)}`);
          return 'uploaded';
        } catch (err) {
          if (attempt === 0 && appid && (await deps.authorizations.invalidate(appid, err))) continue;
          if (err instanceof UpstreamError || (err instanceof WechatApiError && err.retryable)) throw err;
          const reason = err instanceof WechatApiError ? `${err.errcode} ${err.errmsg}` : err instanceof AppError ? err.message : null;
          if (reason === null) throw err;
          ctx.log.warn({ orderId, reason }, 'WeChat did not take the shipping report');
          await deps.orders.setWechatShipping(ctx, orderId, 'failed', reason);
          return 'failed';
        }
      }
    },
  };
}

export type WechatShippingService = ReturnType<typeof wechatShippingService>;
