import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import yazl from 'yazl';
import { DEFAULT_TABLE_LIMITS, readTable, sniffTable, type TableLimits, type TableRow } from './spreadsheet-reader';

async function all(bytes: Buffer, limits?: TableLimits): Promise<TableRow[]> {
  const rows: TableRow[] = [];
  for await (const r of readTable(bytes, limits)) rows.push(r);
  return rows;
}

/** A workbook from raw parts, as any producer may write it (prefixes, inline strings, order of entries). */
async function rawXlsx(
  sheetXml: string,
  sharedStrings?: string,
  opts: { stringsFirst?: boolean } = {},
): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const add = (name: string, text: string) => zip.addBuffer(Buffer.from(text), name);
  add(
    '[Content_Types].xml',
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
  );
  add(
    'xl/workbook.xml',
    '<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheets><x:sheet name="A" sheetId="1" r:id="rId7"/></x:sheets></x:workbook>',
  );
  add(
    'xl/_rels/workbook.xml.rels',
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/><Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/></Relationships>',
  );
  if (sharedStrings && opts.stringsFirst !== false) add('xl/strings.xml', sharedStrings);
  add('xl/worksheets/data.xml', sheetXml);
  if (sharedStrings && opts.stringsFirst === false) add('xl/strings.xml', sharedStrings);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('readTable', () => {
  it('reads an ExcelJS workbook: shared strings, rich text, numbers as Excel shows them, blank rows skipped but counted', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('p');
    sheet.addRow(['spu_code', '商品名称', 'price']);
    sheet.addRow(['A-1', { richText: [{ text: '红色' }, { text: 'T恤', font: { bold: true } }] }, 19.9]);
    sheet.getRow(4).values = ['A-2', '杯子', 0.1 + 0.2];
    sheet.getCell('E5').value = 'far right';
    const rows = await all(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(rows).toEqual([
      { row: 1, cells: ['spu_code', '商品名称', 'price'] },
      { row: 2, cells: ['A-1', '红色T恤', '19.9'] },
      { row: 4, cells: ['A-2', '杯子', String(0.1 + 0.2)] },
      { row: 5, cells: ['', '', '', '', 'far right'] },
    ]);
  });

  it('reads prefixed elements, inline strings, booleans and cached formula values, with the strings after the sheet', async () => {
    const sheet =
      '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>' +
      '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="inlineStr"><x:is><x:t>in&amp;line</x:t></x:is></x:c></x:row>' +
      '<x:row r="2"><x:c r="A2" t="b"><x:v>1</x:v></x:c><x:c r="B2"><x:f>1+1</x:f><x:v>2</x:v></x:c><x:c r="C2" t="str"><x:f>"a"&amp;"b"</x:f><x:v>ab</x:v></x:c></x:row>' +
      '</x:sheetData></x:worksheet>';
    const strings =
      '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>编码</t><rPh><t>ヘン</t></rPh></si></sst>';
    const rows = await all(await rawXlsx(sheet, strings, { stringsFirst: false }));
    expect(rows).toEqual([
      { row: 1, cells: ['编码', '', 'in&line'] },
      { row: 2, cells: ['TRUE', '2', 'ab'] },
    ]);
  });

  it('stops reading when the consumer stops', async () => {
    async function* rows() {
      yield '<worksheet><sheetData>';
      for (let i = 1; i <= 50_000; i++) yield `<row r="${i}"><c t="inlineStr"><is><t>r${i}</t></is></c></row>`;
      yield '</sheetData></worksheet>';
    }
    const parts: string[] = [];
    for await (const p of rows()) parts.push(p);
    const bytes = await rawXlsx(parts.join(''));
    const seen: number[] = [];
    for await (const r of readTable(bytes)) {
      seen.push(r.row);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([1, 2, 3]);
  });

  it('refuses a cell longer than Excel allows, a shared-strings table past its bounds, and a sheet that is not XML', async () => {
    const long = 'a'.repeat(DEFAULT_TABLE_LIMITS.maxCellChars + 1);
    await expect(
      all(
        await rawXlsx(
          `<worksheet><sheetData><row><c t="inlineStr"><is><t>${long}</t></is></c></row></sheetData></worksheet>`,
        ),
      ),
    ).rejects.toMatchObject({
      status: 400,
      details: { reason: 'CELL_TOO_LONG' },
    });
    const sheet = '<worksheet><sheetData><row><c t="s"><v>0</v></c></row></sheetData></worksheet>';
    const many = `<sst>${'<si><t>x</t></si>'.repeat(11)}</sst>`;
    await expect(
      all(await rawXlsx(sheet, many), { ...DEFAULT_TABLE_LIMITS, maxSharedStrings: 10 }),
    ).rejects.toMatchObject({ details: { reason: 'XLSX_TOO_MANY_TEXTS' } });
    await expect(
      all(await rawXlsx(sheet, many), { ...DEFAULT_TABLE_LIMITS, maxSharedStringBytes: 10 }),
    ).rejects.toMatchObject({ details: { reason: 'XLSX_TEXT_TOO_LARGE' } });
    await expect(all(await rawXlsx('<worksheet><sheetData><row><c><v>1</v></row></worksheet>'))).rejects.toMatchObject({
      details: { reason: 'XLSX_UNREADABLE' },
    });
    await expect(
      all(await rawXlsx(sheet.replace('<v>0</v>', '<v>5</v>'), '<sst><si><t>x</t></si></sst>')),
    ).rejects.toMatchObject({ details: { reason: 'XLSX_UNREADABLE' } });
  });

  it('reads a GBK CSV as Excel on Chinese Windows saves it, and a UTF-8 one with a BOM; row numbers count blank lines', async () => {
    const text = '商品编码,商品名称,价格(元)\r\nA-1,"纯棉T恤, 白",59.00\r\n\r\nA-2,杯子,9.9\r\n';
    expect(sniffTable(iconv.encode(text, 'gbk'))).toEqual({ format: 'csv', encoding: 'gb18030' });
    const expected = [
      { row: 1, cells: ['商品编码', '商品名称', '价格(元)'] },
      { row: 2, cells: ['A-1', '纯棉T恤, 白', '59.00'] },
      { row: 4, cells: ['A-2', '杯子', '9.9'] },
    ];
    expect(await all(iconv.encode(text, 'gbk'))).toEqual(expected);
    expect(await all(Buffer.concat([Buffer.from('\ufeff'), Buffer.from(text)]))).toEqual(expected);
  });

  it('refuses binary, text in no known encoding, and a CSV row of more columns than the limit', async () => {
    expect(() => sniffTable(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0]))).toThrow(
      expect.objectContaining({ details: { reason: 'FILE_NOT_TABLE' } }),
    );
    await expect(all(Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0xff, 0xff, 0xff]))).rejects.toMatchObject({
      details: { reason: 'CSV_ENCODING' },
    });
    await expect(all(Buffer.from(`a,b\n${','.repeat(300)}\n`))).rejects.toMatchObject({
      details: { reason: 'TOO_MANY_COLUMNS', max: 256 },
    });
  });
});
