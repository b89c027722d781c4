import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import yazl from 'yazl';
import { IMPORT_MAX_BYTES, IMPORT_MAX_ROWS } from '@shopfleet/contracts';
import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import { bearer, createShop, merchantLogin } from '../../helpers/fixtures';

/**
 * Spreadsheet bombs: files within the upload limit that hold millions of tiny rows (and a large
 * shared-strings table). The upload check must refuse them at the row limit while the process hosting
 * the API grows by less than 200 MB. The files are written to disk as streams, never held by the test.
 */

const ROWS = 4_000_000;
const SHARED_STRINGS = 1_000_000;
/** As many rows of 10 bytes as fit in the upload limit. */
const CSV_ROWS = 2_500_000;
const BUDGET = 200 * 1024 * 1024;

let t: TestPlatform;
let token: string;
let tenantId: number;
let dir: string;
beforeAll(async () => {
  t = await startTestPlatform();
  const shop = await createShop(t);
  tenantId = shop.id;
  token = (await merchantLogin(t, shop.owner)).accessToken;
  dir = await mkdtemp(join(tmpdir(), 'sf-bomb-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await t.close();
});

const HEADER = ['spu_code', 'title', 'category_path', 'price_fen', 'stock'];

/** Text made of many small pieces, read lazily. */
function lazy(pieces: () => Generator<string>): Readable {
  return Readable.from(
    (function* () {
      let batch: string[] = [];
      for (const piece of pieces()) {
        batch.push(piece);
        if (batch.length === 4096) {
          yield batch.join('');
          batch = [];
        }
      }
      yield batch.join('');
    })(),
  );
}

async function writeXlsxBomb(path: string): Promise<void> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(
    Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    '[Content_Types].xml',
  );
  zip.addBuffer(
    Buffer.from(
      '<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="p" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    'xl/workbook.xml',
  );
  zip.addBuffer(
    Buffer.from(
      '<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    ),
    'xl/_rels/workbook.xml.rels',
  );
  zip.addReadStream(
    lazy(function* () {
      yield `<sst count="${SHARED_STRINGS}" uniqueCount="${SHARED_STRINGS}">`;
      for (const h of HEADER) yield `<si><t>${h}</t></si>`;
      for (let i = HEADER.length; i < SHARED_STRINGS; i++) yield `<si><t>s${i}</t></si>`;
      yield '</sst>';
    }),
    'xl/sharedStrings.xml',
  );
  zip.addReadStream(
    lazy(function* () {
      yield '<worksheet><sheetData><row r="1">';
      for (let c = 0; c < HEADER.length; c++) yield `<c t="s"><v>${c}</v></c>`;
      yield '</row>';
      for (let r = 2; r <= ROWS + 1; r++) yield `<row r="${r}"><c t="s"><v>${r % SHARED_STRINGS}</v></c></row>`;
      yield '</sheetData></worksheet>';
    }),
    'xl/worksheets/sheet1.xml',
  );
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
}

async function writeCsvBomb(path: string): Promise<void> {
  await pipeline(
    lazy(function* () {
      yield `${HEADER.join(',')}\n`;
      for (let r = 0; r < CSV_ROWS; r++) yield 'x,t,c,1,1\n';
    }),
    createWriteStream(path),
  );
}

/**
 * This process's resident memory once the garbage of whatever ran before in it (earlier test files of this jest
 * worker) is collected: a measurement starts from here, so the growth it sees is the work's own, not the heap
 * expanding around old garbage.
 */
function settledRss(): number {
  setFlagsFromString('--expose_gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().rss;
}

/** Uploads a file from disk while sampling this process's resident memory; the peak growth over the start. */
async function uploadMeasured(path: string, name: string) {
  let peak = 0;
  const base = settledRss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss - base);
  }, 10);
  try {
    const res = await t.api.post('/merchant-api/v1/catalog/imports').set(bearer(token)).attach('file', path, name);
    peak = Math.max(peak, process.memoryUsage().rss - base);
    return { res, growth: peak };
  } finally {
    clearInterval(sampler);
  }
}

describe('spreadsheet bombs', () => {
  beforeAll(async () => {
    // Warm up: the first upload loads the code paths, which is not the file's cost.
    const warm = await t.api
      .post('/merchant-api/v1/catalog/imports')
      .set(bearer(token))
      .attach('file', Buffer.from(`${HEADER.join(',')}\nW-1,w,家居,1,1\n`), 'warm.csv');
    expect(warm.status).toBe(201);
  });

  it(`an XLSX of ${ROWS} tiny rows and ${SHARED_STRINGS} shared strings is refused at the row limit, the API growing by less than 200 MB`, async () => {
    const path = join(dir, 'bomb.xlsx');
    await writeXlsxBomb(path);
    expect((await stat(path)).size).toBeLessThan(IMPORT_MAX_BYTES);
    const { res, growth } = await uploadMeasured(path, 'bomb.xlsx');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { reason: 'IMPORT_TOO_MANY_ROWS', max: IMPORT_MAX_ROWS },
    });
    expect(growth).toBeLessThan(BUDGET);
    expect(await t.platform.knex('catalog_imports').where({ file_name: 'bomb.xlsx' }).first()).toBeUndefined();
  });

  it(`a CSV of ${CSV_ROWS} tiny rows is refused at the row limit, the API growing by less than 200 MB`, async () => {
    const path = join(dir, 'bomb.csv');
    await writeCsvBomb(path);
    expect((await stat(path)).size).toBeLessThan(IMPORT_MAX_BYTES);
    const { res, growth } = await uploadMeasured(path, 'bomb.csv');
    expect(res.status).toBe(400);
    expect(res.body.error.details).toMatchObject({ reason: 'IMPORT_TOO_MANY_ROWS' });
    expect(growth).toBeLessThan(BUDGET);
  });

  it('a file at the row limit is checked and run (as the worker runs it) with the process growing by less than 200 MB', async () => {
    // 200,000 rows of fifteen short cells, four rows per product; every product is refused before it
    // writes anything (a category four deep), so the run costs reading, not the database.
    const path = join(dir, 'limit.csv');
    const description = '<p>纯棉</p>';
    await pipeline(
      lazy(function* () {
        yield 'spu_code,title,subtitle,brand,category_path,tags,description,image_urls,attributes,status,sku_code,spec_values,price_fen,original_price_fen,stock\n';
        for (let r = 0; r < IMPORT_MAX_ROWS; r++)
          yield `P${r >> 2},T${r},s${r},b${r},一/二/三/四,t${r}|u,${description},i${r},k:${r},在售,S${r},尺码:${r & 3},${r},${r + 1},${r}\n`;
      }),
      createWriteStream(path),
    );
    expect((await stat(path)).size).toBeLessThan(IMPORT_MAX_BYTES);
    const { res, growth } = await uploadMeasured(path, 'limit.csv');
    expect(res.status).toBe(201);
    expect(res.body.totalRows).toBe(IMPORT_MAX_ROWS);
    expect(growth).toBeLessThan(BUDGET);

    let peak = 0;
    const base = settledRss();
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss - base);
    }, 10);
    const ctx = {
      requestId: 'test',
      tenantId: tenantId,
      actor: { type: 'system' as const, job: 'test' },
      log: t.platform.log,
    };
    const job = await t.platform.services.imports.run(ctx, res.body.id).finally(() => clearInterval(sampler));
    expect(job).toMatchObject({
      status: 'done',
      processedRows: IMPORT_MAX_ROWS,
      rejectedRows: IMPORT_MAX_ROWS,
      createdProducts: 0,
    });
    expect(job.errors).toHaveLength(500);
    expect(job.errors[0]).toMatchObject({ row: 2, code: 'CATEGORY_DEPTH' });
    expect(job.errors[1]).toMatchObject({ row: 3, code: 'REJECTED_WITH_ROW' });
    expect(peak).toBeLessThan(BUDGET);
  }, 900_000);
});
