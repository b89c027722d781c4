import type {
  AfterSalesSettings,
  AfterSalesKind,
  AfterSalesReason,
  AfterSalesStatus,
  CarrierCode,
  ReturnAddressInput,
} from '@shopfleet/contracts';
import { AFTER_SALES_OPEN_STATUSES } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { parseJsonColumn, totalOf } from '../../kernel/db/rows';

/** Where returned goods go: a return address as it was when the case was approved. */
export type ReturnTo = Omit<ReturnAddressInput, 'isDefault'>;

/** A case as stored. */
export interface StoredCase {
  id: number;
  caseNo: string;
  orderId: number;
  orderNo: string;
  shopperId: number;
  skuId: number;
  title: string;
  specValues: string[];
  imageUrl: string | null;
  quantity: number;
  kind: AfterSalesKind;
  status: AfterSalesStatus;
  reason: AfterSalesReason;
  description: string;
  photoIds: number[];
  amountFen: number;
  returnAddress: ReturnTo | null;
  returnCarrier: CarrierCode | null;
  returnTrackingNo: string | null;
  returnedAt: Date | null;
  reshipCarrier: CarrierCode | null;
  reshipTrackingNo: string | null;
  reshippedAt: Date | null;
  refundId: number | null;
  deadlineAt: Date | null;
  createdAt: Date;
}

export type NewCase = Omit<
  StoredCase,
  | 'id'
  | 'status'
  | 'returnAddress'
  | 'returnCarrier'
  | 'returnTrackingNo'
  | 'returnedAt'
  | 'reshipCarrier'
  | 'reshipTrackingNo'
  | 'reshippedAt'
  | 'refundId'
> & { requestKey?: string | null };

/** What a step may set on a case besides its state. */
export type CaseChange = Partial<
  Pick<
    StoredCase,
    | 'returnAddress'
    | 'returnCarrier'
    | 'returnTrackingNo'
    | 'returnedAt'
    | 'reshipCarrier'
    | 'reshipTrackingNo'
    | 'reshippedAt'
    | 'refundId'
    | 'deadlineAt'
    | 'amountFen'
  >
>;

/** A step in a case's history. */
export interface CaseEvent {
  type: string;
  fromStatus: AfterSalesStatus | null;
  toStatus: AfterSalesStatus;
  actorType: string;
  actorId: number | null;
  note: string;
  photoIds: number[];
  createdAt: Date;
}

export interface StoredReturnAddress extends ReturnTo {
  id: number;
  isDefault: boolean;
}

interface CaseRow {
  id: number;
  case_no: string;
  order_id: number;
  order_no: string;
  shopper_id: number;
  sku_id: number;
  title: string;
  spec_values: unknown;
  image_url: string | null;
  quantity: number;
  kind: AfterSalesKind;
  status: AfterSalesStatus;
  reason: AfterSalesReason;
  description: string;
  photo_ids: unknown;
  amount_fen: number;
  return_address: unknown;
  return_carrier: CarrierCode | null;
  return_tracking_no: string | null;
  returned_at: Date | null;
  reship_carrier: CarrierCode | null;
  reship_tracking_no: string | null;
  reshipped_at: Date | null;
  refund_id: number | null;
  deadline_at: Date | null;
  created_at: Date;
}

interface EventRow {
  case_id: number;
  type: string;
  from_status: AfterSalesStatus | null;
  to_status: AfterSalesStatus;
  actor_type: string;
  actor_id: number | null;
  note: string;
  photo_ids: unknown;
  created_at: Date;
}

interface AddressRow {
  id: number;
  name: string;
  phone: string;
  region_code: string;
  province: string;
  city: string;
  district: string;
  detail: string;
  is_default: number | boolean;
}

const ids = (v: unknown) => ((parseJsonColumn(v) as number[] | null) ?? []).map(Number);
const numOrNull = (v: number | null) => (v === null ? null : Number(v));

