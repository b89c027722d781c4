export { paymentsRepository, type PaymentsRepository } from './payments.repository';
export { paymentsService, type PaymentsService, type OrderLedger } from './payments.service';
export {
  paymentSettingsService,
  notifyPaths,
  type PaymentSettingsService,
  type ServiceProviderAccount,
} from './payment-settings.service';
export { merchantPaymentHandlers, paymentWebhooks, shopPaymentHandlers } from './payments.routes';
export { schedulePaymentJobs } from './payments.jobs';
export { shipmentReportsService, type ShipmentReportsService } from './shipment-reports.service';
export {
  WechatPayComplaints,
  type ComplaintNotification,
  type WechatComplaint,
  type WechatNegotiation,
} from './providers/wechatpay-complaints';
export { NotificationRejected, type IncomingNotification, type NotificationAck } from './providers/provider';
