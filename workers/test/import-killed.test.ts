import { CATALOG_JOBS, QUEUES } from '@shopfleet/contracts';
import { startTestPlatform, type TestPlatform } from '../../platform/test/helpers/test-platform';
import { bearer, createShop, merchantLogin, type TestShop } from '../../platform/test/helpers/fixtures';
import { until } from '../../platform/test/helpers/releases';
import { startWorkers, type RunningWorkers } from '../src/worker';
import { FAST_STALLS as FAST, freePort, killHard as kill, workerProcess } from './worker-process';

let t: TestPlatform;
let workers: RunningWorkers | undefined;
let shop: TestShop;
let token: string;
let s3Port: number;

beforeAll(async () => {
  s3Port = await freePort();
  t = await startTestPlatform({ EMBEDDED_S3_PORT: String(s3Port) });
  shop = await createShop(t);
  token = (await merchantLogin(t, shop.owner)).accessToken;
});
afterAll(async () => {
  await workers?.close();
  await t.close();
});

const record = async (id: number) =>
  (await t.api.get(`/merchant-api/v1/catalog/imports/${id}`).set(bearer(token)).expect(200)).body;
const checkpointOf = async (id: number) =>
  Number((await t.platform.knex('catalog_imports').where({ id }).first('checkpoint_row')).checkpoint_row);

const HEADER =
  'spu_code,title,subtitle,brand,category_path,tags,description,image_urls,attributes,status,sku_code,spec_values,price_fen,original_price_fen,stock';

/** `products` products of two SKUs each (two rows), in one CSV. */
function catalogCsv(prefix: string, products: number): Buffer {
  const lines = [HEADER];
  for (let i = 1; i <= products; i++) {
    const spu = `${prefix}-${String(i).padStart(5, '0')}`;
    lines.push(`${spu},商品 ${i},,,家居/杂货,,,,,on_sale,${spu}-S,尺码:S,${100 + i},,5`);
    lines.push(`${spu},商品 ${i},,,家居/杂货,,,,,on_sale,${spu}-M,尺码:M,${100 + i},,7`);
  }
  return Buffer.from(lines.join('\n'));
}

describe('an import whose worker dies', () => {
  it('killed twice, ends failed with the reason; a retry goes on from its checkpoint and every product is there exactly once', async () => {
    const products = 3000;
    const started = await t.api
      .post('/merchant-api/v1/catalog/imports')
      .set(bearer(token))
      .attach('file', catalogCsv('KILL', products), 'big.csv')
      .expect(201);
    const id = started.body.id as number;

    // First worker: killed once some batches are in.
    const first = workerProcess(t.config, s3Port);
    const c1 = await until(
      () => checkpointOf(id),
      (c) => c > 0,
      'the first batch to commit',
      60_000,
    );
    await kill(first);

    // Second worker: takes the stalled job up, and goes on from the checkpoint rather than from row 2.
    const second = workerProcess(t.config, s3Port);
    const c2 = await until(
      () => checkpointOf(id),
      (c) => c > c1,
      'the resumed run to commit a batch',
      60_000,
    );
    await kill(second);
    expect((await record(id)).status).toBe('running');

    // The next worker finds the job stalled a second time: BullMQ fails it without running it; the import hears of it.
    workers = startWorkers(t.platform, undefined, FAST);
    const failed = await until(
      () => record(id),
      (r) => r.status !== 'running',
      'the import to end',
      60_000,
    );
    expect(failed).toMatchObject({
      status: 'failed',
      failure: { code: 'JOB_STALLED', params: {} },
      checkpointRow: expect.any(Number),
    });
    expect(failed.checkpointRow).toBeGreaterThanOrEqual(c2);
    expect(failed.finishedAt).not.toBeNull();
    const written = Number((await t.platform.knex('products').where({ tenant_id: shop.id }).count({ n: '*' }))[0]!.n);
    expect(written).toBe(failed.createdProducts);
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(products);

    // A second retry is refused (the import is no longer failed); the first finishes the file.
    const retried = (await t.api.post(`/merchant-api/v1/catalog/imports/${id}/retry`).set(bearer(token)).expect(200))
      .body;
    expect(retried).toMatchObject({ status: 'queued', failure: null, checkpointRow: failed.checkpointRow });
    const again = await t.api.post(`/merchant-api/v1/catalog/imports/${id}/retry`).set(bearer(token)).expect(409);
    expect(again.body.error).toMatchObject({ code: 'CONFLICT' });
    const done = await until(
      () => record(id),
      (r) => r.status === 'done' || r.status === 'failed',
      'the retried import to finish',
      60_000,
    );
    // Nothing written before the deaths was written again (no updates), and nothing was skipped.
    expect(done).toMatchObject({
      status: 'done',
      totalRows: products * 2,
      processedRows: products * 2,
      createdProducts: products,
      updatedProducts: 0,
      rejectedRows: 0,
      failure: null,
    });
    const rows = (await t.platform.knex('products').where({ tenant_id: shop.id }).select('spu_code')) as Array<{
      spu_code: string;
    }>;
    expect(rows).toHaveLength(products);
    expect(new Set(rows.map((r) => r.spu_code)).size).toBe(products);
    const skus = Number((await t.platform.knex('skus').where({ tenant_id: shop.id }).count({ n: '*' }))[0]!.n);
    expect(skus).toBe(products * 2);
  }, 240_000);

  it('a job the queue lost (or that failed without telling) is found by the sweep, and the import ends failed', async () => {
    workers ??= startWorkers(t.platform, undefined, FAST);
    await workers.close();
    workers = undefined;
    const started = (
      await t.api
        .post('/merchant-api/v1/catalog/imports')
        .set(bearer(token))
        .attach('file', catalogCsv('LOST', 3), 'lost.csv')
        .expect(201)
    ).body;
    // Redis lost the job before any worker took it.
    const queue = t.platform.queues.get(QUEUES.catalogImports);
    await queue.remove(`import-${shop.id}-${started.id}`);
    workers = startWorkers(t.platform, undefined, FAST);
    await queue.add(CATALOG_JOBS.sweepLostImports, { graceSeconds: 0 });
    const ended = await until(
      () => record(started.id),
      (r) => r.status === 'failed',
      'the sweep to fail the lost import',
      30_000,
    );
    expect(ended.failure).toEqual({ code: 'JOB_LOST', params: {} });
    // Retried, it runs from the start (nothing was written) and finishes.
    await t.api.post(`/merchant-api/v1/catalog/imports/${started.id}/retry`).set(bearer(token)).expect(200);
    expect(
      await until(
        () => record(started.id),
        (r) => r.status === 'done',
        'the retried import to finish',
        30_000,
      ),
    ).toMatchObject({ createdProducts: 3 });
  }, 120_000);

  it('an import that is not failed cannot be retried, and another shop cannot retry it', async () => {
    const list = (await t.api.get('/merchant-api/v1/catalog/imports').set(bearer(token)).expect(200)).body as Array<{
      id: number;
      status: string;
    }>;
    const done = list.find((r) => r.status === 'done')!;
    const res = await t.api.post(`/merchant-api/v1/catalog/imports/${done.id}/retry`).set(bearer(token)).expect(409);
    expect(res.body.error).toMatchObject({ code: 'CONFLICT', details: { status: 'done' } });
    const other = await createShop(t);
    const otherToken = (await merchantLogin(t, other.owner)).accessToken;
    await t.api.post(`/merchant-api/v1/catalog/imports/${done.id}/retry`).set(bearer(otherToken)).expect(404);
  });
});
