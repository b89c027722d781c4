import { endpoint, merchantCan, publicAccess, signedIn } from './endpoint';
import { shopProductParamsSchema } from './catalog';
import { idParamsSchema, pageOf, shopParamsSchema } from './common';
import { orderSchema } from './orders';
import {
  alipaySettingsInputSchema,
  discrepancySchema,
  payOrderBodySchema,
  payParamsSchema,
  paymentMethodsQuerySchema,
  paymentMethodsSchema,
  paymentModeInputSchema,
  paymentNoParamsSchema,
  paymentSettingsSchema,
  reconciliationQuerySchema,
  refundSchema,
  unionPaySettingsInputSchema,
  wechatPaySettingsInputSchema,
} from './payments';

/** The payments endpoints of `/merchant-api/v1` (composed in api.ts). */
export const paymentsMerchantEndpoints = {
  getPaymentSettings: endpoint({
    method: 'get',
    path: '/payment-settings',
    summary: 'How the shop takes payments (secrets are never returned)',
    tags: ['merchant: payments'],
    access: merchantCan('payment:settings:manage'),
    response: paymentSettingsSchema,
  }),
  updatePaymentMode: endpoint({
    method: 'put',
    path: '/payment-settings/mode',
    summary: 'Test mode (sandbox only) or live',
    tags: ['merchant: payments'],
    access: merchantCan('payment:settings:manage'),
    body: paymentModeInputSchema,
    response: paymentSettingsSchema,
  }),
  updateWechatPaySettings: endpoint({
    method: 'put',
    path: '/payment-settings/wechat',
    summary: 'WeChat Pay as a merchant or a sub-merchant; keys are stored encrypted',
    tags: ['merchant: payments'],
    access: merchantCan('payment:settings:manage'),
    body: wechatPaySettingsInputSchema,
    response: paymentSettingsSchema,
  }),
  deleteWechatPaySettings: endpoint({
    method: 'delete',
    path: '/payment-settings/wechat',
    summary: 'Stop taking WeChat Pay',
    tags: ['merchant: payments'],
    access: merchantCan('payment:settings:manage'),
    response: paymentSettingsSchema,
  }),
  updateAlipaySettings: endpoint({
    method: 'put',
    path: '/payment-settings/alipay',
    summary: 'Alipay for the web shop; keys are stored encrypted',
    tags: ['merchant: payments'],
    access: merchantCan('payment:settings:manage'),
    body: alipaySettingsInputSchema,
    response: paymentSettingsSchema,
  }),
  deleteAlipaySettings: endpoint({
    method: 'delete',
    path: '/payment-settings/alipay',
    summary: 'Stop taking Alipay',
    tags: ['merchant: payments'],
    access: merchantCan('payment:settings:manage'),
    response: paymentSettingsSchema,
  }),
  updateUnionPaySettings: endpoint({
    method: 'put',
    path: '/payment-settings/unionpay',
    summary:
      'UnionPay (银联全渠道) for the web shop: the merchant number and the signing .pfx, checked and stored encrypted',
    tags: ['merchant: payments'],
    access: merchantCan('payment:settings:manage'),
    body: unionPaySettingsInputSchema,
    response: paymentSettingsSchema,
  }),
  deleteUnionPaySettings: endpoint({
    method: 'delete',
    path: '/payment-settings/unionpay',
    summary: 'Stop taking UnionPay',
    tags: ['merchant: payments'],
    access: merchantCan('payment:settings:manage'),
    response: paymentSettingsSchema,
  }),
  listDiscrepancies: endpoint({
    method: 'get',
    path: '/payments/discrepancies',
    summary: "Differences the daily reconciliation found between orders and the providers' records",
    tags: ['merchant: payments'],
    access: merchantCan('payment:settings:manage'),
    query: reconciliationQuerySchema,
    response: pageOf(discrepancySchema),
  }),
  retryRefund: endpoint({
    method: 'post',
    path: '/refunds/:id/retry',
    summary:
      'Send a failed refund again, under the same refund number (never paid twice); its amount is reserved on the order again',
    tags: ['merchant: orders'],
    access: merchantCan('order:refund:manage'),
    params: idParamsSchema,
    response: refundSchema,
  }),
};

/** The payments endpoints of `/shop-api/v1` (composed in api.ts). */
export const paymentsShopEndpoints = {
  paymentMethods: endpoint({
    method: 'get',
    path: '/shops/:shopKey/payment-methods',
    summary: 'How this shop can be paid from this client',
    tags: ['shop: payments'],
    access: publicAccess,
    params: shopParamsSchema,
    query: paymentMethodsQuerySchema,
    response: paymentMethodsSchema,
  }),
  payOrder: endpoint({
    method: 'post',
    path: '/shops/:shopKey/orders/:id/pay',
    summary: 'Start paying an unpaid order: the signed wx.requestPayment parameters, a URL or a QR code',
    tags: ['shop: payments'],
    access: signedIn('shopper'),
    params: shopProductParamsSchema,
    body: payOrderBodySchema,
    response: payParamsSchema,
  }),
  confirmSandboxPayment: endpoint({
    method: 'post',
    path: '/shops/:shopKey/payments/:paymentNo/sandbox-confirm',
    summary: 'Test mode: complete a sandbox payment (through the same notification path as a real provider)',
    tags: ['shop: payments'],
    access: signedIn('shopper'),
    params: paymentNoParamsSchema,
    response: orderSchema,
  }),
};
