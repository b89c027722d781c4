import type {
  DiscrepancyKind,
  PaymentMethod,
  PaymentProviderName,
  RefundFailure,
  RefundKind,
  RefundStatus,
} from '@shopfleet/contracts';
import type { RequestContext, TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { platformTable } from '../../kernel/db/platform-db';
import { isDuplicateKey, parseJsonColumn, totalOf } from '../../kernel/db/rows';

export type PaymentStatus = 'pending' | 'succeeded' | 'closed';

/** A payment: one attempt to pay an order with one method. */
export interface PaymentRecord {
  id: number;
  orderId: number;
  paymentNo: string;
  provider: PaymentProviderName;
  method: PaymentMethod;
  amountFen: number;
  status: PaymentStatus;
  transactionId: string | null;
  payer: string | null;
  paidAt: Date | null;
}

/** A refund of (part of) a payment. */
export interface RefundRecord {
  id: number;
  orderId: number;
  paymentId: number;
  refundNo: string;
  amountFen: number;
  reason: string;
  kind: RefundKind;
  status: RefundStatus;
  providerRefundId: string | null;
  failure: RefundFailure | null;
  createdAt: Date;
  succeededAt: Date | null;
}

/** What a refund's change may set: its state, and why it failed (a code with params, and the text for people). */
export type RefundChange = Partial<Pick<RefundRecord, 'status' | 'providerRefundId' | 'succeededAt'>> & {
  failure?: { failure: RefundFailure; text: string } | null;
};

/** A difference between our payments and the provider's records of one day. */
export interface DiscrepancyRecord {
  id: number;
  day: string;
  paymentNo: string;
  kind: DiscrepancyKind;
  detail: string;
  resolved: boolean;
  createdAt: Date;
}

/** A shop's payment settings as stored: the public parts as JSON, the secrets sealed. */
export interface PaymentSettingsRecord {
  testMode: boolean;
  wechat: unknown;
  wechatSecret: string | null;
  alipay: unknown;
  alipaySecret: string | null;
  unionpay: unknown;
  unionpaySecret: string | null;
  updatedAt: Date;
}

interface PaymentRow {
  id: number;
  order_id: number;
  payment_no: string;
  provider: PaymentProviderName;
  method: PaymentMethod;
  amount_fen: number;
  status: PaymentStatus;
  transaction_id: string | null;
  payer: string | null;
  paid_at: Date | null;
}

interface RefundRow {
  id: number;
  order_id: number;
  payment_id: number;
  refund_no: string;
  amount_fen: number;
  reason: string;
  kind: RefundKind;
  status: RefundStatus;
  provider_refund_id: string | null;
  failure_code: string | null;
  failure_params: unknown;
  created_at: Date;
  succeeded_at: Date | null;
}

interface DiscrepancyRow {
  id: number;
  day: Date | string;
  payment_no: string;
  kind: DiscrepancyKind;
  detail: string;
  resolved: number | boolean;
  created_at: Date;
}

const toPayment = (p: PaymentRow): PaymentRecord => ({
  id: Number(p.id),
  orderId: Number(p.order_id),
  paymentNo: p.payment_no,
  provider: p.provider,
  method: p.method,
  amountFen: Number(p.amount_fen),
  status: p.status,
  transactionId: p.transaction_id,
  payer: p.payer,
  paidAt: p.paid_at,
});

const toRefund = (r: RefundRow): RefundRecord => ({
  id: Number(r.id),
  orderId: Number(r.order_id),
  paymentId: Number(r.payment_id),
  refundNo: r.refund_no,
  amountFen: Number(r.amount_fen),
  reason: r.reason,
  kind: r.kind,
  status: r.status,
  providerRefundId: r.provider_refund_id,
  failure: r.failure_code
    ? ({ code: r.failure_code, params: (parseJsonColumn(r.failure_params) as object | null) ?? {} } as RefundFailure)
    : null,
  createdAt: r.created_at,
  succeededAt: r.succeeded_at,
});

/** A DATE column as YYYY-MM-DD, whether the driver gives a local-midnight Date or a string. */
const dayText = (day: Date | string) =>
  day instanceof Date
    ? new Date(day.getTime() - day.getTimezoneOffset() * 60_000).toISOString().slice(0, 10)
    : String(day).slice(0, 10);

/**
 * `payments`, `refunds`, `payment_notifications`, `payment_discrepancies` and `payment_settings`: a shop's payments and
 * refunds, the provider notifications applied (each once), the differences found by reconciliation, and its settings.
 */
export function paymentsRepository(db: Database) {
  const payments = (ctx: TenantContext) => db.scope(ctx).table('payments');
  const refunds = (ctx: TenantContext) => db.scope(ctx).table('refunds');

  return {
    async payment(
      ctx: TenantContext,
      where: { id: number } | { paymentNo: string },
      opts: { lock?: boolean } = {},
    ): Promise<PaymentRecord | null> {
      const q = payments(ctx).where('id' in where ? { id: where.id } : { payment_no: where.paymentNo });
      const row = (await (opts.lock ? q.forUpdate() : q).first()) as PaymentRow | undefined;
      return row ? toPayment(row) : null;
    },

    /** The newest pending payment of an order by this method and amount: an open trade to reuse. */
    async openPayment(
      ctx: TenantContext,
      orderId: number,
      method: PaymentMethod,
      amountFen: number,
    ): Promise<PaymentRecord | null> {
      const row = (await payments(ctx)
        .where({ order_id: orderId, method, status: 'pending', amount_fen: amountFen })
        .orderBy('id', 'desc')
        .first()) as PaymentRow | undefined;
      return row ? toPayment(row) : null;
    },

    async insertPayment(
      ctx: TenantContext,
      p: Pick<PaymentRecord, 'orderId' | 'paymentNo' | 'provider' | 'method' | 'amountFen'>,
    ): Promise<PaymentRecord> {
      const id = await db.scope(ctx).insert('payments', {
        order_id: p.orderId,
        payment_no: p.paymentNo,
        provider: p.provider,
        method: p.method,
        amount_fen: p.amountFen,
        status: 'pending',
      });
      return { ...p, id, status: 'pending', transactionId: null, payer: null, paidAt: null };
    },

    /** Moves a payment out of one of `from` states; whether it moved. */
    async movePayment(
      ctx: TenantContext,
      id: number,
      from: readonly PaymentStatus[],
      change: { status: PaymentStatus; transactionId?: string; payer?: string | null; paidAt?: Date },
      at: Date,
    ): Promise<boolean> {
      const row: Record<string, unknown> = { status: change.status, updated_at: at };
      if (change.transactionId !== undefined) row.transaction_id = change.transactionId;
      if (change.payer !== undefined) row.payer = change.payer;
      if (change.paidAt !== undefined) row.paid_at = change.paidAt;
      return (await payments(ctx).where({ id }).whereIn('status', from).update(row)) === 1;
    },

    /** An order's payments in one of these states. */
    async paymentsOfOrder(
      ctx: TenantContext,
      orderId: number,
      statuses: readonly PaymentStatus[],
    ): Promise<PaymentRecord[]> {
      return ((await payments(ctx).where({ order_id: orderId }).whereIn('status', statuses)) as PaymentRow[]).map(
        toPayment,
      );
    },

    async paymentsByIds(ctx: TenantContext, ids: number[]): Promise<PaymentRecord[]> {
      if (ids.length === 0) return [];
      return ((await payments(ctx).whereIn('id', ids)) as PaymentRow[]).map(toPayment);
    },

    /** The payments made through a provider (not the sandbox) created in [from, to), in one of these states: what reconciliation checks. */
    async providerPaymentsCreated(
      ctx: TenantContext,
      from: Date,
      to: Date,
      statuses: readonly PaymentStatus[],
    ): Promise<PaymentRecord[]> {
      const rows = (await payments(ctx)
        .whereNot({ provider: 'sandbox' })
        .where('created_at', '>=', from)
        .where('created_at', '<', to)
        .whereIn('status', statuses)) as PaymentRow[];
      return rows.map(toPayment);
    },

    async refund(
      ctx: TenantContext,
      where: { id: number } | { refundNo: string },
      opts: { lock?: boolean } = {},
    ): Promise<RefundRecord | null> {
      const q = refunds(ctx).where('id' in where ? { id: where.id } : { refund_no: where.refundNo });
      const row = (await (opts.lock ? q.forUpdate() : q).first()) as RefundRow | undefined;
      return row ? toRefund(row) : null;
    },

    async refundsOfOrders(ctx: TenantContext, orderIds: number[]): Promise<RefundRecord[]> {
      if (orderIds.length === 0) return [];
      return ((await refunds(ctx).whereIn('order_id', orderIds).orderBy('id')) as RefundRow[]).map(toRefund);
    },

    /** Records a refund, `processing`; returns its id. */
    async insertRefund(
      ctx: TenantContext,
      r: Pick<RefundRecord, 'orderId' | 'paymentId' | 'refundNo' | 'amountFen' | 'reason' | 'kind'>,
    ): Promise<number> {
      return db.scope(ctx).insert('refunds', {
        order_id: r.orderId,
        payment_id: r.paymentId,
        refund_no: r.refundNo,
        amount_fen: r.amountFen,
        reason: r.reason,
        kind: r.kind,
        status: 'processing',
      });
    },

    async changeRefund(ctx: TenantContext, id: number, change: RefundChange): Promise<void> {
      const row: Record<string, unknown> = {};
      if (change.status !== undefined) row.status = change.status;
      if (change.providerRefundId !== undefined) row.provider_refund_id = change.providerRefundId;
      if (change.succeededAt !== undefined) row.succeeded_at = change.succeededAt;
      if (change.failure !== undefined) {
        row.failure = change.failure?.text.slice(0, 200) ?? null;
        row.failure_code = change.failure?.failure.code ?? null;
        row.failure_params = change.failure ? JSON.stringify(change.failure.failure.params) : null;
      }
      await refunds(ctx).where({ id }).update(row);
    },

    /** Counts one more attempt to send a refund to its provider. */
    async countRefundAttempt(ctx: TenantContext, id: number): Promise<void> {
      await refunds(ctx).where({ id }).increment('attempts', 1);
    },

    /** Records a provider notification as applied; false when it was applied before (its id is unique per provider). */
    async recordNotification(
      ctx: TenantContext,
      n: { provider: PaymentProviderName; notificationId: string; event: string; reference: string | null },
    ): Promise<boolean> {
      try {
        await db.scope(ctx).insert('payment_notifications', {
          provider: n.provider,
          notification_id: n.notificationId.slice(0, 64),
          event: n.event,
          reference: n.reference,
        });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    /** Stores a difference found by reconciliation, once per day, payment and kind. */
    async flagDiscrepancy(
      ctx: TenantContext,
      d: { day: string; paymentNo: string; kind: DiscrepancyKind; detail: string },
    ): Promise<void> {
      await db
        .scope(ctx)
        .table('payment_discrepancies')
        .insert({ day: d.day, payment_no: d.paymentNo, kind: d.kind, detail: d.detail.slice(0, 300) })
        .onConflict()
        .ignore();
    },

    async discrepancies(
      ctx: TenantContext,
      q: { resolved?: boolean; page: number; pageSize: number },
    ): Promise<{ items: DiscrepancyRecord[]; total: number }> {
      const base = () => {
        const b = db.scope(ctx).table('payment_discrepancies');
        if (q.resolved !== undefined) b.where({ resolved: q.resolved });
        return b;
      };
      const [rows, counted] = await Promise.all([
        base()
          .orderBy('id', 'desc')
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize),
        base().count({ total: '*' }),
      ]);
      return {
        items: (rows as DiscrepancyRow[]).map((r) => ({
          id: Number(r.id),
          day: dayText(r.day),
          paymentNo: r.payment_no,
          kind: r.kind,
          detail: r.detail,
          resolved: Boolean(r.resolved),
          createdAt: r.created_at,
        })),
        total: totalOf(counted),
      };
    },

    async settings(ctx: TenantContext): Promise<PaymentSettingsRecord | null> {
      const r = (await db.scope(ctx).table('payment_settings').first()) as
        | {
            test_mode: number | boolean;
            wechat: unknown;
            wechat_secret: string | null;
            alipay: unknown;
            alipay_secret: string | null;
            unionpay: unknown;
            unionpay_secret: string | null;
            updated_at: Date;
          }
        | undefined;
      if (!r) return null;
      return {
        testMode: Boolean(r.test_mode),
        wechat: parseJsonColumn(r.wechat),
        wechatSecret: r.wechat_secret,
        alipay: parseJsonColumn(r.alipay),
        alipaySecret: r.alipay_secret,
        unionpay: parseJsonColumn(r.unionpay),
        unionpaySecret: r.unionpay_secret,
        updatedAt: r.updated_at,
      };
    },

    /**
     * Makes `subMchid` this shop's WeChat Pay sub-merchant number (none when null), in the settings' transaction; false
     * when another shop has it.
     */
    async setSubMerchant(ctx: TenantContext, subMchid: string | null): Promise<boolean> {
      const table = () => platformTable(db.conn(ctx), 'wechatpay_sub_merchants');
      await table().where({ tenant_id: ctx.tenantId }).delete();
      if (subMchid === null) return true;
      try {
        await table().insert({ sub_mchid: subMchid, tenant_id: ctx.tenantId });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    /** The shop whose WeChat Pay sub-merchant number this is. */
    async tenantOfSubMerchant(ctx: RequestContext, subMchid: string): Promise<number | null> {
      const r = (await platformTable(db.conn(ctx), 'wechatpay_sub_merchants')
        .where({ sub_mchid: subMchid })
        .first()) as { tenant_id: number } | undefined;
      return r ? Number(r.tenant_id) : null;
    },

    /** Creates or changes the shop's settings: only the fields given (a JSON part as its value, or null to remove it). */
    async saveSettings(ctx: TenantContext, patch: Partial<Omit<PaymentSettingsRecord, 'updatedAt'>>): Promise<void> {
      const columns: Record<keyof typeof patch, string> = {
        testMode: 'test_mode',
        wechat: 'wechat',
        wechatSecret: 'wechat_secret',
        alipay: 'alipay',
        alipaySecret: 'alipay_secret',
        unionpay: 'unionpay',
        unionpaySecret: 'unionpay_secret',
      };
      const row: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined) continue;
        row[columns[key as keyof typeof patch]] =
          (key === 'wechat' || key === 'alipay' || key === 'unionpay') && value !== null
            ? JSON.stringify(value)
            : value;
      }
      await db
        .scope(ctx)
        .upsert('payment_settings', { ...row, updated_at: new Date() }, [...Object.keys(row), 'updated_at']);
    },
  };
}

export type PaymentsRepository = ReturnType<typeof paymentsRepository>;
