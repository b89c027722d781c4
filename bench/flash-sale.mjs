// Benchmark: a flash sale (秒杀), exact and fast, against the real API in its own process.
//  (race)  2,000 signed-in shoppers, each with a pass, buy once at once (200 connections) on an item of 100 units with
//          a limit of one: exactly 100 orders, flash stock 0, no 5xx;
//  (one)   one shopper sends 50 requests at once on an item with a limit of one: one order;
//  (rush)  the sold-out item hammered for 10 s at 200 connections by the 2,000 shoppers in turn, each request a new
//          attempt (its own Idempotency-Key): requests/s and p99, answered by the Redis gate;
//  (ceiling) a bare Node server at the same 200 connections, for scale.
// The shoppers come from their own addresses (X-Forwarded-For behind a trusted proxy, as through a load balancer), so
// the per-address limit is each one's own. Group buys are not built yet: their fields are null.
// Usage: npm run bench -- flash-sale
import { createRequire } from 'node:module';
import autocannon from 'autocannon';
import { count5xx, cpuSeconds, jsonApi, load, makeShoppers, openPlatform, printTable, startServer } from './lib.mjs';

const require = createRequire(import.meta.url);
const lib = require('../platform/dist/index.js');
const NAME = 'flash_sale';
const RACERS = 2_000;
const UNITS = 100;
const CONNECTIONS = 200;
const RUSH_SECONDS = 10;

process.env.TRUST_PROXY = 'true';
const platform = await openPlatform(NAME, { fresh: true });
const system = lib.systemContext(platform.log, 'bench');
const site = await startServer('platform', NAME);
const ceiling = await startServer('ceiling', NAME);
const api = jsonApi(site);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const slug = `bench-flash-${Date.now().toString(36)}`;
const tenantId = await platform.services.tenants.create(system, { slug, name: 'Flash bench', status: 'active' });
const owner = { email: `${slug}@bench.local`, password: 'bench-password-1', name: 'Bench', role: 'owner' };
await platform.services.identity.addMerchantUser(system, tenantId, owner);
const { accessToken: merchant } = await api('POST', '/merchant-api/v1/auth/login', null, {
  email: owner.email,
  password: owner.password,
});
const category = await api('POST', '/merchant-api/v1/catalog/categories', merchant, { name: '秒杀', parentId: null });
/** A product of one SKU at ¥99 with plenty of stock (each session its own: a SKU is in one session at a time). */
async function sku(title) {
  const product = await api('POST', '/merchant-api/v1/catalog/products', merchant, {
    title,
    subtitle: '',
    brand: '',
    tags: [],
    descriptionHtml: '',
    categoryId: category.id,
    imageIds: [],
    attributes: {},
    specs: [],
    skus: [{ specValues: [], priceFen: 9_900, stock: 1_000_000 }],
    status: 'on_sale',
  });
  return product.skus[0].id;
}
const shop = (path) => `/shop-api/v1/shops/${slug}${path}`;
const addressOf = (n) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

/** A session starting `inMs` from now with one item. */
async function session(stock, perShopperLimit, inMs) {
  const skuId = await sku(`秒杀商品 ${stock}-${perShopperLimit}-${inMs}`);
  const startsAt = new Date(Date.now() + inMs);
  const s = await api('POST', '/merchant-api/v1/flash-sessions', merchant, {
    name: `场次 ${Date.now()}`,
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
    paymentWindowMinutes: 5,
    items: [{ skuId, flashPriceFen: 990, stock, perShopperLimit }],
  });
  return { id: s.id, itemId: s.items[0].id, startsAt };
}

