import { PAYMENT_JOBS, QUEUES } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { chinaRfc3339 } from '../../kernel/china-time';
import { AppError, UpstreamError } from '../../kernel/errors';
import { maskPhone } from '../../kernel/mask';
import type { Queues } from '../../kernel/queue';
import { WechatApiError, type WechatClient } from '../../integrations/wechat';
import type { AuthorizationsService } from '../miniapp';
import type { OrdersService } from '../orders';
import type { PaymentsRepository } from './payments.repository';

/**
 * WeChat requires every WeChat Pay order of a mini-program to have its shipping reported to its
 * order-shipping API (发货信息录入), or the funds are held. Shipping an order queues the report; the
 * job sends it with the mini-program's authorizer token, retried on transient failures.
 */
export function shipmentReportsService(deps: {
  repo: PaymentsRepository;
  orders: Pick<OrdersService, 'forShipmentReport' | 'setWechatShipping'>;
  authorizations: AuthorizationsService;
  wechat: WechatClient;
  queues: Queues;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());

  return {
    async schedule(ctx: TenantContext, orderId: number): Promise<void> {
      await deps.queues.get(QUEUES.payments).add(
        PAYMENT_JOBS.uploadShipping,
        { tenantId: ctx.tenantId, orderId },
        {
          jobId: `shipping-${ctx.tenantId}-${orderId}`,
          attempts: 8,
          backoff: { type: 'exponential', delay: 60_000 },
        },
      );
    },

    /**
     * Sends the report of one shipped order. A transient failure throws (the job retries); a refusal
     * or a shop whose mini-program is not authorized marks the order `failed`, shown in the console.
     */
    async upload(ctx: TenantContext, orderId: number): Promise<'uploaded' | 'failed' | 'skipped'> {
      const order = await deps.orders.forShipmentReport(ctx, orderId);
      if (
        !order ||
        !['shipped', 'completed'].includes(order.status) ||
        !['pending', 'failed'].includes(order.wechatShipping)
      )
        return 'skipped';
      const payment = (await deps.repo.payment(ctx, { id: order.paymentId! }))!;
      const info = {
        order_key: { order_number_type: 2, transaction_id: String(payment.transactionId) },
        logistics_type: 1,
        delivery_mode: 1,
        shipping_list: [
          {
            tracking_no: order.trackingNo,
            express_company: order.carrier,
            item_desc: order.lines
              .map((i) => `${i.title}×${i.quantity}`)
              .join('，')
              .slice(0, 120),
            contact: { receiver_contact: maskPhone(order.receiverPhone) },
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
          await deps.orders.setWechatShipping(ctx, orderId, 'uploaded', `${order.carrier} ${order.trackingNo}`);
          return 'uploaded';
        } catch (err) {
          if (attempt === 0 && appid && (await deps.authorizations.invalidate(appid, err))) continue;
          if (err instanceof UpstreamError || (err instanceof WechatApiError && err.retryable)) throw err;
          const reason =
            err instanceof WechatApiError
              ? `${err.errcode} ${err.errmsg}`
              : err instanceof AppError
                ? err.message
                : null;
          if (reason === null) throw err;
          ctx.log.warn({ orderId, reason }, 'WeChat did not take the shipping report');
          await deps.orders.setWechatShipping(ctx, orderId, 'failed', reason);
          return 'failed';
        }
      }
    },
  };
}

export type ShipmentReportsService = ReturnType<typeof shipmentReportsService>;
