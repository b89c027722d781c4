// Benchmark: a flash sale (秒杀), exact and fast, against the real API in its own process.
//  (race)  2,000 signed-in shoppers, each with a pass, buy once at once (200 connections) on an item of 100 units with
//          a limit of one: exactly 100 orders, flash stock 0, no 5xx;
//  (one)   one shopper sends 50 requests at once on an item with a limit of one: one order;
//  (rush)  the sold-out item hammered for 10 s at 200 connections by the 2,000 shoppers in turn, each request a new
//          attempt (its own Idempotency-Key): requests/s and p99, answered by the Redis gate;
//  (ceiling) a bare Node server at the same 200 connections, for scale.
// The API is served as deployed on a machine of two cores: API_PROCESSES=2 (node:cluster); the rush is measured against
// one process as well (`rush_one_process`).
// The shoppers come from their own addresses (X-Forwarded-For behind a trusted proxy, as through a load balancer), so
// the per-address limit is each one's own.
//  (group) a group of 3 with two seats paid: 100 shoppers race for the last seat (no group may end over-full); then 20
//          groups of 3 with two paid members each run out of time and are ended twice at once, as a retried job would
//          (their time is moved into the past in the database: the bench cannot wait out a group's 15 minutes): every
//          paid member is refunded, none twice.
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
process.env.API_PROCESSES = process.env.API_PROCESSES ?? '2';
const site = await startServer('platform', NAME);
process.env.API_PROCESSES = '1';
const single = await startServer('platform', NAME);
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
  /** The sold-out item hammered through `server` for RUSH_SECONDS: requests/s, p99, 5xx, statuses and CPU shares. */
  async function rushAt(server) {
    let j = 0;
    const statuses = new Map();
    const serverCpu = () => server.pids.reduce((n, pid) => n + cpuSeconds(pid), 0);
    const before = { server: serverCpu(), generator: process.cpuUsage(), at: Date.now() };
    const result = await autocannon({
      url: server.url,
      connections: CONNECTIONS,
      duration: RUSH_SECONDS,
      requests: [
        {
          setupRequest: (req) => {
            const n = j++;
            return { ...req, ...request(race.itemId, racers[n % RACERS], n % RACERS, `rush-key-${n}`) };
          },
          onResponse: (status) => statuses.set(status, (statuses.get(status) ?? 0) + 1),
        },
      ],
    });
    const seconds = (Date.now() - before.at) / 1000;
    const generator = process.cpuUsage(before.generator);
    return {
      rps: Math.round(result.requests.average),
      p99_ms: result.latency.p99,
      errors_5xx: count5xx(statuses),
      statuses,
      cpu: {
        server: Math.round(((serverCpu() - before.server) / seconds) * 100),
        generator: Math.round(((generator.user + generator.system) / 1e6 / seconds) * 100),
      },
    };
  }
  const rushed = await rushAt(site);
  const rushedOne = await rushAt(single);
  const rush = { rps: rushed.rps, p99_ms: rushed.p99_ms, errors_5xx: rushed.errors_5xx };
  const rushOne = { rps: rushedOne.rps, p99_ms: rushedOne.p99_ms, errors_5xx: rushedOne.errors_5xx };
  const bare = await load({ url: ceiling.url, connections: CONNECTIONS, duration: RUSH_SECONDS });

  // ---- (group) -----------------------------------------------------------------------------------------------------
  const groupSku = await sku('拼团商品');
  const groupProduct = (await platform.knex('skus').where({ id: groupSku }).first()).product_id;
  const campaign = await api('POST', '/merchant-api/v1/group-campaigns', merchant, {
    name: '三人团',
    productId: Number(groupProduct),
    startsAt: new Date(Date.now() - 60_000).toISOString(),
    endsAt: new Date(Date.now() + 86_400_000).toISOString(),
    groupSize: 3,
    durationMinutes: 15,
    perShopperLimit: 5,
    items: [{ skuId: groupSku, groupPriceFen: 5_900 }],
  });
  const buyIn = (r, groupId, key) =>
    fetch(`${site.url}${shop(`/group-campaigns/${campaign.id}/orders`)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${r.token}`, 'idempotency-key': key },
      body: JSON.stringify({ skuId: groupSku, quantity: 1, addressId: r.addressId, ...(groupId ? { groupId } : {}) }),
    }).then(async (x) => ({ status: x.status, body: await x.json() }));
  const paySandbox = async (r, orderId) => {
    const pay = await api('POST', shop(`/orders/${orderId}/pay`), r.token, { method: 'sandbox' });
    await api('POST', shop(`/payments/${pay.paymentNo}/sandbox-confirm`), r.token);
  };
  /** A group with its leader's and one member's seats paid. */
  async function twoPaid(leader, member, tag) {
    const first = await buyIn(leader, undefined, `lead-${tag}`);
    await paySandbox(leader, first.body.id);
    const second = await buyIn(member, first.body.activity.id, `join-${tag}`);
    await paySandbox(member, second.body.id);
    return { groupId: first.body.activity.id, orders: [first.body.id, second.body.id] };
  }
  const last = await twoPaid(racers[0], racers[1], 'last');
  const seatResults = await Promise.all(
    racers.slice(2, 102).map((r, n) => buyIn(r, last.groupId, `seat-race-${n}`).then((x) => x.status)),
  );
  const failing = [];
  for (let g = 0; g < 20; g++) failing.push(await twoPaid(racers[200 + 2 * g], racers[201 + 2 * g], `fail-${g}`));
  await platform
    .knex('group_buy_groups')
    .whereIn(
      'id',
      failing.map((f) => f.groupId),
    )
    .update({ expires_at: new Date(Date.now() - 1000) });
  const ctx = { ...system, tenantId };
  await Promise.all(
    failing.flatMap((f) => [
      platform.services.groupBuy.end(ctx, f.groupId),
      platform.services.groupBuy.end(ctx, f.groupId),
    ]),
  );
  await platform.services.groupBuy.sweep(system);
  const overFull = Number(
    (
      await platform
        .knex('group_buy_groups')
        .where({ tenant_id: tenantId })
        .where((w) => w.whereRaw('seats > size').orWhereRaw('paid > size'))
        .count({ n: '*' })
    )[0].n,
  );
  const refundCounts = new Map();
  for (const r of await platform
    .knex('refunds')
    .where({ tenant_id: tenantId })
    .whereIn(
      'order_id',
      failing.flatMap((f) => f.orders),
    )
    .select('order_id'))
    refundCounts.set(Number(r.order_id), (refundCounts.get(Number(r.order_id)) ?? 0) + 1);
  const failedGroups = await platform
    .knex('group_buy_groups')
    .whereIn(
      'id',
      failing.map((f) => f.groupId),
    )
    .where({ status: 'failed' })
    .pluck('id');
  const group = {
    last_seat_racers: 100,
    last_seat_winners: seatResults.filter((x) => x === 201).length,
    over_full_groups: overFull,
    failed_groups: failedGroups.length,
    failed_groups_refunded: failing.filter(
      (f) => failedGroups.map(Number).includes(f.groupId) && f.orders.every((o) => refundCounts.get(o) === 1),
    ).length,
    double_refunds: [...refundCounts.values()].filter((n) => n > 1).length,
  };

  printTable([
    ['rush (sold out), 2 processes', { ...rush, errors: rush.errors_5xx }],
    ['rush (sold out), 1 process', { ...rushOne, errors: rushOne.errors_5xx }],
    ['bare node ceiling', bare],
  ]);
  const described = (r) =>
    `${JSON.stringify(Object.fromEntries(r.statuses))}, CPU: server ${r.cpu.server} %, generator ${r.cpu.generator} % of a core`;
  process.stdout.write(
    `race statuses: ${JSON.stringify(Object.fromEntries(raceStatuses))}\nrush, 2 processes: ${described(rushed)}\nrush, 1 process: ${described(rushedOne)}\n`,
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
      rush_one_process: rushOne,
      ceiling_rps: bare.rps,
      group,
    })}\n`,
  );
} finally {
  await single.close();
  await ceiling.close();
  await site.close();
  await platform.close();
}
