import sharp from 'sharp';
import type { Browser, Locator, Page } from 'playwright-core';
import { DEMO } from '@shopfleet/platform';
import { launchChromium, startLiveSite, type LiveSite } from '../helpers/browser';

let site: LiveSite;
let browser: Browser;
let tenantId: number;
beforeAll(async () => {
  site = await startLiveSite();
  browser = await launchChromium();
  tenantId = (await site.platform.services.tenants.findBySlug(DEMO.tenant.slug))!.id;
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

const input = (page: Page | Locator, testid: string) =>
  page.locator(`[data-testid="${testid}"] input, input[data-testid="${testid}"]`).first();

async function signIn(): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${site.baseUrl}/console/login`);
  await input(page, 'login-email').fill(DEMO.owner.email);
  await input(page, 'login-password').fill(DEMO.owner.password);
  await page.locator('[data-testid="login-submit"]').click();
  await page.locator('[data-testid="shop-name"]').waitFor();
  return page;
}

async function categoryIdByName(name: string): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const row = await site.platform.knex('categories').where({ tenant_id: tenantId, name }).first();
    if (row) return Number(row.id);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`category ${name} was not created`);
}

async function addCategory(page: Page, name: string, parentId: number | null): Promise<number> {
  await page
    .locator(parentId === null ? '[data-testid="category-add-root"]' : `[data-testid="category-add-child-${parentId}"]`)
    .click();
  const dialog = page.locator('[data-testid="category-dialog"]');
  await input(dialog, 'category-name').fill(name);
  await dialog.locator('[data-testid="category-save"]').click();
  const id = await categoryIdByName(name);
  await page.locator(`[data-testid="category-node-${id}"]`).waitFor();
  return id;
}

describe('the catalog in the console', () => {
  it('a merchant builds a category tree and a product with SKUs and an image, and the shop sells it', async () => {
    const page = await signIn();
    const tag = Date.now().toString(36);

    await page.goto(`${site.baseUrl}/console/catalog/categories`);
    await page.locator('[data-testid="category-tree"]').waitFor();
    const root = await addCategory(page, `根${tag}`, null);
    const child = await addCategory(page, `子${tag}`, root);
    const leaf = await addCategory(page, `叶${tag}`, child);

    // The server refuses to delete a category with subcategories; the console says why, in Chinese, from the reason.
    await page.locator(`[data-testid="category-delete-${child}"]`).click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await page.locator('.el-message--error').filter({ hasText: '请先删除或移走子分类' }).waitFor();

    await page.goto(`${site.baseUrl}/console/catalog/products/new`);
    await input(page, 'product-title').fill(`浏览器商品${tag}`);
    await page.locator('[data-testid="product-category"]').click();
    for (const name of [`根${tag}`, `子${tag}`, `叶${tag}`]) {
      await page.locator('.el-cascader-node', { hasText: name }).last().click();
    }
    const uploaded = page.waitForResponse(
      (r) => r.url().endsWith('/merchant-api/v1/catalog/images') && r.status() === 201,
    );
    const png = await sharp({ create: { width: 600, height: 600, channels: 3, background: '#2266aa' } })
      .png()
      .toBuffer();
    await page
      .locator('[data-testid="product-image-upload"] input[type=file]')
      .setInputFiles({ name: 'p.png', mimeType: 'image/png', buffer: png });
    await uploaded;

    await page.locator('[data-testid="spec-add"]').click();
    await input(page, 'spec-name-0').fill('颜色');
    for (const value of ['红', '蓝']) {
      await input(page, 'spec-values-0').fill(value);
      await input(page, 'spec-values-0').press('Enter');
    }
    await page.locator('[data-testid="sku-table"]').getByText('蓝').first().waitFor();
    await input(page, 'sku-fill-price').fill('99.5');
    await input(page, 'sku-fill-stock').fill('10');
    // 1.25 kg each, shipped by the demo's template by weight (运费模板 按重量).
    await input(page, 'sku-fill-weight').fill('1.25');
    await page.locator('[data-testid="sku-fill-apply"]').click();
    const byWeight = (
      await site.platform.services.freightTemplates.list({
        requestId: 'test',
        tenantId,
        actor: { type: 'system', job: 'test' },
        log: site.platform.log,
      })
    ).find((tpl) => tpl.chargeMode === 'weight')!;
    await page.locator('[data-testid="product-freight-template"]').click();
    await page.locator(`[data-testid="product-freight-template-option-${byWeight.id}"]`).click();
    await page.locator('[data-testid="product-status"]').click();
    await page.locator('[data-testid="product-status-option-on_sale"]').click();

    // The description in the rich-text editor: a bold line, then an image uploaded to the catalog's storage.
    const description = page.locator('[data-testid="product-description"] [contenteditable="true"]');
    await description.click();
    await page.locator('[data-testid="product-description"] .rich-text__mark--bold').click();
    await page.keyboard.type('蓝牙五点三');
    const inserted = page.waitForResponse(
      (r) => r.url().endsWith('/merchant-api/v1/catalog/images') && r.status() === 201,
    );
    await page
      .locator('[data-testid="product-description"] input[type=file]')
      .setInputFiles({ name: 'd.png', mimeType: 'image/png', buffer: png });
    const descriptionImage = await (await inserted).json();
    await description.locator('img').waitFor();
    // 主图视频: an MP4 (boxes ftyp, moov, mdat), shown in a player once stored.
    const box = (type: string, body: Buffer) =>
      Buffer.concat([Buffer.from([0, 0, 0, 8 + body.length]), Buffer.from(type, 'latin1'), body]);
    const mp4 = Buffer.concat([
      box('ftyp', Buffer.from('isom\0\0\0\0isomavc1', 'latin1')),
      box('moov', Buffer.alloc(32)),
      box('mdat', Buffer.alloc(200, 1)),
    ]);
    const videoStored = page.waitForResponse(
      (r) => r.url().endsWith('/merchant-api/v1/catalog/videos') && r.status() === 201,
    );
    await page
      .locator('[data-testid="product-video-upload"] input[type=file]')
      .setInputFiles({ name: 'v.mp4', mimeType: 'video/mp4', buffer: mp4 });
    const video = await (await videoStored).json();
    await page.locator('[data-testid="product-video-player"]').waitFor();
    // 限购: two per customer.
    await input(page, 'product-limit-shopper').fill('2');

    const saved = page.waitForResponse(
      (r) => r.url().endsWith('/merchant-api/v1/catalog/products') && r.request().method() === 'POST',
    );
    await page.locator('[data-testid="product-save"]').click();
    const response = await saved;
    expect(response.status()).toBe(201);
    const product = await response.json();
    expect(product).toMatchObject({ categoryId: leaf, status: 'on_sale', minPriceFen: 9950, totalStock: 20 });
    expect(product.skus.map((s: { specValues: string[] }) => s.specValues)).toEqual([['红'], ['蓝']]);
    expect(product.images).toHaveLength(1);
    expect(product.descriptionHtml).toContain('<strong>蓝牙五点三</strong>');
    expect(product.descriptionHtml).toContain(`<img src="${descriptionImage.large.jpeg}"`);
    expect(product.limits).toEqual({ perOrder: null, perShopper: 2 });
    expect(product.freightTemplateId).toBe(byWeight.id);
    expect(product.skus.map((s: { weightGrams: number }) => s.weightGrams)).toEqual([1250, 1250]);
    expect(product.video).toEqual(video);
    await page.waitForURL(/\/console\/catalog\/products(\?|$)/);
    await page.locator(`[data-testid="product-row-${product.id}"]`).waitFor();

    // The shop sells it at once: in its category and by search.
    const listing = await (
      await fetch(`${site.baseUrl}/shop-api/v1/shops/${DEMO.tenant.slug}/products?categoryId=${root}`)
    ).json();
    expect(listing.items.map((p: { id: number }) => p.id)).toContain(product.id);
    const found = await (
      await fetch(`${site.baseUrl}/shop-api/v1/shops/${DEMO.tenant.slug}/search?q=${encodeURIComponent('浏览器商品')}`)
    ).json();
    expect(found.items.map((p: { id: number }) => p.id)).toContain(product.id);
  });

  it('an import row error reads in Chinese, rendered from its code, and the rejected rows download as a file', async () => {
    const page = await signIn();
    await page.goto(`${site.baseUrl}/console/catalog/import`);
    const csv = [
      '商品编码,商品名称,分类,价格(元),库存',
      'BR-OK,浏览器导入,家居/餐具,9.90,3',
      'BR-BAD,价格坏,家居/餐具,12.345,1',
    ].join('\r\n');
    const started = page.waitForResponse(
      (r) => r.url().endsWith('/merchant-api/v1/catalog/imports') && r.request().method() === 'POST',
    );
    await page
      .locator('[data-testid="import-upload"] input[type=file]')
      .setInputFiles({ name: '商品.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const job = await (await started).json();
    expect(job).toMatchObject({ status: 'queued', totalRows: 2 });
    // What the worker does with the queued job.
    await site.platform.services.imports.run(
      { requestId: 'test', tenantId, actor: { type: 'system', job: 'test' }, log: site.platform.log },
      job.id,
    );

    const reason = page.locator('[data-testid="import-error-text"]');
    await reason.first().waitFor();
    expect(await reason.getAttribute('data-code')).toBe('NOT_YUAN');
    expect(await reason.textContent()).toBe('价格(元)“12.345”不是有效金额（单位：元，最多两位小数）');

    const download = page.waitForEvent('download');
    await page.locator('[data-testid="import-report"]').click();
    expect((await download).suggestedFilename()).toBe(`import-${job.id}-errors.xlsx`);
  });

  it('an import whose job died shows why in Chinese, where it stopped, and a button that runs it again from there', async () => {
    const ctx = {
      requestId: 'test',
      tenantId,
      actor: { type: 'system' as const, job: 'test' },
      log: site.platform.log,
    };
    const header =
      'spu_code,title,subtitle,brand,category_path,tags,description,image_urls,attributes,status,sku_code,spec_values,price_fen,original_price_fen,stock';
    const started = await site.platform.services.imports.start(ctx, {
      buffer: Buffer.from(`${header}\nDIE-1,会中断的导入,,,家居/杂货,,,,,on_sale,,,100,,1\n`),
      originalName: 'die.csv',
    });
    // No worker runs here: the job waits; then its worker "dies" twice and the worker reports it, as in production.
    await site.platform.knex('catalog_imports').where({ id: started.id }).update({ checkpoint_row: 1 });
    await site.platform.services.imports.fail(ctx, started.id, { code: 'JOB_STALLED', params: {} });

    const page = await signIn();
    await page.goto(`${site.baseUrl}/console/catalog/import`);
    await page.locator(`[data-testid="import-row-${started.id}"]`).click();
    const failure = page.locator('[data-testid="import-failure"]');
    await failure.waitFor();
    expect(await failure.getAttribute('data-code')).toBe('JOB_STALLED');
    expect(await failure.innerText()).toContain('执行它的后台进程多次意外停止');
    expect(await page.locator('[data-testid="import-checkpoint"]').innerText()).toContain('第 1 行');
    await page.locator('[data-testid="import-retry"]').click();
    await page.locator('[data-testid="import-status"][data-status="queued"]').waitFor();
    const record = await site.platform
      .knex('catalog_imports')
      .where({ id: started.id })
      .first('status', 'runs', 'failure_code');
    expect(record).toMatchObject({ status: 'queued', runs: 2, failure_code: null });
  });
});
