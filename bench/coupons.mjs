// Benchmark: coupons and promotions, exact and fast, against the real API in its own process.
//  (claim) 1,000 shoppers each send two claims at once (2,000 requests at 100 connections) on a template of 100
//          with a limit of one per shopper: exactly 100 coupons, never two to one shopper, no 5xx;
//  (plain) checkout as the checkout benchmark loads it: 1,000 distinct shoppers, 100 connections, 20 SKUs, at a shop
//          with no promotion and no coupon;
//  (discounts) the same at a shop with a running 满减 (满100减10) where each shopper holds one coupon (¥5, combines
//          with 满减): every order gets both, the best choice made on the server.
// Both checkouts run twice, alternating, after a warm-up of each; the figures are the means of the two rounds.
// Usage: npm run bench -- coupons
import { createRequire } from 'node:module';
import autocannon from 'autocannon';
import { count5xx, fireOrders, jsonApi, makeShoppers, openPlatform, startServer } from './lib.mjs';

const require = createRequire(import.meta.url);
const lib = require('../platform/dist/index.js');
const NAME = 'coupons';
const CLAIMERS = 1_000;
const TEMPLATE_TOTAL = 100;
const CROWD = 1_000;

const platform = await openPlatform(NAME, { fresh: true });
const system = lib.systemContext(platform.log, 'bench');
const site = await startServer('platform', NAME);

const api = jsonApi(site);

/** A shop with its owner signed in and 20 SKUs of ¥60.00–¥61.90 (two of one pass ¥100). */
async function shop(tag) {
  const slug = `bench-${tag}-${Date.now().toString(36)}`;
  const tenantId = await platform.services.tenants.create(system, {
    slug,
    name: `Coupons bench ${tag}`,
    status: 'active',
  });
  const owner = { email: `${slug}@bench.local`, password: 'bench-password-1', name: 'Bench', role: 'owner' };
  await platform.services.identity.addMerchantUser(system, tenantId, owner);
  const { accessToken: merchant } = await api('POST', '/merchant-api/v1/auth/login', null, {
    email: owner.email,
    password: owner.password,
  });
  const category = await api('POST', '/merchant-api/v1/catalog/categories', merchant, { name: '基准', parentId: null });
  const skus = [];
  for (let n = 0; n < 20; n++) {
    const product = await api('POST', '/merchant-api/v1/catalog/products', merchant, {
      title: `商品 ${n}`,
      subtitle: '',
      brand: '',
      tags: [],
      descriptionHtml: '',
      categoryId: category.id,
      imageIds: [],
      attributes: {},
      specs: [],
      skus: [{ specValues: [], priceFen: 6_000 + 10 * n, stock: 1_000_000 }],
      status: 'on_sale',
    });
    skus.push(product.skus[0].id);
  }
  const ctx = { ...system, tenantId };
  return {
    slug,
    tenantId,
    merchant,
    skus,
    ctx,
    shoppers: (n, prefix) => makeShoppers(platform, system, tenantId, n, prefix),
  };
}

const hour = 3_600_000;
const period = () => ({
  claimFrom: new Date(Date.now() - hour).toISOString(),
  claimTo: new Date(Date.now() + 24 * hour).toISOString(),
  validDays: 7,
});

/** Gives each shopper one coupon of a send-mode template, 500 at a time (as the merchant sends them). */
async function giveCoupons(s, shopperIds) {
  const template = await api('POST', '/merchant-api/v1/coupon-templates', s.merchant, {
    name: '无门槛5元',
    kind: 'no_threshold',
    thresholdFen: 0,
    amountOffFen: 500,
    ...period(),
    totalQuantity: 100_000,
    perShopperLimit: 1,
    issueMode: 'send',
    combinesWith: ['full_reduction'],
  });
  for (let at = 0; at < shopperIds.length; at += 500)
    await api('POST', `/merchant-api/v1/coupon-templates/${template.id}/send`, s.merchant, {
      shopperIds: shopperIds.slice(at, at + 500),
      quantity: 1,
    });
}

const idsOf = async (tenantId, prefix) =>
  (
    await platform
      .knex('shoppers')
      .where({ tenant_id: tenantId })
      .where('phone', 'like', `1${prefix}%`)
      .orderBy('id')
      .select('id')
  ).map((r) => Number(r.id));

const bodiesFor = (s, crowd) =>
  crowd.map((c, n) => ({
    token: c.token,
    body: { items: [{ skuId: s.skus[n % 20], quantity: 2 }], addressId: c.addressId },
  }));

