import { demoProduct, demoSuite } from '../helpers/demo-suite';
import { phone, shopHome, visible } from '../helpers/shop-steps';

const demo = demoSuite();
const M = '/merchant-api/v1/storefront';
const EARPHONES = '无线蓝牙耳机 降噪版';
const MUG = '北欧陶瓷马克杯';

describe('the shop designer (装修)', () => {
  it('a page of five blocks, published, renders on a phone-sized h5 from data; its links open; a draft shows only with its token', async () => {
    const { site, merchant, tenantId } = demo;
    const earphones = await demoProduct(demo, EARPHONES);
    const mug = await demoProduct(demo, MUG);
    const imageId = Number(
      (await site.platform.knex('catalog_images').where({ tenant_id: tenantId }).orderBy('id').first()).id,
    );

    const page = (
      await site.api.post(`${M}/pages`).set(merchant).send({ key: 'spring-sale', title: '春季大促' }).expect(201)
    ).body as { id: number; key: string };
    await site.api
      .put(`${M}/pages/${page.id}/draft`)
      .set(merchant)
      .send({
        title: '春季大促',
        background: '#fff5f5',
        blocks: [
          { id: 'banner', type: 'banner', items: [{ imageId, link: { kind: 'product', productId: mug } }] },
          { id: 'notice', type: 'notice', text: '全场满99包邮', link: null },
          {
            id: 'picks',
            type: 'productList',
            title: '店长精选',
            source: { kind: 'products', productIds: [earphones, mug] },
            columns: 2,
          },
          { id: 'gap', type: 'spacer', height: 20, line: true },
          { id: 'words', type: 'richText', html: '<p>活动时间：<b>三月</b></p><script>alert(1)</script>' },
        ],
      })
      .expect(200);
    await site.api.post(`${M}/pages/${page.id}/publish`).set(merchant).expect(201);

    const { context, page: tab } = await phone(demo);
    /** Opens a URL as a new visit does (uni's h5 router keeps a page already in its stack on a hash change). */
    const fresh = async (url: string) => {
      await tab.goto(url);
      await tab.reload();
    };
    await tab.goto(`${shopHome(site)}#/pages/custom/page?key=${page.key}`);
    await visible(tab, 'page-block-banner').waitFor();
    await visible(tab, 'block-notice').filter({ hasText: '全场满99包邮' }).waitFor();
    await visible(tab, 'block-product-list').filter({ hasText: '店长精选' }).waitFor();
    await visible(tab, 'block-spacer').waitFor();
    await visible(tab, 'block-rich-text').filter({ hasText: '三月' }).waitFor();
    expect(
      await tab
        .locator('[data-testid="page-blocks"] [data-block-type]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-block-type'))),
    ).toEqual(['banner', 'notice', 'productList', 'spacer', 'richText']);
    expect(await tab.title()).toContain('春季大促');

    // A product card opens the product.
    await tab.locator(`[data-testid="block-product-list"] [data-testid="product-card-${earphones}"]:visible`).click();
    await visible(tab, 'detail-title').filter({ hasText: EARPHONES }).waitFor();

    // A saved draft is seen only through its preview token.
    await site.api
      .put(`${M}/pages/${page.id}/draft`)
      .set(merchant)
      .send({ title: '春季大促', blocks: [{ id: 'n', type: 'notice', text: '草稿里的新公告' }] })
      .expect(200);
    const preview = (await site.api.post(`${M}/pages/${page.id}/preview`).set(merchant).expect(201)).body as {
      path: string;
    };
    // As a phone scanning the QR code does: a fresh load of the page.
    await fresh(`${shopHome(site)}#/${preview.path}`);
    await visible(tab, 'custom-preview').waitFor();
    await visible(tab, 'block-notice').filter({ hasText: '草稿里的新公告' }).waitFor();
    await fresh(`${shopHome(site)}#/pages/custom/page?key=${page.key}`);
    await visible(tab, 'block-notice').filter({ hasText: '全场满99包邮' }).waitFor();
    expect(await tab.locator('[data-testid="custom-preview"]:visible').count()).toBe(0);

    // The home page, once published in the designer, is that page.
    const home = (
      (await site.api.get(`${M}/pages`).set(merchant).expect(200)).body as Array<{ id: number; key: string }>
    ).find((p) => p.key === 'home')!;
    await site.api
      .put(`${M}/pages/${home.id}/draft`)
      .set(merchant)
      .send({
        title: '首页',
        blocks: [
          { id: 'search', type: 'searchBar', placeholder: '搜索耳机' },
          {
            id: 'entries',
            type: 'navGrid',
            items: [{ title: '春季大促', imageId: null, link: { kind: 'page', pageKey: page.key } }],
          },
        ],
      })
      .expect(200);
    await site.api.post(`${M}/pages/${home.id}/publish`).set(merchant).expect(201);
    await fresh(shopHome(site));
    await visible(tab, 'block-search').filter({ hasText: '搜索耳机' }).waitFor();
    expect(await tab.locator('[data-testid="home-search"]:visible').count()).toBe(0);
    await visible(tab, 'block-nav-item-0').click();
    await visible(tab, 'block-notice').filter({ hasText: '全场满99包邮' }).waitFor();
    await context.close();
  });
});
