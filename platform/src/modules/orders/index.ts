export { ordersRepository, type OrdersRepository, type OrderFilter } from './orders.repository';
export {
  ordersService,
  type OrdersService,
  type AppliedPayment,
  type ReviewableOrder,
  type ShipmentReportOrder,
  type RefundableOrder,
  type OrderMoney,
  type OrderedGoods,
  type AfterSalesOrder,
} from './orders.service';
export { forShopper, type OrderPayment } from './order-rows';
export { merchantOrdersService, type MerchantOrdersService } from './merchant-orders.service';
export { orderOpsService, type OrderOpsService } from './order-ops.service';
export {
  freightTemplatesService,
  type FreightTemplatesService,
  type FreightTemplateUsers,
} from './freight-templates.service';
export { quoteFreight, type FreightLine, type FreightQuote } from './freight-quote';
export { freightTemplatesRepository } from './freight-templates.repository';
export { merchantOrderHandlers, shopOrderHandlers } from './orders.routes';
export { scheduleOrderSweep } from './orders.jobs';
export type {
  PricingBatch,
  PricingSlot,
  PricingPart,
  OrderOffers,
  ActivityOffers,
  OrderActivity,
  PlacedInActivity,
  PlacedWithDiscounts,
  OrderLifecycleOffers,
  OrderMembership,
  OrderCommission,
  AfterSalesOfOrders,
} from './ports';
export { allocate, refundUnits } from './pricing';
export type {
  Discount,
  DiscountSource,
  ItemLine,
  LineBalance,
  PriceCalculator,
  PricedOrder,
  PricingDraft,
  PricingInput,
} from './pricing';