try {
  // ---- (claim) -------------------------------------------------------------------------------------
  const c = await shop('claim');
  const claimers = await c.shoppers(CLAIMERS, '40');
  const template = await api('POST', '/merchant-api/v1/coupon-templates', c.merchant, {
    name: '限量100张',
    kind: 'amount_off',
    thresholdFen: 10_000,
    amountOffFen: 1_000,
    ...period(),
    totalQuantity: TEMPLATE_TOTAL,
    perShopperLimit: 1,
  });
  let k = 0;
  const statuses = new Map();
  await autocannon({
    url: site.url,
    connections: 100,
    amount: CLAIMERS * 2,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          // Each shopper's two claims go out next to each other, on different connections.
          const claimer = claimers[Math.floor(k++ / 2) % CLAIMERS];
          return {
            ...req,
            path: `/shop-api/v1/shops/${c.slug}/coupon-templates/${template.id}/claim`,
            headers: { authorization: `Bearer ${claimer.token}` },
          };
        },
        onResponse: (status) => statuses.set(status, (statuses.get(status) ?? 0) + 1),
      },
    ],
  });
  const issued = Number(
    (await platform.knex('coupons').where({ tenant_id: c.tenantId, template_id: template.id }).count({ n: '*' }))[0].n,
  );
  const perShopper = await platform
    .knex('coupons')
    .where({ tenant_id: c.tenantId, template_id: template.id })
    .select('shopper_id')
    .count({ n: '*' })
    .groupBy('shopper_id');
  const claim = {
    template_total: TEMPLATE_TOTAL,
    claimers: CLAIMERS,
    issued,
    max_per_shopper: Math.max(0, ...perShopper.map((r) => Number(r.n))),
    errors_5xx: count5xx(statuses),
  };
  const counter = Number((await platform.knex('coupon_templates').where({ id: template.id }).first()).issued);
  process.stdout.write(
    `(claim) ${CLAIMERS * 2} claims by ${CLAIMERS} shoppers: ${issued} coupons (template counter ${counter}), at most ${claim.max_per_shopper} per shopper, statuses ${JSON.stringify(Object.fromEntries(statuses))}\n`,
  );

  // ---- checkout: plain, and with a coupon and a 满减 ---------------------------------------------------
  const plain = await shop('plain');
  const disc = await shop('disc');
  await api('POST', '/merchant-api/v1/promotions', disc.merchant, {
    kind: 'full_reduction',
    fullReduction: {
      name: '满100减10',
      startsAt: new Date(Date.now() - hour).toISOString(),
      endsAt: new Date(Date.now() + 24 * hour).toISOString(),
      basis: 'amount',
      tiers: [{ threshold: 10_000, amountOffFen: 1_000 }],
    },
  });
  const crowds = { plain: [], disc: [] };
  for (const [n, prefix] of [
    [0, '50'],
    [1, '51'],
    [2, '52'],
  ]) {
    crowds.plain.push(await plain.shoppers(CROWD, prefix));
    crowds.disc.push(await disc.shoppers(CROWD, prefix));
    await giveCoupons(disc, await idsOf(disc.tenantId, prefix));
    process.stdout.write(`crowd ${n + 1} of 3 ready (${CROWD} shoppers at each shop)\n`);
  }
  const fire = (s, crowd) => fireOrders(site, s.slug, bodiesFor(s, crowd), 100);
  const warmPlain = await fire(plain, crowds.plain[0]);
  const warmDisc = await fire(disc, crowds.disc[0]);
  process.stdout.write(
    `warm-up: plain ${warmPlain.statuses.get(201) ?? 0} orders, with discounts ${warmDisc.statuses.get(201) ?? 0} orders\n`,
  );
  const rounds = { plain: [], disc: [] };
  for (const round of [1, 2]) {
    for (const [kind, s] of [
      ['plain', plain],
      ['disc', disc],
    ]) {
      const r = await fire(s, crowds[kind][round]);
      const placed = r.statuses.get(201) ?? 0;
      rounds[kind].push({ ordersPerS: placed / r.seconds, p99: r.p99, errors: count5xx(r.statuses) });
      process.stdout.write(
        `(${kind}) round ${round}: ${placed} orders in ${r.seconds.toFixed(2)} s, ${Math.round(placed / r.seconds)} orders/s, p50 ${r.latency.p50} ms, p99 ${r.p99} ms, statuses ${JSON.stringify(Object.fromEntries(r.statuses))}, cpu of one core: server ${r.cpu.server} %\n`,
      );
    }
  }
  // Every discounted order got both the 满减 and its coupon, and each coupon went to one order.
  const discounted = await platform
    .knex('orders')
    .where({ tenant_id: disc.tenantId })
    .select(platform.knex.raw('COUNT(*) AS n'), platform.knex.raw('SUM(discount_fen = 1500) AS both_applied'))
    .first();
  const usedCoupons = Number(
    (await platform.knex('coupons').where({ tenant_id: disc.tenantId, state: 'used' }).count({ n: '*' }))[0].n,
  );
  process.stdout.write(
    `with discounts: ${discounted.n} orders, ${discounted.both_applied} with ¥10 满减 + ¥5 coupon, ${usedCoupons} coupons used\n`,
  );
  const mean = (xs) => xs.reduce((n, x) => n + x, 0) / xs.length;
  const withDiscounts = {
    orders_per_s: Math.round(mean(rounds.disc.map((r) => r.ordersPerS))),
    p99_ms: Math.round(mean(rounds.disc.map((r) => r.p99))),
  };
  const checkoutPlain = { orders_per_s: Math.round(mean(rounds.plain.map((r) => r.ordersPerS))) };
  process.stdout.write(
    `${JSON.stringify({
      bench: 'coupons',
      claim,
      checkout_with_discounts: withDiscounts,
      checkout_plain: checkoutPlain,
      ratio: Math.round((withDiscounts.orders_per_s / checkoutPlain.orders_per_s) * 100) / 100,
    })}\n`,
  );
} finally {
  await site.close();
  await platform.close();
}
