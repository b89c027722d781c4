export { paymentsService, type PaymentsService } from './payments.service';
export { paymentSettingsService, notifyPaths, type PaymentSettingsService, type ServiceProviderAccount } from './payment-settings.service';
export { merchantPaymentHandlers, paymentWebhooks, shopPaymentHandlers } from './payments.routes';
export { schedulePaymentJobs } from './payments.jobs';
export { wechatShippingService, type WechatShippingService } from './wechat-shipping.service';
