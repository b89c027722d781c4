import {
  IMPORT_CHINESE_HEADERS,
  IMPORT_COLUMNS,
  IMPORT_HEADER_ALIASES,
  IMPORT_MAX_ROWS,
  IMPORT_READ_COLUMNS,
  IMPORT_REPORT_HEADERS,
  REQUIRED_IMPORT_COLUMNS,
  type ImportLanguage,
  type ImportReadColumn,
} from '@shopfleet/contracts';
import { writeTable } from '../../kernel/spreadsheet';
import { readTable, refused, sniffTable, type TableRow } from '../../kernel/spreadsheet-reader';

export type ImportFormat = 'csv' | 'xlsx';
export type ImportRow = { [C in ImportReadColumn]?: string } & { _row: number };

/** Decides the format from the bytes: an XLSX is a zip; a CSV is UTF-8 or GBK text. A binary posing as CSV is refused. */
export function sniffImportFormat(bytes: Buffer): ImportFormat {
  return sniffTable(bytes).format;
}

/** A header as written, reduced for matching: full-width forms folded (（元）is (元)), spaces dropped, lower case. */
const headerKey = (h: string) => h.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

const HEADER_NAMES = new Map<string, ImportReadColumn>([
  ...IMPORT_READ_COLUMNS.map((c): [string, ImportReadColumn] => [headerKey(c), c]),
  ...Object.entries(IMPORT_CHINESE_HEADERS).map(([c, h]): [string, ImportReadColumn] => [
    headerKey(h),
    c as ImportReadColumn,
  ]),
  ...Object.entries(IMPORT_HEADER_ALIASES).map(([h, c]): [string, ImportReadColumn] => [headerKey(h), c]),
]);

/** The error report's own columns, which an upload of a corrected report may still have. */
const IGNORED_HEADERS = new Set(
  Object.values(IMPORT_REPORT_HEADERS).flatMap((h) => [headerKey(h.row), headerKey(h.error)]),
);

/**
 * Maps the header row to columns: English keys or Chinese headers, in any order. The required columns
 * must be present, none unknown or twice, and a price given once, in fen or in yuan.
 */
export function checkHeader(header: string[]): Array<ImportReadColumn | null> {
  const columns = header.map((h) => (h.trim() ? (HEADER_NAMES.get(headerKey(h)) ?? null) : null));
  const unknown = header
    .filter((h, i) => h.trim() && columns[i] === null && !IGNORED_HEADERS.has(headerKey(h)))
    .map((h) => h.trim());
  const present = columns.filter((c): c is ImportReadColumn => c !== null);
  const missing: string[] = REQUIRED_IMPORT_COLUMNS.filter((c) => !present.includes(c));
  if (!present.includes('price_fen') && !present.includes('price_yuan')) missing.push('price_fen');
  const twice = present.filter((c, i) => present.indexOf(c) !== i);
  const both = (['price', 'original_price'] as const)
    .filter((p) => present.includes(`${p}_fen`) && present.includes(`${p}_yuan`))
    .map((p) => `${p}_fen`);
  if (unknown.length || missing.length || twice.length || both.length) {
    const duplicated = [...new Set([...twice, ...both])];
    throw refused(
      {
        reason: 'IMPORT_COLUMNS',
        params: { unknown: unknown.join(', '), missing: missing.join(', ') },
        message: 'The columns do not match the import format',
      },
      {
        unknown,
        missing,
        duplicated,
        expected: IMPORT_COLUMNS,
      },
    );
  }
  return columns;
}

/**
 * The rows of an import file, one at a time, by column name; `_row` is the row's number as the
 * spreadsheet shows it (the header is row 1). Reading stops with a 400 as soon as the file holds more
 * than IMPORT_MAX_ROWS data rows, so a file of millions of rows costs no more than the limit.
 * `fromRow` skips the rows before it (to resume an import) while still checking the limit.
 */
export async function* readImportRows(bytes: Buffer, opts: { fromRow?: number } = {}): AsyncGenerator<ImportRow> {
  const table = readTable(bytes);
  let columns: Array<ImportReadColumn | null> | null = null;
  let count = 0;
  for await (const { row, cells } of table) {
    if (columns === null) {
      columns = checkHeader(cells);
      continue;
    }
    if (++count > IMPORT_MAX_ROWS) {
      throw refused({
        reason: 'IMPORT_TOO_MANY_ROWS',
        params: { max: IMPORT_MAX_ROWS },
        message: `At most ${IMPORT_MAX_ROWS} rows per file`,
      });
    }
    if (row < (opts.fromRow ?? 0)) continue;
    yield toImportRow(columns, { row, cells });
  }
  if (columns === null) throw refused({ reason: 'IMPORT_NO_HEADER', message: 'The file has no header row' });
}

/** The quote our CSV export puts before a formula-like text (see neutralizeCell) is taken off again. */
const unquote = (v: string) => (/^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v);

function toImportRow(columns: Array<ImportReadColumn | null>, { row, cells }: TableRow): ImportRow {
  const out: ImportRow = { _row: row };
  columns.forEach((name, j) => {
    if (name) out[name] = unquote((cells[j] ?? '').trim());
  });
  return out;
}

/** Checks a whole file at upload without keeping its rows: its header, its encoding, its row count. */
export async function checkImportFile(bytes: Buffer): Promise<{ format: ImportFormat; rows: number }> {
  const format = sniffImportFormat(bytes);
  let rows = 0;
  for await (const _ of readImportRows(bytes)) rows++;
  return { format, rows };
}

/** One product's rows (those of one spu_code), or a row without a spu_code on its own (spuCode null). */
export interface ImportGroup {
  spuCode: string | null;
  rows: ImportRow[];
  /** The row that completes it: products come in the order of their last rows. */
  lastRow: number;
}

/**
 * The products of an import file, each as soon as all its rows are read. A first pass counts each
 * spu_code's rows; the second holds only the rows of products not yet complete, so a file whose
 * products' rows are together (as the export and the template write them) costs one product at a time.
 * `afterRow` leaves out the products complete at or before that row, to resume an import.
 */
export async function* readImportGroups(bytes: Buffer, opts: { afterRow?: number } = {}): AsyncGenerator<ImportGroup> {
  const expected = new Map<string, number>();
  for await (const r of readImportRows(bytes))
    if (r.spu_code) expected.set(r.spu_code, (expected.get(r.spu_code) ?? 0) + 1);
  const after = opts.afterRow ?? 0;
  const pending = new Map<string, ImportRow[]>();
  for await (const r of readImportRows(bytes)) {
    if (!r.spu_code) {
      if (r._row > after) yield { spuCode: null, rows: [r], lastRow: r._row };
      continue;
    }
    const rows = pending.get(r.spu_code) ?? [];
    rows.push(r);
    if (rows.length < expected.get(r.spu_code)!) {
      pending.set(r.spu_code, rows);
      continue;
    }
    pending.delete(r.spu_code);
    if (r._row > after) yield { spuCode: r.spu_code, rows, lastRow: r._row };
  }
}

/** Writes rows (by column) as CSV or XLSX, with English keys or (zh-CN) the Chinese headers. */
export function writeImportFile(
  rows: Array<Record<string, string | number>>,
  format: ImportFormat,
  opts: { columns?: readonly ImportReadColumn[]; language?: ImportLanguage } = {},
): Promise<Buffer> {
  const columns = opts.columns ?? IMPORT_COLUMNS;
  const header = opts.language === 'zh-CN' ? columns.map((c) => IMPORT_CHINESE_HEADERS[c]) : columns;
  return writeTable(columns, rows, format, { sheet: 'products', header });
}