const passFor = (token, sessionId) =>
  fetch(`${site.url}${shop(`/flash-sales/${sessionId}/pass`)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  }).then((r) => r.json());

const request = (itemId, racer, n, key) => ({
  method: 'POST',
  path: shop(`/flash-items/${itemId}/orders`),
  headers: {
    'content-type': 'application/json',
    authorization: `Bearer ${racer.token}`,
    'idempotency-key': key,
    'x-forwarded-for': addressOf(n + 1),
  },
  body: JSON.stringify({ pass: racer.pass, quantity: 1, addressId: racer.addressId }),
});

try {
  const racers = await makeShoppers(platform, system, tenantId, RACERS, '50');

  // ---- (race) ------------------------------------------------------------------------------------------------------
  const race = await session(UNITS, 1, 8_000);
  for (let at = 0; at < racers.length; at += 200)
    await Promise.all(
      racers.slice(at, at + 200).map(async (r) => {
        r.pass = (await passFor(r.token, race.id)).pass;
      }),
    );
  await sleep(Math.max(0, race.startsAt.getTime() - Date.now() + 50));
  let k = 0;
  const raceStatuses = new Map();
  await autocannon({
    url: site.url,
    connections: CONNECTIONS,
    amount: RACERS,
    requests: [
      {
        setupRequest: (req) => {
          const n = k++;
          return { ...req, ...request(race.itemId, racers[n], n, `race-key-${n}`) };
        },
        onResponse: (status) => raceStatuses.set(status, (raceStatuses.get(status) ?? 0) + 1),
      },
    ],
  });
  const item = await platform.knex('flash_items').where({ id: race.itemId }).first();
  const orders = Number(
    (await platform.knex('flash_orders').where({ tenant_id: tenantId, item_id: race.itemId }).count({ n: '*' }))[0].n,
  );

  // ---- (one) -------------------------------------------------------------------------------------------------------
  const one = await session(10, 1, 2_000);
  const me = racers[0];
  const myPass = (await passFor(me.token, one.id)).pass;
  await sleep(Math.max(0, one.startsAt.getTime() - Date.now() + 50));
  const answers = await Promise.all(
    Array.from({ length: 50 }, (_, n) => {
      const r = request(one.itemId, { ...me, pass: myPass }, 0, `one-key-${n}`);
      return fetch(`${site.url}${r.path}`, { method: 'POST', headers: r.headers, body: r.body }).then((x) => x.status);
    }),
  );

  // ---- (rush) ------------------------------------------------------------------------------------------------------
  let j = 0;
  const rushStatuses = new Map();
  const cpuBefore = { server: cpuSeconds(site.pid), generator: process.cpuUsage(), at: Date.now() };
  const rushResult = await autocannon({
    url: site.url,
    connections: CONNECTIONS,
    duration: RUSH_SECONDS,
    requests: [
      {
        setupRequest: (req) => {
          const n = j++;
          return { ...req, ...request(race.itemId, racers[n % RACERS], n % RACERS, `rush-key-${n}`) };
        },
        onResponse: (status) => rushStatuses.set(status, (rushStatuses.get(status) ?? 0) + 1),
      },
    ],
  });
  const rushSeconds = (Date.now() - cpuBefore.at) / 1000;
  const generatorCpu = process.cpuUsage(cpuBefore.generator);
  const cpu = {
    server: Math.round(((cpuSeconds(site.pid) - cpuBefore.server) / rushSeconds) * 100),
    generator: Math.round(((generatorCpu.user + generatorCpu.system) / 1e6 / rushSeconds) * 100),
  };
  const rush = {
    rps: Math.round(rushResult.requests.average),
    p99_ms: rushResult.latency.p99,
    errors_5xx: count5xx(rushStatuses),
  };
  const soldOut = rushStatuses.get(409) ?? 0;
  const bare = await load({ url: ceiling.url, connections: CONNECTIONS, duration: RUSH_SECONDS });

  printTable([
    ['rush (sold out)', { ...rush, errors: rush.errors_5xx }],
    ['bare node ceiling', bare],
  ]);
  process.stdout.write(
    `race statuses: ${JSON.stringify(Object.fromEntries(raceStatuses))}; rush statuses: ${JSON.stringify(
      Object.fromEntries(rushStatuses),
    )} (${soldOut} sold out); rush CPU: server ${cpu.server} %, generator ${cpu.generator} % of a core\n`,
  );
  process.stdout.write(
    `${JSON.stringify({
      bench: 'flash-sale',
      racers: RACERS,
      units: UNITS,
      orders,
      stock_left: Number(item.stock) - Number(item.sold),
      errors_5xx: count5xx(raceStatuses),
      one_shopper_parallel: { requests: 50, limit: 1, orders: answers.filter((s) => s === 201).length },
      rush,
      ceiling_rps: bare.rps,
      group: { last_seat_racers: 100, over_full_groups: null, failed_groups_refunded: null, double_refunds: null },
    })}\n`,
  );
} finally {
  await ceiling.close();
  await site.close();
  await platform.close();
}
