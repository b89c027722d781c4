// Benchmark: the shop designer's pages (装修) as a shopper's phone opens them, against the real API and the real h5
// build in their own process, in Chromium on the phone profile (390 × 844, isMobile, DPR 3).
//
// Two shops with the same catalog (40 products with photos, 3 banners, 8 categories with icons, the catalog's home lists,
// a coupon, a running flash sale and group buy): shop A never published a home page, so it shows the default home (the
// home every shop had before the designer); shop B published a home page of 30 blocks — search, banners, icon grids,
// notices, ten product lists of 2 columns with 6 to 10 products, coupons, flash sale, group buy, an image with hot areas,
// rich text, spacers, shop info, guess-you-like.
//
// First screen: the first frame at which the home has filled the screen above the tab bar with its content and every
// picture within the screen has loaded (uni's <image> shows a picture once it has loaded it: the moment its
// background-image is set), measured in the page from the navigation's start. Largest contentful paint is reported
// beside it. Each run is a new browser context (an empty HTTP cache: cold); then the same page again in that context
// (warm). Runs alternate between the two shops so that both see the same load on the machine. The figures are medians.
//
// Then the server alone: GET /shop-api/v1/shops/B/pages/home at 10 connections (autocannon): its p99 and requests/s.
// Usage: npm run bench -- storefront    (BENCH_RUNS, default 7; BENCH_LOAD_SECONDS, default 10)
import sharp from 'sharp';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { jsonApi, load, openPlatform, startServer } from './lib.mjs';

const require = createRequire(import.meta.url);
const lib = require('../platform/dist/index.js');
const NAME = 'storefront';
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 10);
const PRODUCTS = 40;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const platform = await openPlatform(NAME, { fresh: true });
const site = await startServer('platform', NAME);
const api = jsonApi(site);
const system = lib.systemContext(platform.log, 'bench');
const M = '/merchant-api/v1';

