import type { Order, OrderStatus, PaymentMethod, RefundKind, RefundStatus } from '@shopfleet/contracts';

export const ORDER_STATUS_TEXT: Record<OrderStatus, string> = {
  pending_payment: '待付款',
  paid: '待发货',
  shipped: '待收货',
  completed: '已完成',
  cancelled: '已取消',
  refunded: '已退款',
};

/** A line under the status on the order detail. */
export const ORDER_STATUS_HINT: Record<OrderStatus, string> = {
  pending_payment: '请在支付截止前完成付款，超时订单将自动取消',
  paid: '已付款，等待商家发货',
  shipped: '商家已发货，请留意物流信息',
  completed: '交易已完成，感谢您的购买',
  cancelled: '订单已取消',
  refunded: '款项已全额退回，交易关闭',
};

export const PAYMENT_METHOD_TEXT: Record<PaymentMethod, string> = {
  wechat_jsapi: '微信支付',
  wechat_h5: '微信支付',
  wechat_native: '微信扫码支付',
  alipay_wap: '支付宝',
  sandbox: '测试支付',
};

export const REFUND_STATUS_TEXT: Record<RefundStatus, string> = {
  processing: '退款中',
  succeeded: '已退款',
  failed: '退款失败',
};

export const REFUND_KIND_TEXT: Record<RefundKind, string> = {
  merchant: '商家退款',
  order_cancelled: '订单已关闭，款项原路退回',
  late_payment: '超时支付，款项原路退回',
  duplicate_payment: '重复支付，款项原路退回',
};

const EVENT_TEXT: Record<string, string> = {
  placed: '提交订单',
  paid: '支付成功',
  shipped: '商家已发货',
  completed: '确认收货',
  auto_completed: '系统自动确认收货',
  cancelled: '订单已取消',
  closed: '超时未支付，订单已关闭',
  refunded: '退款',
  refund: '退款',
  refund_requested: '商家发起退款',
  refunded_in_full: '全额退款，交易关闭',
};

const ACTOR_TEXT: Record<string, string> = {
  shopper: '买家',
  merchant: '商家',
  system: '系统',
  platform: '平台',
};

type OrderEvent = Order['events'][number];

/** One timeline entry in words; event types the app does not know fall back to the status they led to. */
export function describeEvent(event: OrderEvent): string {
  const known = EVENT_TEXT[event.type];
  const base = known ?? (event.toStatus in ORDER_STATUS_TEXT ? ORDER_STATUS_TEXT[event.toStatus as OrderStatus] : event.type);
  const actor = ACTOR_TEXT[event.actorType];
  return actor && !known ? `${actor}：${base}` : base;
}

/** The order's lines as one short summary, e.g. "无线蓝牙耳机 等 3 件". */
export function linesSummary(order: Order): string {
  const count = order.lines.reduce((n, l) => n + l.quantity, 0);
  const first = order.lines[0]?.title ?? '';
  return order.lines.length > 1 ? `${first} 等 ${count} 件` : `${first} × ${count}`;
}

export function specText(specValues: readonly string[]): string {
  return specValues.join(' / ');
}
