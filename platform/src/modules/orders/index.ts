export { ordersService, type OrdersService, type AppliedPayment, type SalesLedger, type SalesChange, type ReviewableOrder, type ShipmentReportOrder, type RefundableOrder, type OrderMoney } from './orders.service';
export { forShopper, type OrderPayment } from './order-rows';
export { merchantOrdersService, type MerchantOrdersService, type OrderRefunds } from './merchant-orders.service';
export { shippingService, quote, type ShippingService } from './shipping.service';
export { merchantOrderHandlers, shopOrderHandlers } from './orders.routes';
export { scheduleOrderSweep } from './orders.jobs';
export type { PricingSlot } from './checkout.service';
export { allocate, refundUnits } from './pricing';
export type { Discount, LineBalance, PriceCalculator, PricedOrder, PricingDraft, PricingInput } from './pricing';
