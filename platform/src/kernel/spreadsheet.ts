import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';

/**
 * A table as a download: CSV with a BOM (so Excel reads it as UTF-8) or an XLSX sheet. `header`
 * names the columns in the file; rows are read by `columns`.
 */
export async function writeTable(
  columns: readonly string[],
  rows: Array<Record<string, string | number>>,
  format: 'csv' | 'xlsx',
  opts: { sheet: string; header?: readonly string[] },
): Promise<Buffer> {
  const header = [...(opts.header ?? columns)];
  if (format === 'csv') {
    return Buffer.concat([Buffer.from('\ufeff'), Buffer.from(stringify([header, ...rows.map((r) => columns.map((c) => r[c] ?? ''))]))]);
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(opts.sheet);
  sheet.addRow(header);
  for (const r of rows) sheet.addRow(columns.map((c) => r[c] ?? ''));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