const toCase = (r: CaseRow): StoredCase => ({
  id: Number(r.id),
  caseNo: r.case_no,
  orderId: Number(r.order_id),
  orderNo: r.order_no,
  shopperId: Number(r.shopper_id),
  skuId: Number(r.sku_id),
  title: r.title,
  specValues: (parseJsonColumn(r.spec_values) as string[] | null) ?? [],
  imageUrl: r.image_url,
  quantity: Number(r.quantity),
  kind: r.kind,
  status: r.status,
  reason: r.reason,
  description: r.description,
  photoIds: ids(r.photo_ids),
  amountFen: Number(r.amount_fen),
  returnAddress: parseJsonColumn(r.return_address) as ReturnTo | null,
  returnCarrier: r.return_carrier,
  returnTrackingNo: r.return_tracking_no,
  returnedAt: r.returned_at,
  reshipCarrier: r.reship_carrier,
  reshipTrackingNo: r.reship_tracking_no,
  reshippedAt: r.reshipped_at,
  refundId: numOrNull(r.refund_id),
  deadlineAt: r.deadline_at,
  createdAt: r.created_at,
});

const toEvent = (r: EventRow): CaseEvent => ({
  type: r.type,
  fromStatus: r.from_status,
  toStatus: r.to_status,
  actorType: r.actor_type,
  actorId: numOrNull(r.actor_id),
  note: r.note,
  photoIds: ids(r.photo_ids),
  createdAt: r.created_at,
});

const toAddress = (r: AddressRow): StoredReturnAddress => ({
  id: Number(r.id),
  name: r.name,
  phone: r.phone,
  regionCode: r.region_code,
  province: r.province,
  city: r.city,
  district: r.district,
  detail: r.detail,
  isDefault: Boolean(r.is_default),
});

const CHANGE_COLUMNS: Record<keyof CaseChange, string> = {
  returnAddress: 'return_address',
  returnCarrier: 'return_carrier',
  returnTrackingNo: 'return_tracking_no',
  returnedAt: 'returned_at',
  reshipCarrier: 'reship_carrier',
  reshipTrackingNo: 'reship_tracking_no',
  reshippedAt: 'reshipped_at',
  refundId: 'refund_id',
  deadlineAt: 'deadline_at',
  amountFen: 'amount_fen',
};

