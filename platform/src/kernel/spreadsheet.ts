import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';

/** A plain decimal number ("-5", "12.30", "+3"): Excel reads it as a number, never as a formula. */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
/** What makes Excel, WPS or LibreOffice read a cell as a formula (OWASP, "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A CSV cell that a spreadsheet cannot run: text starting with = + - @ tab or carriage return gets a
 * leading single quote, which Excel and WPS show as text. Numbers, and text that is a plain number
 * such as "-5.00", stay as they are so that they still read as numbers.
 */
export function neutralizeCell(value: string | number): string | number {
  if (typeof value === 'number') return value;
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/**
 * A table as a download: CSV with a BOM (so Excel reads it as UTF-8) or an XLSX sheet. `header`
 * names the columns in the file; rows are read by `columns`. Every CSV cell passes neutralizeCell;
 * XLSX cells are written as typed values (text stays text), so they need no quote.
 */
export async function writeTable(
  columns: readonly string[],
  rows: Array<Record<string, string | number>>,
  format: 'csv' | 'xlsx',
  opts: { sheet: string; header?: readonly string[] },
): Promise<Buffer> {
  const header = [...(opts.header ?? columns)];
  if (format === 'csv') {
    const table = [header, ...rows.map((r) => columns.map((c) => r[c] ?? ''))].map((cells) =>
      cells.map(neutralizeCell),
    );
    return Buffer.concat([Buffer.from('\ufeff'), Buffer.from(stringify(table))]);
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(opts.sheet);
  sheet.addRow(header);
  for (const r of rows) sheet.addRow(columns.map((c) => r[c] ?? ''));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
