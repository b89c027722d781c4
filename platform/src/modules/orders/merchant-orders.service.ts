import type { Knex } from 'knex';
import { CARRIERS, ORDER_EXPORT_MAX_ROWS, type CarrierCode, type MerchantOrder, type OrderStatus, type Page } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { TenantScope } from '../../kernel/db/tenant-scope';
import { totalOf } from '../../kernel/db/rows';
import { writeTable } from '../../kernel/spreadsheet';
import { chinaDateTime, chinaDayStart } from '../../kernel/china-time';
import { yuan } from '../../kernel/money';
import type { AuditService } from '../audit';
import type { OrdersService } from './orders.service';

/** What the merchant side needs of refunds; the payments module provides it (orders never import payments). */
export interface OrderRefunds {
  refund(ctx: TenantContext, orderId: number, amountFen: number, reason: string): Promise<void>;
  refundRemainderInTrx(ctx: TenantContext, trx: Knex.Transaction, row: Record<string, unknown>, reason: string): Promise<number | null>;
  submitRefund(ctx: TenantContext, refundId: number): Promise<void>;
}

/** Reports a shipped WeChat Pay order to WeChat's order-shipping API (in the background); provided by the payments module. */
export type ShippingReporter = (ctx: TenantContext, orderId: number) => Promise<void>;

export interface OrderFilter {
  status?: OrderStatus;
  q?: string;
  from?: string;
  to?: string;
}

const EXPORT_COLUMNS = ['orderNo', 'status', 'createdAt', 'paidAt', 'receiver', 'phone', 'address', 'title', 'spec', 'unitPrice', 'quantity', 'subtotal', 'shipping', 'total', 'refunded', 'carrier', 'trackingNo', 'remark', 'merchantRemark'] as const;
const EXPORT_HEADER = ['订单号', '状态', '下单时间', '支付时间', '收货人', '电话', '地址', '商品', '规格', '单价', '数量', '小计', '运费', '实付', '已退款', '快递', '运单号', '买家留言', '商家备注'];
const STATUS_TEXT: Record<OrderStatus, string> = { pending_payment: '待付款', paid: '待发货', shipped: '已发货', completed: '已完成', cancelled: '已取消', refunded: '已退款' };

const chinaTime = (isoText: string | null) => (isoText ? chinaDateTime(new Date(isoText)) : '');

/** The merchant's side of orders: find, read, ship, remark, cancel with refund, refund, export. */
export function merchantOrdersService(deps: { knex: Knex; orders: OrdersService; refunds: OrderRefunds; reportShipping: ShippingReporter; audit: AuditService }) {
  const scopeOf = (ctx: TenantContext) => new TenantScope(deps.knex, ctx.tenantId);

  function filtered(ctx: TenantContext, f: OrderFilter): Knex.QueryBuilder {
    const scope = scopeOf(ctx);
    const q = scope.table('orders');
    if (f.status) q.where({ status: f.status });
    if (f.from) q.where('created_at', '>=', chinaDayStart(f.from));
    if (f.to) q.where('created_at', '<', new Date(chinaDayStart(f.to).getTime() + 86_400_000));
    if (f.q) {
      const text = f.q;
      const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q.where((w) => {
        w.where('order_no', text)
          .orWhereRaw("JSON_UNQUOTE(JSON_EXTRACT(address, '$.phone')) = ?", [text])
          .orWhereRaw("JSON_UNQUOTE(JSON_EXTRACT(address, '$.name')) = ?", [text])
          .orWhereIn('id', scope.table('order_items').where('title', 'like', like).select('order_id'));
      });
    }
    return q;
  }

  return {
    async list(ctx: TenantContext, f: OrderFilter & { page: number; pageSize: number }): Promise<Page<MerchantOrder>> {
      const [rows, counted] = await Promise.all([
        filtered(ctx, f).orderBy('id', 'desc').limit(f.pageSize).offset((f.page - 1) * f.pageSize),
        filtered(ctx, f).count({ total: '*' }),
      ]);
      return { items: await deps.orders.loadMany(ctx, rows as Array<Record<string, unknown>>), page: f.page, pageSize: f.pageSize, total: totalOf(counted) };
    },

    get: (ctx: TenantContext, id: number) => deps.orders.full(ctx, id),

    async ship(ctx: TenantContext, id: number, carrier: CarrierCode, trackingNo: string): Promise<MerchantOrder> {
      const result = await deps.orders.ship(ctx, id, carrier, trackingNo);
      if (result.changed) await deps.audit.record(ctx, { action: 'order.ship', targetType: 'order', targetId: id, data: { carrier, trackingNo } });
      if (result.reportToWechat) await deps.reportShipping(ctx, id);
      return deps.orders.full(ctx, id);
    },

    async remark(ctx: TenantContext, id: number, remark: string): Promise<MerchantOrder> {
      await deps.orders.remark(ctx, id, remark);
      return deps.orders.full(ctx, id);
    },

    /** Cancels an order not yet shipped; a paid one is refunded in full in the same transaction. */
    async cancel(ctx: TenantContext, id: number, reason: string): Promise<MerchantOrder> {
      let refundId: number | null = null;
      const changed = await deps.orders.cancelByMerchant(ctx, id, reason, async (trx, row) => {
        refundId = await deps.refunds.refundRemainderInTrx(ctx, trx, row, reason);
      });
      if (changed) await deps.audit.record(ctx, { action: 'order.cancel', targetType: 'order', targetId: id, data: { reason } });
      if (refundId !== null) await deps.refunds.submitRefund(ctx, refundId);
      return deps.orders.full(ctx, id);
    },

    async refund(ctx: TenantContext, id: number, amountFen: number, reason: string): Promise<MerchantOrder> {
      await deps.refunds.refund(ctx, id, amountFen, reason);
      await deps.audit.record(ctx, { action: 'order.refund', targetType: 'order', targetId: id, data: { amountFen, reason } });
      return deps.orders.full(ctx, id);
    },

    /** The filtered orders as a file, a row per line, at most ORDER_EXPORT_MAX_ROWS orders. */
    async export(ctx: TenantContext, f: OrderFilter, format: 'csv' | 'xlsx'): Promise<Buffer> {
      const rows: Array<Record<string, string | number>> = [];
      let afterId = Number.MAX_SAFE_INTEGER;
      let seen = 0;
      while (seen < ORDER_EXPORT_MAX_ROWS) {
        const page = (await filtered(ctx, f).where('id', '<', afterId).orderBy('id', 'desc').limit(500)) as Array<Record<string, unknown>>;
        if (page.length === 0) break;
        afterId = Number(page[page.length - 1]!.id);
        seen += page.length;
        for (const o of await deps.orders.loadMany(ctx, page)) {
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