/** `after_sales_cases`, `after_sales_events` and `return_addresses`. */
export function afterSalesRepository(db: Database) {
  const cases = (ctx: TenantContext) => db.scope(ctx).table('after_sales_cases');
  const addresses = (ctx: TenantContext) => db.scope(ctx).table('return_addresses');

  return {
    async insert(ctx: TenantContext, c: NewCase): Promise<number> {
      return db.scope(ctx).insert('after_sales_cases', {
        case_no: c.caseNo,
        order_id: c.orderId,
        order_no: c.orderNo,
        shopper_id: c.shopperId,
        sku_id: c.skuId,
        title: c.title,
        spec_values: JSON.stringify(c.specValues),
        image_url: c.imageUrl,
        quantity: c.quantity,
        kind: c.kind,
        status: 'requested',
        reason: c.reason,
        description: c.description,
        photo_ids: JSON.stringify(c.photoIds),
        amount_fen: c.amountFen,
        deadline_at: c.deadlineAt,
        request_key: c.requestKey ?? null,
        created_at: c.createdAt,
        updated_at: c.createdAt,
      });
    },

    /** The case a shopper's request with this Idempotency-Key opened. */
    async byRequestKey(ctx: TenantContext, shopperId: number, key: string): Promise<StoredCase | null> {
      const r = (await cases(ctx).where({ shopper_id: shopperId, request_key: key }).first()) as CaseRow | undefined;
      return r ? toCase(r) : null;
    },

    async byId(ctx: TenantContext, id: number, shopperId?: number): Promise<StoredCase | null> {
      const q = cases(ctx).where({ id });
      if (shopperId !== undefined) q.where({ shopper_id: shopperId });
      const r = (await q.first()) as CaseRow | undefined;
      return r ? toCase(r) : null;
    },

    /** The shop's cases (or one shopper's), newest first, of one state when given. */
    async list(
      ctx: TenantContext,
      q: { status?: AfterSalesStatus; shopperId?: number; page: number; pageSize: number },
    ): Promise<{ rows: StoredCase[]; total: number }> {
      const base = () => {
        const b = cases(ctx);
        if (q.status) b.where({ status: q.status });
        if (q.shopperId !== undefined) b.where({ shopper_id: q.shopperId });
        return b;
      };
      const [rows, counted] = await Promise.all([
        base()
          .orderBy('id', 'desc')
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize) as Promise<CaseRow[]>,
        base().count({ total: '*' }),
      ]);
      return { rows: rows.map(toCase), total: totalOf(counted) };
    },

    /** The cases of these orders, oldest first, by order. */
    async ofOrders(ctx: TenantContext, orderIds: number[]): Promise<Map<number, StoredCase[]>> {
      const out = new Map<number, StoredCase[]>();
      if (orderIds.length === 0) return out;
      const rows = (await cases(ctx).whereIn('order_id', orderIds).orderBy('id')) as CaseRow[];
      for (const r of rows.map(toCase)) out.set(r.orderId, [...(out.get(r.orderId) ?? []), r]);
      return out;
    },

    /** How many cases (of one shopper, when given) are in each state. */
    async counts(ctx: TenantContext, shopperId?: number): Promise<Map<AfterSalesStatus, number>> {
      const q = cases(ctx);
      if (shopperId !== undefined) q.where({ shopper_id: shopperId });
      const rows = (await q.select('status').count({ n: '*' }).groupBy('status')) as Array<{
        status: AfterSalesStatus;
        n: number | string;
      }>;
      return new Map(rows.map((r) => [r.status, Number(r.n)]));
    },

    /** Units of each of the order's SKUs in open cases (read in the caller's transaction, the order row locked). */
    async openUnits(ctx: TenantContext, orderId: number): Promise<Map<number, number>> {
      const rows = (await cases(ctx)
        .where({ order_id: orderId })
        .whereIn('status', [...AFTER_SALES_OPEN_STATUSES])
        .select('sku_id')
        .sum({ n: 'quantity' })
        .groupBy('sku_id')) as Array<{ sku_id: number; n: number | string }>;
      return new Map(rows.map((r) => [Number(r.sku_id), Number(r.n)]));
    },

    /**
     * Moves a case from one of `from` to `to` with its changes, only while it is in one of them: false when it was not
     * (another step got there first). The guard makes every step happen once.
     */
    async move(
      ctx: TenantContext,
      id: number,
      from: readonly AfterSalesStatus[],
      to: AfterSalesStatus,
      change: CaseChange,
      at: Date,
    ): Promise<boolean> {
      const row: Record<string, unknown> = { status: to, updated_at: at };
      for (const [key, value] of Object.entries(change))
        if (value !== undefined)
          row[CHANGE_COLUMNS[key as keyof CaseChange]] =
            key === 'returnAddress' && value !== null ? JSON.stringify(value) : value;
      return (
        (await cases(ctx)
          .where({ id })
          .whereIn('status', [...from])
          .update(row)) === 1
      );
    },

    async setRefund(ctx: TenantContext, id: number, r: { refundId: number; amountFen: number }): Promise<void> {
      await cases(ctx).where({ id }).update({ refund_id: r.refundId, amount_fen: r.amountFen });
    },

    async addEvent(ctx: TenantContext, caseId: number, e: CaseEvent): Promise<void> {
      await db.scope(ctx).insert('after_sales_events', {
        case_id: caseId,
        type: e.type,
        from_status: e.fromStatus,
        to_status: e.toStatus,
        actor_type: e.actorType,
        actor_id: e.actorId,
        note: e.note,
        photo_ids: JSON.stringify(e.photoIds),
        created_at: e.createdAt,
      });
    },

    async events(ctx: TenantContext, caseIds: number[]): Promise<Map<number, CaseEvent[]>> {
      const out = new Map<number, CaseEvent[]>();
      if (caseIds.length === 0) return out;
      const rows = (await db
        .scope(ctx)
        .table('after_sales_events')
        .whereIn('case_id', caseIds)
        .orderBy('id')) as EventRow[];
      for (const r of rows) out.set(Number(r.case_id), [...(out.get(Number(r.case_id)) ?? []), toEvent(r)]);
      return out;
    },

    /** The ids of cases whose step's deadline has passed at `at` (at most 500 at a time). */
    async due(ctx: TenantContext, at: Date): Promise<number[]> {
      const rows = (await cases(ctx)
        .where('deadline_at', '<=', at)
        .whereIn('status', [...AFTER_SALES_OPEN_STATUSES])
        .orderBy('deadline_at')
        .limit(500)
        .select('id')) as Array<{ id: number }>;
      return rows.map((r) => Number(r.id));
    },

    /** The shop's timers, or null when it has not set its own. */
    async settings(ctx: TenantContext): Promise<AfterSalesSettings | null> {
      const r = (await db.scope(ctx).table('after_sales_settings').first()) as
        | {
            auto_approve_days: number;
            return_ship_days: number;
            receive_confirm_days: number;
            after_completion_days: number;
          }
        | undefined;
      return r
        ? {
            autoApproveDays: Number(r.auto_approve_days),
            returnShipDays: Number(r.return_ship_days),
            receiveConfirmDays: Number(r.receive_confirm_days),
            afterCompletionDays: Number(r.after_completion_days),
          }
        : null;
    },

    async saveSettings(ctx: TenantContext, s: AfterSalesSettings): Promise<void> {
      const row = {
        auto_approve_days: s.autoApproveDays,
        return_ship_days: s.returnShipDays,
        receive_confirm_days: s.receiveConfirmDays,
        after_completion_days: s.afterCompletionDays,
        updated_at: new Date(),
      };
      await db.scope(ctx).upsert('after_sales_settings', row, Object.keys(row));
    },

    async addresses(ctx: TenantContext): Promise<StoredReturnAddress[]> {
      return ((await addresses(ctx).orderBy('is_default', 'desc').orderBy('id')) as AddressRow[]).map(toAddress);
    },

    async addressById(ctx: TenantContext, id: number): Promise<StoredReturnAddress | null> {
      const r = (await addresses(ctx).where({ id }).first()) as AddressRow | undefined;
      return r ? toAddress(r) : null;
    },

    async countAddresses(ctx: TenantContext): Promise<number> {
      return totalOf(await addresses(ctx).count({ total: '*' }));
    },

    async insertAddress(ctx: TenantContext, a: ReturnAddressInput): Promise<number> {
      return db.scope(ctx).insert('return_addresses', addressRow(a));
    },

    async updateAddress(ctx: TenantContext, id: number, a: ReturnAddressInput): Promise<boolean> {
      return (await addresses(ctx).where({ id }).update(addressRow(a))) === 1;
    },

    async deleteAddress(ctx: TenantContext, id: number): Promise<boolean> {
      return (await addresses(ctx).where({ id }).delete()) === 1;
    },

    /** Makes one address the default and no other (or none when `id` is null). */
    async setDefaultAddress(ctx: TenantContext, id: number | null): Promise<void> {
      await addresses(ctx).update({ is_default: false });
      if (id !== null) await addresses(ctx).where({ id }).update({ is_default: true });
    },

    /**
     * Gives one shopper's after-sales cases to another (a merge). A request key both used is renamed on the moved case
     * (`merged:<case id>`), so the survivor's unique key holds. Returns how many moved.
     */
    async reassignShopper(ctx: TenantContext, fromId: number, toId: number): Promise<number> {
      const theirs = (await cases(ctx).where({ shopper_id: fromId }).forUpdate().select('id', 'request_key')) as Array<{
        id: number;
        request_key: string | null;
      }>;
      const keys = theirs.flatMap((c) => (c.request_key ? [c.request_key] : []));
      if (keys.length > 0) {
        const clashing = new Set(
          (
            (await cases(ctx).where({ shopper_id: toId }).whereIn('request_key', keys).select('request_key')) as Array<{
              request_key: string;
            }>
          ).map((c) => c.request_key),
        );
        for (const c of theirs)
          if (c.request_key && clashing.has(c.request_key))
            await cases(ctx)
              .where({ id: c.id })
              .update({ request_key: `merged:${c.id}` });
      }
      await cases(ctx).where({ shopper_id: fromId }).update({ shopper_id: toId });
      return theirs.length;
    },
  };
}

function addressRow(a: ReturnAddressInput) {
  return {
    name: a.name,
    phone: a.phone,
    region_code: a.regionCode,
    province: a.province,
    city: a.city,
    district: a.district,
    detail: a.detail,
    is_default: a.isDefault,
  };
}

export type AfterSalesRepository = ReturnType<typeof afterSalesRepository>;
