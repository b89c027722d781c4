import express, { type Router } from 'express';
import { PAYMENT_PROVIDERS, type merchantApi, type PaymentProviderName, type shopApi } from '@shopfleet/contracts';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { Logger } from '../../kernel/logger';
import type { PaymentSettingsService } from './payment-settings.service';
import type { PaymentsService } from './payments.service';
import type { IncomingNotification, NotificationAck } from './providers/provider';

/** Applies a provider's notification for the tenant its URL names (the apply-payment workflow). */
export type NotificationHandler = (
  tenantId: number,
  provider: PaymentProviderName,
  incoming: IncomingNotification,
  log: Logger,
) => Promise<NotificationAck>;

export function shopPaymentHandlers(payments: PaymentsService) {
  return {
    paymentMethods: (ctx, { query }) => payments.methods(ctx, query.client),
    payOrder: (ctx, { params, body }) => payments.pay(ctx, params.id, body),
  } satisfies Partial<Handlers<typeof shopApi>>;
}

export function merchantPaymentHandlers(settings: PaymentSettingsService, payments: PaymentsService) {
  return {
    getPaymentSettings: (ctx) => settings.get(ctx),
    updatePaymentMode: (ctx, { body }) => settings.setTestMode(ctx, body.testMode),
    updateWechatPaySettings: (ctx, { body }) => settings.setWechat(ctx, body),
    deleteWechatPaySettings: (ctx) => settings.removeWechat(ctx),
    updateAlipaySettings: (ctx, { body }) => settings.setAlipay(ctx, body),
    deleteAlipaySettings: (ctx) => settings.removeAlipay(ctx),
    updateUnionPaySettings: (ctx, { body }) => settings.setUnionPay(ctx, body),
    deleteUnionPaySettings: (ctx) => settings.removeUnionPay(ctx),
    listDiscrepancies: (ctx, { query }) => payments.discrepancies(ctx, query),
    retryRefund: (ctx, { params }) => payments.retryRefund(ctx, params.id),
  } satisfies Partial<Handlers<typeof merchantApi>>;
}

const PROVIDER_SEGMENT: Record<string, PaymentProviderName> = {
  wechat: 'wechatpay',
  alipay: 'alipay',
  unionpay: 'unionpay',
  sandbox: 'sandbox',
};

/**
 * `/webhooks/pay/{provider}/{tenantId}[/refunds]`: the tenant comes from the path alone, never from a
 * header or a session. The body is read raw, because signatures are over the exact bytes sent.
 */
export function paymentWebhooks(handle: NotificationHandler, log: Logger): Router {
  const router = express.Router();
  router.use(express.text({ type: () => true, limit: '64kb' }));
  router.post(/^\/pay\/(wechat|alipay|unionpay|sandbox)\/(\d{1,12})(\/refunds)?$/, async (req, res, next) => {
    try {
      const [segment, tenantText] = [req.params[0] as string, req.params[1] as string];
      const providerName = PROVIDER_SEGMENT[segment]!;
      if (!PAYMENT_PROVIDERS.includes(providerName)) return res.status(404).end();
      const ack = await handle(
        Number(tenantText),
        providerName,
        { headers: req.headers, rawBody: typeof req.body === 'string' ? req.body : '' },
        log,
      );
      res.status(ack.status).type(ack.contentType).send(ack.body);
    } catch (err) {
      next(err);
    }
  });
  return router;
}
