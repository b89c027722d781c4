import ExcelJS from 'exceljs';
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

const HEADER = 'spu_code,title,subtitle,brand,category_path,tags,description,image_urls,attributes,status,sku_code,spec_values,price_fen,original_price_fen,stock';

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
    expect(job).toMatchObject({ status: 'done', format: 'csv', totalRows: 8, processedRows: 8, createdProducts: 2, rejectedRows: 5 });
    const byRow = Object.fromEntries(job.errors.map((e: { row: number; message: string }) => [e.row, e.message]));
    expect(byRow[5]).toMatch(/price_fen: "19.9" is not a whole number of fen/);
    expect(byRow[6]).toMatch(/combinations/);
    expect(byRow[7]).toMatch(/rejected with row 6/);
    expect(byRow[8]).toMatch(/category_path/);
    expect(byRow[9]).toMatch(/spu_code is required/);
    const products = (await t.api.get('/merchant-api/v1/catalog/products?pageSize=100').set(bearer(token)).expect(200)).body.items;
    expect(products.map((p: { title: string }) => p.title).sort()).toEqual(['纯棉T恤', '陶瓷马克杯']);
    const tee = products.find((p: { title: string }) => p.title === '纯棉T恤');
    const detail = (await t.api.get(`/merchant-api/v1/catalog/products/${tee.id}`).set(bearer(token)).expect(200)).body;
    expect(detail).toMatchObject({ specs: [{ name: '尺码', values: ['S', 'M'] }], totalStock: 30, minPriceFen: 4900 });
    expect(detail.descriptionHtml).toBe('<p>舒适</p>');
    expect(detail.images[0].medium.jpeg).toBe('https://img.example.invalid/tee.jpg');
    const tree = (await t.api.get('/merchant-api/v1/catalog/categories').set(bearer(token)).expect(200)).body;
    expect(tree.map((n: { name: string }) => n.name).sort()).toEqual(['家居', '服饰']);
    // The shop finds the imported products.
    const found = (await t.api.get(`/shop-api/v1/shops/${shop.slug}/search?q=${encodeURIComponent('T恤')}`).expect(200)).body.items;
    expect(found.map((p: { id: number }) => p.id)).toEqual([tee.id]);
  });

  it('imports an XLSX, updating products by spu_code', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('p');
    sheet.addRow(HEADER.split(','));
    sheet.addRow(['MUG-1', '陶瓷马克杯（新版）', '', '', '家居/餐具', '', '', '', '', 'on_sale', '', '', 2490, '', 8]);
    sheet.addRow(['LAMP-1', 'Modern Desk Lamp', '', '', '家居/灯具', '', '', '', 'colour:black', 'on_sale', '', '', 12900, '', 3]);
    sheet.addRow(['LAMP-2', '', '', '', '家居/灯具', '', '', '', '', 'on_sale', '', '', 100, '', 1]);
    const job = (await importFile(Buffer.from(await wb.xlsx.writeBuffer()), 'products.xlsx')).body;
    expect(job).toMatchObject({ status: 'done', format: 'xlsx', createdProducts: 1, updatedProducts: 1, rejectedRows: 1 });
    expect(job.errors[0]).toMatchObject({ row: 4, spuCode: 'LAMP-2' });
    const mug = (await t.api.get('/merchant-api/v1/catalog/products?q=MUG-1').set(bearer(token)).expect(200)).body.items[0];
    expect(mug).toMatchObject({ title: '陶瓷马克杯（新版）', minPriceFen: 2490, totalStock: 8 });
  });

  it('refuses a binary posing as CSV, wrong columns and an empty file at upload', async () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0]), Buffer.alloc(100)]);
    const r1 = await importFile(elf, 'products.csv');
    expect(r1.status).toBe(400);
    const r2 = await importFile(Buffer.from('name,price\nx,1\n'), 'products.csv');
    expect(r2.status).toBe(400);
    expect(r2.body.error.details).toMatchObject({ unknown: ['name', 'price'], missing: expect.arrayContaining(['spu_code', 'title']) });
    expect((await importFile(Buffer.alloc(0), 'x.csv')).status).toBe(400);
    const fakeZip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(50, 7)]);
    expect((await importFile(fakeZip, 'x.xlsx')).status).toBe(400);
  });

  it('exports the catalog in the import format, which imports back unchanged', async () => {
    const csv = await t.api.get('/merchant-api/v1/catalog/export?format=csv').set(bearer(token)).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
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

  it("another tenant cannot read this tenant's imports", async () => {
    const other = await createShop(t);
    const otherToken = (await merchantLogin(t, other.owner)).accessToken;
    const mine = (await t.api.get('/merchant-api/v1/catalog/imports').set(bearer(token)).expect(200)).body;
    expect(mine.length).toBeGreaterThan(0);
    await t.api.get(`/merchant-api/v1/catalog/imports/${mine[0].id}`).set(bearer(otherToken)).expect(404);
    expect((await t.api.get('/merchant-api/v1/catalog/imports').set(bearer(otherToken)).expect(200)).body).toEqual([]);
  });
});
