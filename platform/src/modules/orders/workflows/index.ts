/**
 * Work that spans modules, step by step, each step one module's service (as Medusa's workflows read). The composition
 * root builds them from the services; they are not part of the orders module's `index.ts`, since they use payments,
 * which uses orders.
 */
export { placeOrderWorkflow, type PlaceOrderWorkflow } from './place-order';
export { cancelOrderWorkflow, type CancelOrderWorkflow } from './cancel-order';
export { applyPaymentWorkflow, type ApplyPaymentWorkflow } from './apply-payment';
export { refundOrderWorkflow, type RefundOrderWorkflow } from './refund-order';
export { shipOrderWorkflow, type ShipOrderWorkflow } from './ship-order';
export { flashPurchaseWorkflow, type FlashPurchaseWorkflow } from './flash-purchase';
export { groupBuyWorkflow, type GroupBuyWorkflow } from './group-buy';
export { afterSalesCaseWorkflow, type AfterSalesCaseWorkflow } from './after-sales-case';
export { complaintsWorkflow, type ComplaintsWorkflow } from './complaints';
export { wechatpayComplaintsWorkflow, type WechatpayComplaintsWorkflow } from './wechatpay-complaints';
export { afterSalesWindowWorkflow, type AfterSalesWindow } from './after-sales-window';
export { orderChangesWorkflow, type OrderChangesWorkflow } from './order-changes';
export { bulkShipWorkflow, type BulkShipWorkflow } from './bulk-ship';
export { merchantOrderOpsHandlers } from './order-ops.routes';
export { linkPhoneWorkflow, type LinkPhoneWorkflow, type ShopperAbsorber } from './link-phone';
export {
  merchantWorkflowHandlers,
  platformWorkflowHandlers,
  shopWorkflowHandlers,
  wechatComplaintWebhooks,
  WECHATPAY_COMPLAINTS_WEBHOOK,
  type Workflows,
} from './workflows.routes';
