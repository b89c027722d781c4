import type { Page } from 'playwright-core';
import { DEMO } from '@shopfleet/platform';
import { demoProduct, demoSuite } from '../helpers/demo-suite';
import { openProduct, phone, shopHome, signInByPhone, visible } from '../helpers/shop-steps';

const demo = demoSuite();
/** Two colours, ¥39.00. */
const MUG = '北欧陶瓷马克杯';

describe('分享 in the h5 shop on a phone', () => {
  it('a shopper taps 分享 on a product and gets its poster; a friend opening the shared code lands on the product', async () => {
    const { site, tenantId } = demo;
    const productId = await demoProduct(demo, MUG);

    // A: signed in, on the product page, taps 分享: the sheet draws the poster (with a QR code of the h5 link).
    const a = await phone(demo);
    const aId = await signInByPhone(demo, a.page, '13600000311');
    await openProduct(site, a.page, productId);
    await visible(a.page, 'detail-title').filter({ hasText: MUG }).waitFor();
    await visible(a.page, 'share-open').filter({ hasText: '分享' }).click();
    await visible(a.page, 'share-sheet').filter({ hasText: '分享给好友' }).waitFor();
    const poster = visible(a.page, 'share-poster');
    await poster.waitFor();
    const src = await posterSource(a.page);
    const stored = await site.platform
      .knex('share_images')
      .where({ tenant_id: tenantId, kind: 'poster', channel: 'h5' })
      .orderBy('id', 'desc')
      .first();
    expect(src).toBe(site.platform.storage.publicUrl(stored.object_key));
    // The picture itself arrives: the browser decodes a 750-pixel-wide poster.
    await a.page.waitForFunction(
      (url) => {
        const img = [...document.images].find((i) => i.src === url);
        return img !== undefined && img.complete && img.naturalWidth === 750;
      },
      src,
      { timeout: 20_000 },
    );
    await visible(a.page, 'share-copy-link').filter({ hasText: '复制链接' }).waitFor();
    await visible(a.page, 'share-save').filter({ hasText: '查看原图' }).waitFor();
    expect(await a.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await visible(a.page, 'share-close').click();
    await visible(a.page, 'share-sheet').waitFor({ state: 'hidden' });

    const share = await site.platform
      .knex('share_codes')
      .where({ tenant_id: tenantId, target_id: productId, sharer_id: aId })
      .first();
    expect(share.code).toMatch(/^[0-9A-Za-z]{8}$/);

    // B, not signed in, opens what a scanned code carries (the code alone): the shop resolves it and shows the product,
    // and keeps the code for attribution.
    const b = await phone(demo);
    await b.page.goto(`${shopHome(site)}#/pages/product/detail?c=${share.code}`);
    await visible(b.page, 'detail-title').filter({ hasText: MUG }).waitFor();
    expect(await keptShareCode(b.page)).toContain(share.code);

    // C opens the shared link itself (the product and the code).
    const c = await phone(demo);
    await c.page.goto(`${shopHome(site)}#/pages/product/detail?id=${productId}&c=${share.code}`);
    await visible(c.page, 'detail-title').filter({ hasText: MUG }).waitFor();
    expect(await keptShareCode(c.page)).toContain(share.code);

    await Promise.all([a.context.close(), b.context.close(), c.context.close()]);
  });
});

/** The poster's address as the sheet shows it (uni-app's h5 image draws its src as a background and keeps an img). */
async function posterSource(page: Page): Promise<string> {
  const img = page.locator('[data-testid="share-poster"]:visible img').first();
  await img.waitFor({ state: 'attached' });
  return (await img.getAttribute('src')) ?? '';
}

/** What the shop keeps as `shareCode` for the demo shop (uni-app's storage in localStorage). */
function keptShareCode(page: Page): Promise<string> {
  return page.evaluate((key) => window.localStorage.getItem(key) ?? '', `shopfleet.shareCode.${DEMO.tenant.slug}`);
}
