import {
  CARRIER_CODES,
  CARRIERS,
  ORDER_OPS_LIMITS,
  SHIP_IMPORT_HEADERS,
  TRACKING_NO_PATTERN,
  type BulkShipBody,
  type CarrierCode,
  type ShipOutcome,
  type ShipReport,
  type ShipReportRow,
} from '@shopfleet/contracts';
import type { TenantContext } from '../../../kernel/context';
import type { Transactions } from '../../../kernel/db/database';
import { AppError } from '../../../kernel/errors';
import { readTable, refused } from '../../../kernel/spreadsheet-reader';
import type { OrderOpsService } from '../order-ops.service';
import type { OrdersService } from '../orders.service';
import type { ShipOrderWorkflow } from './ship-order';

export interface BulkShipDeps {
  tx: Transactions;
  orders: Pick<OrdersService, 'forShipmentReport' | 'numbers'>;
  ops: Pick<OrderOpsService, 'idsByNumbers'>;
  /**
   * The one-order shipment (ship-order.ts), the same steps a single shipment takes; run here inside each row's
   * transaction, so it must queue what it queues after commit.
   */
  shipOrder: ShipOrderWorkflow;
}

type ImportColumn = keyof typeof SHIP_IMPORT_HEADERS;
const IMPORT_COLUMNS = Object.keys(SHIP_IMPORT_HEADERS) as ImportColumn[];

/** A header or a carrier as written, reduced for matching: full-width forms folded, spaces dropped, lower case. */
const folded = (text: string) => text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

const HEADER_COLUMNS = new Map<string, ImportColumn>(
  IMPORT_COLUMNS.flatMap((c) => SHIP_IMPORT_HEADERS[c].map((h): [string, ImportColumn] => [folded(h), c])),
);

/** The quote our CSV export puts before a formula-like text is taken off again. */
const unquote = (v: string) => (/^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v);

/**
 * A carrier as a merchant writes it: its code (`SF`, `zto`), its name as the export writes it (`顺丰速运`), or the start
 * of one name only (`顺丰`, `中通`). Anything else is not understood.
 */
export function carrierOf(text: string): CarrierCode | null {
  const t = folded(text);
  if (!t) return null;
  const code = CARRIER_CODES.find((c) => c.toLowerCase() === t);
  if (code) return code;
  const named = CARRIER_CODES.filter((c) => {
    const name = folded(CARRIERS[c]);
    return name === t || (t.length >= 2 && name.startsWith(t));
  });
  return named.length === 1 ? named[0]! : null;
}

interface ShipRequest {
  row: number | null;
  orderId: number | null;
  orderNo: string;
  carrier: string;
  trackingNo: string;
}

/** What a refusal of the one-order shipment means for a row. */
function outcomeOf(err: AppError): { outcome: ShipOutcome; status: string | null } | null {
  const status = typeof err.params?.status === 'string' ? err.params.status : null;
  switch (err.reason) {
    case 'ORDER_NOT_FOUND':
      return { outcome: 'unknown_order', status: null };
    case 'ORDER_NOT_SHIPPABLE':
      return { outcome: status === 'pending_payment' ? 'not_paid' : 'already_shipped', status };
    case 'ORDER_CLOSED':
      return { outcome: 'closed', status: null };
    case 'GROUP_NOT_FORMED':
      return { outcome: 'group_not_formed', status: null };
    default:
      return null;
  }
}

/**
 * The merchant ships many orders at once — chosen in the list, or rows of a spreadsheet (order number, carrier,
 * tracking number) — each through the one-order shipment (ship-order.ts: the order's state, the audit record, WeChat's
 * shipment report), each in its own transaction: a row is shipped whole or not at all, and the report says which, and
 * why not. Rows run one after another, in the order given.
 */