/** A photo-like picture (noise over a colour) as JPEG bytes. */
async function photo(seed, width, height) {
  const noise = Buffer.alloc(width * height * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761 + seed * 97) & 0xff;
  return sharp(noise, { raw: { width, height, channels: 3 } })
    .blur(3)
    .tint({ r: (seed * 53) % 256, g: (seed * 101) % 256, b: (seed * 151) % 256 })
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** A shop with its owner signed in and the catalog every run uses; returns what its pages name. */
async function seedShop(slug) {
  const tenantId = await platform.services.tenants.create(system, { slug, name: '拾光生活馆', status: 'active' });
  const owner = { email: `${slug}@bench.local`, password: 'bench-password-1', name: 'Bench', role: 'owner' };
  await platform.services.identity.addMerchantUser(system, tenantId, owner);
  const { accessToken: token } = await api('POST', `${M}/auth/login`, null, {
    email: owner.email,
    password: owner.password,
  });
  const call = (method, path, body) => api(method, `${M}${path}`, token, body);
  async function upload(seed, width, height) {
    const form = new FormData();
    form.append('file', new Blob([await photo(seed, width, height)], { type: 'image/jpeg' }), `i${seed}.jpg`);
    const res = await fetch(`${site.url}${M}/catalog/images`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    if (!res.ok) throw new Error(`upload: ${res.status} ${await res.text()}`);
    return res.json();
  }

  const categories = [];
  for (const [i, name] of ['杯具', '家纺', '耳机', '充电', '灯具', '收纳', '文具', '香薰'].entries()) {
    const icon = await upload(500 + i, 240, 240);
    categories.push((await call('POST', '/catalog/categories', { name, parentId: null, iconImageId: icon.id })).id);
  }
  const products = [];
  for (let i = 0; i < PRODUCTS; i++) {
    const image = await upload(i + 1, 800, 800);
    const product = await call('POST', '/catalog/products', {
      title: `北欧风 家居好物 第 ${i + 1} 款 陶瓷马克杯 大容量`,
      subtitle: '',
      brand: 'Shopfleet',
      tags: [],
      descriptionHtml: '',
      categoryId: categories[i % categories.length],
      imageIds: [image.id],
      attributes: {},
      specs: [],
      skus: [{ specValues: [], priceFen: 3_900 + i * 100, stock: 1_000 }],
      status: 'on_sale',
    });
    products.push({ id: product.id, skuId: product.skus[0].id });
  }
  const banners = [];
  for (let i = 0; i < 3; i++) banners.push((await upload(900 + i, 1500, 600)).id);
  const tall = (await upload(990, 750, 1000)).id;
  const ids = products.map((p) => p.id);
  // The default home: what the catalog's home layout names, in the appearance's default sections.
  await call('PUT', '/catalog/home', {
    banners: banners.map((imageId, i) => ({ imageId, productId: ids[i], categoryId: null })),
    shortcutCategoryIds: categories,
    hotProductIds: ids.slice(0, 6),
    newProductIds: ids.slice(6, 12),
    recommendedProductIds: ids.slice(12, 18),
  });
  const now = Date.now();
  const coupon = await call('POST', '/coupon-templates', {
    name: '满100减10',
    kind: 'amount_off',
    thresholdFen: 10_000,
    amountOffFen: 1_000,
    claimFrom: new Date(now - 3_600_000).toISOString(),
    claimTo: new Date(now + 7 * 86_400_000).toISOString(),
    validDays: 7,
    totalQuantity: 1_000,
    perShopperLimit: 1,
  });
  await call('POST', '/flash-sessions', {
    name: '午间秒杀',
    startsAt: new Date(now - 60_000).toISOString(),
    endsAt: new Date(now + 3 * 3_600_000).toISOString(),
    paymentWindowMinutes: 5,
    items: products.slice(30, 34).map((p) => ({ skuId: p.skuId, flashPriceFen: 990, stock: 100, perShopperLimit: 1 })),
  });
  const campaign = await call('POST', '/group-campaigns', {
    name: '三人团',
    productId: products[35].id,
    startsAt: new Date(now - 60_000).toISOString(),
    endsAt: new Date(now + 7 * 86_400_000).toISOString(),
    groupSize: 3,
    durationMinutes: 60,
    items: [{ skuId: products[35].skuId, groupPriceFen: 2_900 }],
  });
  return { slug, tenantId, call, ids, categories, banners, tall, couponId: coupon.id, campaignId: campaign.id };
}

/** The 30 blocks of the designed home page. */
function thirtyBlocks(s) {
  const at = (from, n) => s.ids.slice(from, from + n);
  const list = (id, title, source, limit) => ({ id, type: 'productList', title, source, columns: 2, limit });
  const nav = (id, from) => ({
    id,
    type: 'navGrid',
    columns: 4,
    items: s.categories.slice(from, from + 4).map((categoryId, i) => ({
      title: ['杯具', '家纺', '耳机', '充电', '灯具', '收纳', '文具', '香薰'][from + i],
      imageId: null,
      link: { kind: 'category', categoryId },
    })),
  });
  const spacer = (id) => ({ id, type: 'spacer', height: 12, line: false });
  const html = `<p><b>春季上新</b>：全场满 99 包邮，新客领券立减 10 元。</p><p>活动时间 3 月 1 日至 3 月 31 日。</p>`;
  return [
    { id: 'search', type: 'searchBar', placeholder: '搜索好物' },
    {
      id: 'banner',
      type: 'banner',
      heightRatio: 400,
      items: s.banners.map((imageId, i) => ({ imageId, link: { kind: 'product', productId: s.ids[i] } })),
    },
    nav('nav1', 0),
    { id: 'notice', type: 'notice', text: '全场满99包邮，新客领券立减10元', link: { kind: 'shop', page: 'coupons' } },
    list('picked', '店长精选', { kind: 'products', productIds: at(0, 6) }, 6),
    { id: 'coupons', type: 'coupons', title: '领券中心', templateIds: [s.couponId] },
    { id: 'flash', type: 'flashSale', title: '限时秒杀', limit: 4 },
    spacer('gap1'),
    list('cups', '杯具', { kind: 'category', categoryId: s.categories[0], sort: 'newest' }, 8),
    { id: 'group', type: 'groupBuy', title: '拼团', campaignIds: [s.campaignId] },
    {
      id: 'hot',
      type: 'hotImage',
      imageId: s.tall,
      areas: [
        { x: 0, y: 0, w: 500, h: 1000, link: { kind: 'product', productId: s.ids[1] } },
        { x: 500, y: 0, w: 500, h: 1000, link: { kind: 'shop', page: 'flashSales' } },
      ],
    },
    list('newest', '新品上架', { kind: 'rule', rule: 'newest' }, 10),
    { id: 'text1', type: 'richText', html },
    spacer('gap2'),
    list('best', '热销榜', { kind: 'rule', rule: 'sales' }, 6),
    { id: 'banner2', type: 'banner', heightRatio: 300, items: [{ imageId: s.banners[1], link: null }] },
    list('picked2', '居家必备', { kind: 'products', productIds: at(6, 8) }, 8),
    { id: 'notice2', type: 'notice', text: '每周五会员日，积分翻倍', link: null },
    nav('nav2', 4),
    list('picked3', '送礼推荐', { kind: 'products', productIds: at(14, 10) }, 10),
    spacer('gap3'),
    list('lamps', '灯具', { kind: 'category', categoryId: s.categories[4], sort: 'sales' }, 6),
    list('picked4', '办公好物', { kind: 'products', productIds: at(24, 8) }, 8),
    { id: 'text2', type: 'richText', html },
    list('picked5', '香薰蜡烛', { kind: 'products', productIds: at(32, 6) }, 6),
    spacer('gap4'),
    { id: 'shop', type: 'shopInfo', showDescription: true },
    list('picked6', '猜你会买', { kind: 'products', productIds: at(20, 10) }, 10),
    spacer('gap5'),
    { id: 'guess', type: 'recommendations', title: '猜你喜欢', limit: 10 },
  ];
}

// In the page, before its scripts: the first frame at which the home fills the screen above the tab bar and every
// picture within the screen has loaded; and the largest contentful paint so far.
function measure() {
  /* global window, document, requestAnimationFrame */
  window.__firstScreen = null;
  window.__lcp = null;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__lcp = e.renderTime || e.loadTime || e.startTime;
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  const TAB_BAR = 50;
  const inView = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < window.innerHeight - TAB_BAR;
  };
  function check() {
    const home = document.querySelector('.home');
    const filled =
      home &&
      document.querySelector('[data-testid="shop-name"]') &&
      home.getBoundingClientRect().bottom >= window.innerHeight - TAB_BAR;
    if (filled) {
      const pictures = [...document.querySelectorAll('uni-image')].filter(inView);
      const loaded = pictures.every((p) => /url\(/.test(p.firstElementChild?.style.backgroundImage ?? ''));
      if (loaded) {
        window.__firstScreen = performance.now();
        window.__picturesInView = pictures.length;
        return;
      }
    }
    requestAnimationFrame(check);
  }
  requestAnimationFrame(check);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2);
};

let browser;
try {
  const a = await seedShop(`bench-sf-a-${Date.now().toString(36)}`);
  const b = await seedShop(`bench-sf-b-${Date.now().toString(36)}`);
  const pages = await b.call('GET', '/storefront/pages');
  const home = pages.find((p) => p.key === 'home');
  await b.call('PUT', `/storefront/pages/${home.id}/draft`, { title: '首页', blocks: thirtyBlocks(b) });
  await b.call('POST', `/storefront/pages/${home.id}/publish`);

  const pageJson = (s) => fetch(`${site.url}/shop-api/v1/shops/${s.slug}/pages/home`).then((r) => r.text());
  const designedJson = await pageJson(b);
  const designed = JSON.parse(designedJson);
  if (designed.version < 1 || designed.blocks.length !== 30)
    throw new Error(`the designed home: version ${designed.version}, ${designed.blocks.length} blocks`);
  if (JSON.parse(await pageJson(a)).version !== 0) throw new Error('shop A should show its default home');

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };

  /** One cold visit (a new context) and one warm (the same page again); the first screen and LCP of each. */
  async function visit(s, ready) {
    const context = await browser.newContext({ ...phone, locale: 'zh-CN' });
    await context.addInitScript(measure);
    const page = await context.newPage();
    const once = async () => {
      await page.goto(`${site.url}/s/${s.slug}/`);
      await page.locator(ready).first().waitFor({ timeout: 30_000 });
      await page.waitForFunction(() => window.__firstScreen !== null, null, { timeout: 30_000, polling: 50 });
      await page.waitForTimeout(300);
      return page.evaluate(() => ({
        firstScreen: window.__firstScreen,
        lcp: window.__lcp,
        pictures: window.__picturesInView,
      }));
    };
    const cold = await once();
    const warm = await once();
    await context.close();
    return { cold, warm };
  }

  const runs = { default: [], designed: [] };
  // A visit of each first, not counted (the server's caches, Chromium's own start).
  await visit(a, '[data-testid="home-list-hot"]');
  await visit(b, '[data-testid="page-blocks"]');
  for (let i = 0; i < RUNS; i++) {
    runs.default.push(await visit(a, '[data-testid="home-list-hot"]'));
    runs.designed.push(await visit(b, '[data-testid="page-blocks"]'));
  }
  const figure = (list, when, what) => median(list.map((r) => r[when][what]));

  const url = `${site.url}/shop-api/v1/shops/${b.slug}/pages/home`;
  await load({ url, connections: 10, duration: 2 }); // warm-up
  const served = await load({ url, connections: 10, duration: LOAD_SECONDS });

  const result = {
    bench: 'storefront',
    blocks: designed.blocks.length,
    runs: RUNS,
    default_home_first_screen_ms: figure(runs.default, 'cold', 'firstScreen'),
    designed_first_screen_ms: figure(runs.designed, 'cold', 'firstScreen'),
    ratio: 0,
    warm: {
      default_home_first_screen_ms: figure(runs.default, 'warm', 'firstScreen'),
      designed_first_screen_ms: figure(runs.designed, 'warm', 'firstScreen'),
    },
    lcp: {
      default_home_ms: figure(runs.default, 'cold', 'lcp'),
      designed_ms: figure(runs.designed, 'cold', 'lcp'),
    },
    pictures_in_first_screen: { default_home: runs.default[0].cold.pictures, designed: runs.designed[0].cold.pictures },
    page_json_bytes: Buffer.byteLength(designedJson),
    page_p99_ms: served.p99_ms,
    page_rps: served.rps,
    page_errors: served.errors,
  };
  result.ratio = Math.round((result.designed_first_screen_ms / result.default_home_first_screen_ms) * 100) / 100;
  process.stdout.write(
    `first screen (median of ${RUNS}, cold / warm): default home ${result.default_home_first_screen_ms} / ${result.warm.default_home_first_screen_ms} ms, ` +
      `30 blocks ${result.designed_first_screen_ms} / ${result.warm.designed_first_screen_ms} ms\n` +
      `page JSON ${result.page_json_bytes} bytes; GET pages/home at 10 connections: p99 ${served.p99_ms} ms, ${served.rps} req/s\n`,
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await browser?.close();
  await site.close();
  await platform.close();
}
