// Benchmark: the money path under load, against the real API in its own process.
//  (a) 1,000 distinct shoppers place orders at 100 connections on 20 SKUs with stock enough (after a
//      warm-up of 500 orders by other shoppers, not measured);
//  (s) sustained: 30 s at 100 connections on the same SKUs, by 12,000 other shoppers taken in turn (each
//      places at most 5 orders, the unpaid-order limit), so the figures are not decided by the opening second;
//  (b) 2,000 distinct shoppers race for one SKU with 100 in stock: exactly 100 orders, stock 0, no 5xx;
//  (c) every order of (b) is paid in the sandbox, each notification sent twice (plus a second notification
//      of the same payment) in shuffled order: every order must end paid exactly once;
//  (d) 限购: 300 shoppers of (a) each send 10 orders at once of a product limited to 3 per shopper (100 connections):
//      every shopper must end with exactly 3 units of it, none more.
// Usage: npm run bench -- checkout
import { createHmac, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { benchEnv, count5xx, fireOrders, jsonApi, makeShoppers, openPlatform, startServer } from './lib.mjs';

const require = createRequire(import.meta.url);
const lib = require('../platform/dist/index.js');
const NAME = 'checkout';
const env = benchEnv(NAME);

const platform = await openPlatform(NAME, { fresh: true });
const ctx = lib.systemContext(platform.log, 'bench');
const slug = `bench-${Date.now().toString(36)}`;
const tenantId = await platform.services.tenants.create(ctx, { slug, name: 'Checkout bench', status: 'active' });
const owner = { email: `${slug}@bench.local`, password: 'bench-password-1', name: 'Bench', role: 'owner' };
await platform.services.identity.addMerchantUser(ctx, tenantId, owner);
const shoppers = (n, prefix) => makeShoppers(platform, ctx, tenantId, n, prefix);

const site = await startServer('platform', NAME);
const api = jsonApi(site);

const fire = (bodies, connections, duration) => fireOrders(site, slug, bodies, connections, duration);

const SUSTAINED_SECONDS = 30;
// Each shopper may hold 5 unpaid orders: 12,000 shoppers taken in turn carry 60,000 orders, 2,000 orders/s for 30 s.
const SUSTAINED_SHOPPERS = 12_000;

try {
  const { accessToken: merchant } = await api('POST', '/merchant-api/v1/auth/login', null, {
    email: owner.email,
    password: owner.password,
  });
  const category = await api('POST', '/merchant-api/v1/catalog/categories', merchant, { name: '基准', parentId: null });
  const product = (title, priceFen, stock, limits = {}) =>
    api('POST', '/merchant-api/v1/catalog/products', merchant, {
      title,
      subtitle: '',
      brand: '',
      tags: [],
      descriptionHtml: '',
      categoryId: category.id,
      imageIds: [],
      attributes: {},
      specs: [],
      skus: [{ specValues: [], priceFen, stock }],
      status: 'on_sale',
      ...limits,
    });
  const skus = [];
  for (let n = 0; n < 20; n++) skus.push((await product(`商品 ${n}`, 990 + n, 100_000)).skus[0].id);
  const hot = (await product('限量款', 9900, 100)).skus[0].id;
  const limitedProduct = await product('限购款', 1990, 100_000, { limits: { perOrder: null, perShopper: 3 } });
  const limited = limitedProduct.skus[0].id;
  process.stdout.write('shop ready; creating 15,500 shoppers\n');
  const warmers = await shoppers(500, '29');
  const crowd = await shoppers(1000, '30');
  const racers = await shoppers(2000, '31');
  const sustainers = await shoppers(SUSTAINED_SHOPPERS, '32');

  // Warm-up, not measured: other shoppers' orders first, so (a) meets a server in its steady state
  // (JIT-compiled code, the database pool's connections open, caches filled) rather than a cold start.
  const warm = await fire(
    warmers.map((s, n) => ({
      token: s.token,
      body: { items: [{ skuId: skus[n % 20], quantity: 1 }], addressId: s.addressId },
    })),
    100,
  );
  process.stdout.write(`warm-up: ${warm.statuses.get(201) ?? 0} orders in ${warm.seconds.toFixed(2)} s\n`);

  // (a) throughput
  const a = await fire(
    crowd.map((s, n) => ({
      token: s.token,
      body: { items: [{ skuId: skus[n % 20], quantity: 1 + (n % 2) }], addressId: s.addressId },
    })),
    100,
  );
  const placed = a.statuses.get(201) ?? 0;
  const ordersPerS = Math.round(placed / a.seconds);
  process.stdout.write(
    `(a) ${placed} orders in ${a.seconds.toFixed(2)} s: ${ordersPerS} orders/s, p50 ${a.latency.p50} ms, p90 ${a.latency.p90} ms, p99 ${a.p99} ms, max ${a.latency.max} ms (p99 of the first request on each new connection ${a.p99Of.first} ms, of the others ${a.p99Of.later} ms), statuses ${JSON.stringify(Object.fromEntries(a.statuses))}, cpu of one core: server ${a.cpu.server} %, load generator ${a.cpu.generator} %\n`,
  );

  // (s) sustained
  const sus = await fire(
    sustainers.map((s, n) => ({
      token: s.token,
      body: { items: [{ skuId: skus[n % 20], quantity: 1 }], addressId: s.addressId },
    })),
    100,
    SUSTAINED_SECONDS,
  );
  const sustained = {
    orders_per_s: Math.round((sus.statuses.get(201) ?? 0) / sus.seconds),
    p50_ms: sus.latency.p50,
    p99_ms: sus.p99,
    errors_5xx: count5xx(sus.statuses),
  };
  process.stdout.write(
    `(s) sustained ${sus.seconds.toFixed(1)} s: ${sus.statuses.get(201) ?? 0} orders, ${sustained.orders_per_s} orders/s, p50 ${sus.latency.p50} ms, p90 ${sus.latency.p90} ms, p99 ${sus.p99} ms, max ${sus.latency.max} ms, statuses ${JSON.stringify(Object.fromEntries(sus.statuses))}, cpu of one core: server ${sus.cpu.server} %, load generator ${sus.cpu.generator} %\n`,
  );

  // (b) the race for one SKU
  const b = await fire(
    racers.map((s) => ({ token: s.token, body: { items: [{ skuId: hot, quantity: 1 }], addressId: s.addressId } })),
    100,
  );
  const raceOrders = Number(
    (await platform.knex('order_items').where({ tenant_id: tenantId, sku_id: hot }).count({ n: '*' }))[0].n,
  );
  const stockLeft = Number((await platform.knex('skus').where({ id: hot }).first()).stock);
  const errors5xx = count5xx(b.statuses);
  process.stdout.write(
    `(b) race: ${raceOrders} orders, stock left ${stockLeft}, statuses ${JSON.stringify(Object.fromEntries(b.statuses))}\n`,
  );

  // (c) each paid order's notification twice, out of order (sandbox, signed as the platform's sandbox signs)
  const winners = await platform
    .knex('orders as o')
    .join('order_items as i', 'i.order_id', 'o.id')
    .where({ 'o.tenant_id': tenantId, 'i.sku_id': hot })
    .select('o.id', 'o.shopper_id');
  const tokenOf = new Map();
  const racerIds = (
    await platform
      .knex('shoppers')
      .where({ tenant_id: tenantId })
      .where('phone', 'like', '131%')
      .orderBy('id')
      .select('id')
  ).map((r) => Number(r.id));
  racerIds.forEach((id, n) => tokenOf.set(id, racers[n].token));
  const key = createHmac('sha256', env.AUTH_SECRET).update(`sandbox-payments:${tenantId}`).digest();
  const deliveries = [];
  for (const w of winners) {
    const pay = await api('POST', `/shop-api/v1/shops/${slug}/orders/${w.id}/pay`, tokenOf.get(Number(w.shopper_id)), {
      method: 'sandbox',
    });
    const notification = () => {
      const body = JSON.stringify({
        id: randomUUID(),
        event: 'payment.succeeded',
        paymentNo: pay.paymentNo,
        amountFen: pay.amountFen,
        transactionId: `SANDBOX-${pay.paymentNo}`,
      });
      const ts = String(Math.floor(Date.now() / 1000));
      return {
        body,
        headers: {
          'content-type': 'application/json',
          'x-sandbox-timestamp': ts,
          'x-sandbox-signature': createHmac('sha256', key).update(`${ts}\n${body}`).digest('base64'),
        },
      };
    };
    const first = notification();
    deliveries.push(first, first, notification());
  }
  deliveries.sort(() => Math.random() - 0.5);
  const acks = await Promise.all(
    deliveries.map((d) =>
      fetch(`${site.url}/webhooks/pay/sandbox/${tenantId}`, { method: 'POST', headers: d.headers, body: d.body }).then(
        (r) => r.status,
      ),
    ),
  );
  const paidEvents = await platform
    .knex('order_events')
    .where({ tenant_id: tenantId, type: 'paid' })
    .whereIn(
      'order_id',
      winners.map((w) => w.id),
    )
    .select('order_id')
    .count({ n: '*' })
    .groupBy('order_id');
  const paidOnce = paidEvents.filter((r) => Number(r.n) === 1).length;
  const doublePaid =
    paidEvents.filter((r) => Number(r.n) > 1).length +
    Number(
      (await platform.knex('refunds').where({ tenant_id: tenantId, kind: 'duplicate_payment' }).count({ n: '*' }))[0].n,
    );
  process.stdout.write(
    `(c) ${deliveries.length} notifications for ${winners.length} orders (acks ${JSON.stringify(acks.reduce((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {}))}): ${paidOnce} paid once, ${doublePaid} paid twice\n`,
  );

  // (d) the per-shopper limit under a rush of each shopper's own orders
  const limitedBuyers = crowd.slice(0, 300);
  const d = await fire(
    limitedBuyers.flatMap((s) =>
      Array.from({ length: 10 }, () => ({
        token: s.token,
        body: { items: [{ skuId: limited, quantity: 1 }], addressId: s.addressId },
      })),
    ),
    100,
  );
  const unitsPerShopper = await platform
    .knex('order_items as i')
    .join('orders as o', 'o.id', 'i.order_id')
    .where({ 'i.tenant_id': tenantId, 'i.product_id': limitedProduct.id })
    .whereNot('o.status', 'cancelled')
    .groupBy('o.shopper_id')
    .select('o.shopper_id')
    .sum({ units: 'i.quantity' });
  const purchaseLimit = {
    shoppers: limitedBuyers.length,
    requests: limitedBuyers.length * 10,
    placed: d.statuses.get(201) ?? 0,
    shoppers_at_limit: unitsPerShopper.filter((r) => Number(r.units) === 3).length,
    over_limit: unitsPerShopper.filter((r) => Number(r.units) > 3).length,
    p99_ms: d.p99,
    errors_5xx: count5xx(d.statuses),
  };
  process.stdout.write(
    `(d) 限购 3: ${purchaseLimit.placed} orders placed for ${purchaseLimit.shoppers} shoppers in ${d.seconds.toFixed(2)} s, ${purchaseLimit.shoppers_at_limit} shoppers at the limit, ${purchaseLimit.over_limit} over it, statuses ${JSON.stringify(Object.fromEntries(d.statuses))}\n`,
  );

  process.stdout.write(
    `${JSON.stringify({ bench: 'checkout', orders_per_s: ordersPerS, p99_ms: a.p99, sustained, race: { orders: raceOrders, stock_left: stockLeft, errors_5xx: errors5xx }, double_paid: doublePaid, purchase_limit: purchaseLimit })}\n`,
  );
} finally {
  await site.close();
  await platform.close();
}
