import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import { bearer, createShop, merchantLogin, type TestShop } from '../../helpers/fixtures';

let t: TestPlatform;
let shop: TestShop;
let token: string;

beforeAll(async () => {
  t = await startTestPlatform();
  shop = await createShop(t);
  token = (await merchantLogin(t, shop.owner)).accessToken;
});
afterAll(() => t.close());

const HEADER =
  'spu_code,title,subtitle,brand,category_path,tags,description,image_urls,attributes,status,sku_code,spec_values,price_fen,original_price_fen,stock';

describe('an import going on from its checkpoint', () => {
  it('goes on after the products whose rows all lie at or before it, and writes a product whose rows straddle it', async () => {
    // Row 1 is the header. RES-A's rows are 2 and 5, around RES-B (3) and RES-C (4); RES-D is row 6.
    const csv = [
      HEADER,
      'RES-A,甲,,,家居/杂货,,,,,on_sale,RES-A-S,尺码:S,100,,1',
      'RES-B,乙,,,家居/杂货,,,,,on_sale,,,200,,1',
      'RES-C,丙,,,家居/杂货,,,,,on_sale,,,300,,1',
      'RES-A,甲,,,家居/杂货,,,,,on_sale,RES-A-M,尺码:M,100,,1',
      'RES-D,丁,,,家居/杂货,,,,,on_sale,,,400,,1',
    ].join('\n');
    const started = await t.api
      .post('/merchant-api/v1/catalog/imports')
      .set(bearer(token))
      .attach('file', Buffer.from(csv), 'resume.csv')
      .expect(201);
    const id = started.body.id as number;
    // As a run that stopped leaves it: the products complete by row 4 (RES-B, RES-C) are written. RES-A is
    // not, though its first row is before the checkpoint: its last row is after it.
    await t.platform.knex('catalog_imports').where({ id }).update({ checkpoint_row: 4 });

    const ctx = {
      requestId: 'test',
      tenantId: shop.id,
      actor: { type: 'system' as const, job: 'test' },
      log: t.platform.log,
    };
    const done = await t.platform.services.imports.run(ctx, id);
    expect(done).toMatchObject({
      status: 'done',
      createdProducts: 2,
      updatedProducts: 0,
      rejectedRows: 0,
      checkpointRow: 6,
    });
    const written = (await t.platform
      .knex('products')
      .where({ tenant_id: shop.id })
      .orderBy('spu_code')
      .select('id', 'spu_code')) as Array<{ id: number; spu_code: string }>;
    expect(written.map((p) => p.spu_code)).toEqual(['RES-A', 'RES-D']);
    const skusOfA = (await t.platform
      .knex('skus')
      .where({ tenant_id: shop.id, product_id: written[0]!.id })
      .orderBy('code')
      .select('code')) as Array<{ code: string }>;
    expect(skusOfA.map((s) => s.code)).toEqual(['RES-A-M', 'RES-A-S']);
  });

  it('a retry of an import that is not failed is a 409 with its reason', async () => {
    const csv = [HEADER, 'RES-E,戊,,,家居/杂货,,,,,on_sale,,,100,,1'].join('\n');
    const started = await t.api
      .post('/merchant-api/v1/catalog/imports')
      .set(bearer(token))
      .attach('file', Buffer.from(csv), 'queued.csv')
      .expect(201);
    const res = await t.api
      .post(`/merchant-api/v1/catalog/imports/${started.body.id}/retry`)
      .set(bearer(token))
      .expect(409);
    expect(res.body.error).toMatchObject({
      code: 'CONFLICT',
      reason: 'IMPORT_NOT_FAILED',
      params: { status: 'queued' },
    });
  });
});
