import {
  CARRIERS,
  ORDER_EXPORT_MAX_ROWS,
  type MerchantOrder,
  type OrderFlag,
  type OrderStatus,
} from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { writeTable } from '../../kernel/spreadsheet';
import { chinaDateTime } from '../../kernel/china-time';
import { yuan } from '../../kernel/money';
import type { OrderFilter } from './orders.repository';
import type { OrdersService } from './orders.service';

const EXPORT_COLUMNS = [
  'orderNo',
  'status',
  'createdAt',
  'paidAt',
  'receiver',
  'phone',
  'address',
  'title',
  'spec',
  'unitPrice',
  'quantity',
  'subtotal',
  'shipping',
  'total',
  'refunded',
  'carrier',
  'trackingNo',
  'remark',
  'merchantRemark',
] as const;
const EXPORT_HEADER = [
  '订单号',
  '状态',
  '下单时间',
  '支付时间',
  '收货人',
  '电话',
  '地址',
  '商品',
  '规格',
  '单价',
  '数量',
  '小计',
  '运费',
  '实付',
  '已退款',
  '快递',
  '运单号',
  '买家留言',
  '商家备注',
];
const STATUS_TEXT: Record<OrderStatus, string> = {
  pending_payment: '待付款',
  paid: '待发货',
  shipped: '已发货',
  completed: '已完成',
  cancelled: '已取消',
  refunded: '已退款',
};

const chinaTime = (isoText: string | null) => (isoText ? chinaDateTime(new Date(isoText)) : '');

/** The merchant's side of orders that is theirs alone: find, read, remark, export (shipping, cancelling and refunding are workflows). */
export function merchantOrdersService(deps: { orders: OrdersService }) {
  return {
    list: (ctx: TenantContext, f: OrderFilter & { page: number; pageSize: number }) => deps.orders.search(ctx, f),

    get: (ctx: TenantContext, id: number) => deps.orders.full(ctx, id),

    /** The merchant's remark and, when given, their flag (null: none). */
    async remark(ctx: TenantContext, id: number, remark: string, flag?: OrderFlag | null): Promise<MerchantOrder> {
      await deps.orders.remark(ctx, id, remark, flag);
      return deps.orders.full(ctx, id);
    },

    /** The filtered orders as a file, a row per line, at most ORDER_EXPORT_MAX_ROWS orders. */
    async export(ctx: TenantContext, f: OrderFilter, format: 'csv' | 'xlsx'): Promise<Buffer> {
      const rows: Array<Record<string, string | number>> = [];
      let afterId = Number.MAX_SAFE_INTEGER;
      let seen = 0;
      while (seen < ORDER_EXPORT_MAX_ROWS) {
        const page = await deps.orders.searchBefore(ctx, f, afterId, 500);
        if (page.length === 0) break;
        afterId = page[page.length - 1]!.id;
        seen += page.length;
        for (const o of page) {
          const a = o.address;
          for (const line of o.lines) {
            rows.push({
              orderNo: o.orderNo,
              status: STATUS_TEXT[o.status],
              createdAt: chinaTime(o.createdAt),
              paidAt: chinaTime(o.paidAt),
              receiver: a.name,
              phone: a.phone,
              address: `${a.province}${a.city}${a.district}${a.detail}`,
              title: line.title,
              spec: line.specValues.join(' / '),
              unitPrice: yuan(line.unitPriceFen),
              quantity: line.quantity,
              subtotal: yuan(line.subtotalFen),
              shipping: yuan(o.shippingFen),
              total: yuan(o.totalFen),
              refunded: yuan(o.refundedFen),
              carrier: o.shipment ? CARRIERS[o.shipment.carrier] : '',
              trackingNo: o.shipment?.trackingNo ?? '',
              remark: o.remark,
              merchantRemark: o.merchantRemark,
            });
          }
        }
      }
      return writeTable(EXPORT_COLUMNS, rows, format, { sheet: 'orders', header: EXPORT_HEADER });
    },
  };
}

export type MerchantOrdersService = ReturnType<typeof merchantOrdersService>;
