import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { writeTable } from '../../kernel/spreadsheet';
import { IMPORT_COLUMNS, REQUIRED_IMPORT_COLUMNS } from '@shopfleet/contracts';
import { ValidationError } from '../../kernel/errors';

export type ImportFormat = 'csv' | 'xlsx';
export type ImportRow = Partial<Record<(typeof IMPORT_COLUMNS)[number], string>> & { _row: number };

const MAX_ROWS = 200_000;

/** Decides the format from the bytes: an XLSX is a zip; a CSV must be UTF-8 text. A binary posing as CSV is refused. */
export function sniffImportFormat(bytes: Buffer): ImportFormat {
  if (bytes.length === 0) throw new ValidationError('The file is empty');
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'xlsx';
  const head = bytes.subarray(0, 64 * 1024);
  if (head.includes(0)) throw new ValidationError('The file is neither a CSV (UTF-8 text) nor an XLSX workbook');
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, lastCompleteUtf8(head)));
  } catch {
    throw new ValidationError('The CSV is not UTF-8 text; save it as "CSV UTF-8"');
  }
  return 'csv';
}

function lastCompleteUtf8(buf: Buffer): number {
  // Do not cut a multi-byte character at the end of the sample.
  let end = buf.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = buf[end - i]!;
    if ((b & 0xc0) === 0x80) continue;
    if (b >= 0xc0) end -= i;
    break;
  }
  return end;
}

/** Checks the header row: the required columns present, none unknown. */
export function checkHeader(header: string[]): void {
  const cleaned = header.map((h) => h.trim().toLowerCase());
  const unknown = cleaned.filter((h) => h && !(IMPORT_COLUMNS as readonly string[]).includes(h));
  const missing = REQUIRED_IMPORT_COLUMNS.filter((c) => !cleaned.includes(c));
  if (unknown.length || missing.length) {
    throw new ValidationError('The columns do not match the import format', { unknown, missing, expected: IMPORT_COLUMNS });
  }
}

/** Reads every row of a CSV or XLSX import file into records by column name; row numbers count the header as 1. */
export async function readImportFile(bytes: Buffer, format: ImportFormat): Promise<{ header: string[]; rows: ImportRow[] }> {
  let table: string[][];
  if (format === 'csv') {
    try {
      table = parse(bytes, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
    } catch (err) {
      throw new ValidationError(`The CSV cannot be read: ${(err as Error).message}`);
    }
  } else {
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    } catch {
      throw new ValidationError('The XLSX workbook cannot be read');
    }
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new ValidationError('The workbook has no sheet');
    table = [];
    sheet.eachRow({ includeEmpty: false }, (row) => {
      const values = (row.values as unknown[]).slice(1).map((v) => cellText(v));
      table.push(values);
    });
  }
  const [header, ...body] = table;
  if (!header) throw new ValidationError('The file has no header row');
  checkHeader(header);
  if (body.length > MAX_ROWS) throw new ValidationError(`At most ${MAX_ROWS} rows per file`);
  const names = header.map((h) => h.trim().toLowerCase());
  const rows = body.map((cells, i) => {
    const row: ImportRow = { _row: i + 2 };
    names.forEach((name, j) => {
      if (name) (row as Record<string, unknown>)[name] = (cells[j] ?? '').trim();
    });
    return row;
  });
  return { header: names, rows };
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    const o = v as { text?: string; result?: unknown; richText?: Array<{ text: string }> };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return String(o.text);
    if (o.result !== undefined) return String(o.result);
    if (v instanceof Date) return v.toISOString().slice(0, 10);
  }
  return String(v);
}

/** Writes rows (by column) as CSV or XLSX. */
export function writeImportFile(rows: Array<Record<string, string | number>>, format: ImportFormat): Promise<Buffer> {
  return writeTable(IMPORT_COLUMNS, rows, format, { sheet: 'products' });
}