export function bulkShipWorkflow(deps: BulkShipDeps) {
  async function shipRow(ctx: TenantContext, r: ShipRequest): Promise<ShipReportRow> {
    const out = (outcome: ShipOutcome, status: string | null = null): ShipReportRow => ({ ...r, outcome, status });
    if (r.orderId === null) return out(r.orderNo ? 'unknown_order' : 'missing_order_no');
    const carrier = carrierOf(r.carrier);
    if (!carrier) return out('bad_carrier');
    if (!TRACKING_NO_PATTERN.test(r.trackingNo)) return out('bad_tracking_no');
    const orderId = r.orderId;
    try {
      return await deps.tx.transaction(ctx, async (tctx) => {
        const before = await deps.orders.forShipmentReport(tctx, orderId);
        if (!before) return out('unknown_order');
        if (before.status === 'shipped' && before.carrier === carrier && before.trackingNo === r.trackingNo)
          return out('unchanged', before.status);
        await deps.shipOrder(tctx, orderId, carrier, r.trackingNo);
        return out('shipped');
      });
    } catch (err) {
      const known = err instanceof AppError ? outcomeOf(err) : null;
      if (known) return out(known.outcome, known.status);
      ctx.log.error({ err, orderId }, 'a row of a bulk shipment failed; nothing of it was written');
      return out('failed');
    }
  }

  async function run(ctx: TenantContext, requests: ShipRequest[]): Promise<ShipReport> {
    const rows: ShipReportRow[] = [];
    for (const r of requests) rows.push(await shipRow(ctx, r));
    const count = (o: ShipOutcome) => rows.filter((r) => r.outcome === o).length;
    const shipped = count('shipped');
    const unchanged = count('unchanged');
    return { rows, shipped, unchanged, failed: rows.length - shipped - unchanged };
  }

  /**
   * The rows of a shipment file: a header naming the order number, carrier and tracking number columns (English keys
   * or Chinese headers, the order export's among them; other columns ignored), then a row per parcel. At most
   * `shipImportMaxRows` rows: reading stops with a 400 past them, before anything is shipped.
   */
  async function readRows(bytes: Buffer): Promise<Array<Omit<ShipRequest, 'orderId'>>> {
    let columns: Array<ImportColumn | null> | null = null;
    const rows: Array<Omit<ShipRequest, 'orderId'>> = [];
    for await (const { row, cells } of readTable(bytes)) {
      if (columns === null) {
        columns = cells.map((h) => HEADER_COLUMNS.get(folded(h)) ?? null);
        const missing = IMPORT_COLUMNS.filter((c) => !columns!.includes(c));
        if (missing.length)
          throw refused(
            {
              reason: 'SHIP_IMPORT_COLUMNS',
              params: { missing: missing.join(', ') },
              message: 'The file needs an order number, a carrier and a tracking number column',
            },
            { missing, expected: SHIP_IMPORT_HEADERS },
          );
        continue;
      }
      if (rows.length >= ORDER_OPS_LIMITS.shipImportMaxRows)
        throw refused({
          reason: 'SHIP_IMPORT_TOO_MANY_ROWS',
          params: { max: ORDER_OPS_LIMITS.shipImportMaxRows },
          message: `At most ${ORDER_OPS_LIMITS.shipImportMaxRows} rows per file`,
        });
      const cell = (c: ImportColumn) => unquote((cells[columns!.indexOf(c)] ?? '').trim());
      rows.push({ row, orderNo: cell('orderNo'), carrier: cell('carrier'), trackingNo: cell('trackingNo') });
    }
    if (columns === null) throw refused({ reason: 'IMPORT_NO_HEADER', message: 'The file has no header row' });
    return rows;
  }

  return {
    /** The orders chosen in the list, a parcel each. */
    async ship(ctx: TenantContext, body: BulkShipBody): Promise<ShipReport> {
      const numbers = await deps.orders.numbers(
        ctx,
        body.items.map((i) => i.orderId),
      );
      return run(
        ctx,
        body.items.map((i) => ({
          row: null,
          orderId: i.orderId,
          orderNo: numbers.get(i.orderId) ?? '',
          carrier: i.carrier,
          trackingNo: i.trackingNo,
        })),
      );
    },

    /** A spreadsheet (CSV or XLSX, told apart by its bytes) of order numbers, carriers and tracking numbers. */
    async importFile(ctx: TenantContext, bytes: Buffer): Promise<ShipReport> {
      const rows = await readRows(bytes);
      const ids = await deps.ops.idsByNumbers(ctx, rows.map((r) => r.orderNo).filter(Boolean));
      return run(
        ctx,
        rows.map((r) => ({ ...r, orderId: ids.get(r.orderNo) ?? null })),
      );
    },
  };
}

export type BulkShipWorkflow = ReturnType<typeof bulkShipWorkflow>;
