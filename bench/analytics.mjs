// Benchmark: the merchant's dashboard over a year of one busy shop, and the exactness of its roll-ups.
//  (fill)      one shop, a year up to now: 1,000,000 orders (placed; 93 % paid minutes later, some across an hour or a
//              midnight; 1–3 lines of 2,000 products), refunds days after payment, and the shop's page views, product
//              views and cart adds of its visitors (seeded random, weekly and daily rhythms). Orders enter as the order
//              services record them (the analytics module's own `orderEventRows`, written by its repository in
//              batches); the orders tables play no part in the figures;
//  (roll-up)   everything rolled up by the module's roll-up, as the job does;
//  (late)      then late events (stamped up to 6 days ago, sent through the shop's HTTP endpoint) and refunds of old
//              orders arrive, and the dashboard's reads roll them up;
//  (dashboard) every dashboard query through HTTP, 60 times each (today, 7 and 30 days, random custom ranges up to a
//              year): p95 per query, `dashboard_p95_ms` the worst;
//  (exactness) every hourly, daily, product-daily and product-monthly row compared with a recomputation straight from
//              the raw events in SQL (`rollup_mismatches`: rows that differ, or are missing, or are extra), and the
//              visitors of a 30-day and a 365-day range against an exact COUNT(DISTINCT).
// Usage: npm run bench -- analytics [orders]        (BENCH_ORDERS=… also sets the orders, default 1,000,000)
import { createRequire } from 'node:module';
import { jsonApi, openPlatform, startServer } from './lib.mjs';

const require = createRequire(import.meta.url);
const lib = require('../platform/dist/index.js');
const NAME = 'analytics';
const ORDERS = Number(process.argv[2] ?? process.env.BENCH_ORDERS ?? 1_000_000);
const PRODUCTS = 2_000;
const DAYS = 365;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const BATCH = 4_000;

/** mulberry32: the same data every run. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = seeded(20261206);
const pick = (n, skew) => Math.min(n - 1, Math.floor(n * Math.pow(rand(), skew)));
const log = (msg) => process.stderr.write(`[analytics] ${msg}\n`);

const platform = await openPlatform(NAME, { fresh: true });
const system = lib.systemContext(platform.log, 'bench');
const k = platform.knex;
const repo = lib.analyticsRepository(new lib.Database(k));
const rows = lib.orderEventRows;

const slug = `bench-data-${Date.now().toString(36)}`;
const tenantId = await platform.services.tenants.create(system, { slug, name: '数据基准店', status: 'active' });
const ctx = { ...system, tenantId };
const owner = { email: `${slug}@bench.local`, password: 'bench-password-1', name: 'Bench', role: 'owner' };
await platform.services.identity.addMerchantUser(system, tenantId, owner);

// ---- fill ---------------------------------------------------------------------------------------------------------
const now = Date.now();
const today = lib.chinaDay(new Date(now));
const firstDay = new Date(Date.parse(`${today}T00:00:00+08:00`) - (DAYS - 1) * DAY);
const price = Array.from({ length: PRODUCTS }, () => 990 + Math.floor(rand() * 40) * 500);
// China hours of the day, weighted: quiet nights, peaks late morning and evening.
const hourWeight = [2, 1, 1, 1, 1, 1, 2, 4, 6, 8, 10, 11, 10, 8, 8, 9, 9, 9, 10, 12, 14, 14, 10, 5];
const hourTotal = hourWeight.reduce((a, b) => a + b, 0);
const dayWeight = Array.from({ length: DAYS }, (_x, d) => {
  const weekday = new Date(firstDay.getTime() + d * DAY + 8 * HOUR).getUTCDay();
  return (0.7 + (0.6 * d) / DAYS) * (weekday === 0 || weekday === 6 ? 1.3 : 1) * (0.85 + 0.3 * rand());
});
const weightSum = dayWeight.reduce((a, b) => a + b, 0);
const ordersOfDay = dayWeight.map((w) => Math.round((ORDERS * w) / weightSum));
ordersOfDay[DAYS - 1] += ORDERS - ordersOfDay.reduce((a, b) => a + b, 0);

function momentIn(dayStart) {
  let r = rand() * hourTotal;
  let h = 0;
  while (r > hourWeight[h]) r -= hourWeight[h++];
  return dayStart + h * HOUR + Math.floor(rand() * HOUR);
}

let pending = [];
let events = 0;
async function put(list) {
  pending.push(...list);
  if (pending.length >= BATCH) await drain();
}
async function drain() {
  while (pending.length) {
    const batch = pending.splice(0, BATCH);
    await repo.record(ctx, batch);
    events += batch.length;
  }
}

const started = Date.now();
let orderId = 0;
let refundId = 0;
let placedCount = 0;
const refundsLater = [];
for (let d = 0; d < DAYS; d++) {
  const dayStart = firstDay.getTime() + d * DAY;
  const day = [];
  for (let i = 0; i < ordersOfDay[d]; i++) {
    const at = momentIn(dayStart);
    if (at > now) continue;
    const id = ++orderId;
    const shopperId = 1 + pick(300_000, 1.6);
    const lines = Array.from({ length: 1 + pick(3, 2) }, () => {
      const productId = 1 + pick(PRODUCTS, 2.2);
      const quantity = 1 + pick(3, 2.5);
      return { productId, quantity, paidFen: price[productId - 1] * quantity };
    });
    const goods = lines.reduce((s, l) => s + l.paidFen, 0);
    const totalFen = goods + (goods >= 9900 ? 0 : 800);
    day.push(...rows.placed({ orderId: id, shopperId, totalFen, at: new Date(at) }));
    placedCount++;
    const paidAt = at + Math.floor(rand() * 20 * 60_000);
    if (rand() < 0.93 && paidAt <= now) {
      day.push(...rows.paid({ orderId: id, shopperId, paidFen: totalFen, lines, at: new Date(paidAt) }));
      if (rand() < 0.06) {
        const refundAt = paidAt + Math.floor((1 + rand() * 14) * DAY);
        const amountFen = rand() < 0.5 ? totalFen : Math.max(1, Math.floor(totalFen * rand()));
        const r = { refundId: ++refundId, orderId: id, shopperId, amountFen, at: new Date(refundAt) };
        if (refundAt <= now - 7 * DAY) day.push(...rows.refunded(r));
        else if (refundAt <= now) refundsLater.push(r);
      }
    }
  }
  // The shop's visitors: about two devices a day per order, each a visit of a few views.
  const visitors = Math.round(ordersOfDay[d] * 2);
  for (let v = 0; v < visitors; v++) {
    const device = `dev${pick(600_000, 1.4).toString(36).padStart(6, '0')}`;
    const session = `vs${d}x${v}`;
    let at = momentIn(dayStart);
    const views = 1 + pick(4, 1.5);
    for (let p = 0; p < views && at <= now; p++) {
      const base = {
        eventId: `ev${d}x${v}x${p}`,
        line: 0,
        occurredAt: new Date(at),
        visitor: device,
        sessionId: session,
      };
      if (p === 0 || rand() < 0.3) day.push({ ...base, kind: 'page_view', page: 'pages/index/index' });
      else {
        const productId = 1 + pick(PRODUCTS, 2.2);
        day.push({ ...base, kind: 'product_view', productId });
        if (rand() < 0.15)
          day.push({ ...base, eventId: `${base.eventId}c`, kind: 'add_to_cart', productId, quantity: 1 });
      }
      at += Math.floor(rand() * 5 * 60_000);
    }
  }
  await put(day);
  if (d % 30 === 29) log(`filled ${d + 1} days: ${events + pending.length} events`);
}
await drain();
const fillS = (Date.now() - started) / 1000;
log(`filled: ${placedCount} orders, ${events} event rows in ${fillS.toFixed(0)} s`);

// ---- roll-up --------------------------------------------------------------------------------------------------------
const rollStarted = Date.now();
await platform.services.analytics.rollUp(ctx);
const rollupS = (Date.now() - rollStarted) / 1000;
log(`rolled up in ${rollupS.toFixed(1)} s`);

// ---- late events and refunds, through the real paths ------------------------------------------------------------
const site = await startServer('platform', NAME);
const api = jsonApi(site);
const { accessToken: merchant } = await api('POST', '/merchant-api/v1/auth/login', null, {
  email: owner.email,
  password: owner.password,
});
let lateSent = 0;
for (let b = 0; b < 40; b++) {
  const device = `late-device-${b}`;
  const batch = Array.from({ length: 50 }, (_x, i) => {
    const at = now - Math.floor((0.5 + rand() * 5.5) * DAY);
    return i % 3 === 0
      ? {
          id: `late-event-${b}-${i}`,
          kind: 'page_view',
          at: new Date(at).toISOString(),
          session: `late-s-${b}`,
          page: 'pages/index/index',
        }
      : {
          id: `late-event-${b}-${i}`,
          kind: 'product_view',
          at: new Date(at).toISOString(),
          session: `late-s-${b}`,
          productId: 1 + pick(PRODUCTS, 2.2),
        };
  });
  const res = await api('POST', `/shop-api/v1/shops/${slug}/events`, null, { device, events: batch });
  lateSent += res.accepted;
}
for (const r of refundsLater) await platform.services.analytics.orderRefunded(ctx, r);
log(`late: ${lateSent} shop events, ${refundsLater.length} refunds of the last week`);
// The first read rolls them up (the job would within a minute).
await api('GET', `/merchant-api/v1/analytics/overview?from=${today}&to=${today}`, merchant);
await platform.services.analytics.rollUp(ctx);

// ---- dashboard ----------------------------------------------------------------------------------------------------
const addDays = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const firstDayText = lib.chinaDay(firstDay);
function customRange() {
  const span = 2 + Math.floor(rand() * 365);
  const from = addDays(firstDayText, Math.floor(rand() * (DAYS - span + 1)));
  return [from, addDays(from, span - 1)];
}
const fixed = (from, to) => () => [from, to];
const ranges = {
  today: fixed(today, today),
  yesterday: fixed(addDays(today, -1), addDays(today, -1)),
  '7d': fixed(addDays(today, -6), today),
  '30d': fixed(addDays(today, -29), today),
  year: fixed(firstDayText, today),
  custom: customRange,
};
const queries = [];
for (const [name, range] of Object.entries(ranges)) {
  queries.push([`overview ${name}`, () => `/analytics/overview?from=${range()[0]}&to=${range()[1]}`]);
  queries.push([`trend ${name}`, () => `/analytics/trend?from=${range()[0]}&to=${range()[1]}`]);
  queries.push([`products by sales ${name}`, () => `/analytics/products?from=${range()[0]}&to=${range()[1]}&by=sales`]);
  queries.push([`products by views ${name}`, () => `/analytics/products?from=${range()[0]}&to=${range()[1]}&by=views`]);
}
queries.push(['pending work', () => '/pending-work']);
// A custom query picks one range for both ends.
for (const q of queries)
  if (q[0].endsWith('custom')) {
    const kind = q[0].split(' ')[0];
    q[1] = () => {
      const [from, to] = customRange();
      return kind === 'overview'
        ? `/analytics/overview?from=${from}&to=${to}`
        : kind === 'trend'
          ? `/analytics/trend?from=${from}&to=${to}`
          : `/analytics/products?from=${from}&to=${to}&by=${q[0].includes('views') ? 'views' : 'sales'}`;
    };
  }

const p95 = (list) => [...list].sort((a, b) => a - b)[Math.ceil(list.length * 0.95) - 1];
const results = [];
for (const [name, path] of queries) {
  const times = [];
  for (let i = 0; i < 65; i++) {
    const t0 = performance.now();
    await api('GET', `/merchant-api/v1${path()}`, merchant);
    if (i >= 5) times.push(performance.now() - t0); // the first five warm the caches
  }
  results.push([name, p95(times), times.sort((a, b) => a - b)[Math.floor(times.length / 2)]]);
}
for (const [name, p, med] of results)
  log(`${name.padEnd(28)} p95 ${p.toFixed(1).padStart(7)} ms   p50 ${med.toFixed(1).padStart(7)} ms`);
const dashboardP95 = Math.max(...results.map((r) => r[1]));

// ---- exactness: every rolled-up row against SQL over the raw events --------------------------------------------
const ex = async (sql, args) => (await k.raw(sql, args))[0];
const china = "convert_tz(occurred_at, '+00:00', '+08:00')";
const figures = `
  sum(kind = 'page_view') page_views, sum(kind = 'product_view') product_views, sum(kind = 'add_to_cart') cart_adds,
  count(distinct case when kind in ('page_view','product_view','add_to_cart') then visitor end) visitors,
  sum(kind = 'order_placed') orders_placed, coalesce(sum(case when kind = 'order_placed' then amount_fen end), 0) placed_fen,
  sum(kind = 'order_paid') orders_paid, count(distinct case when kind = 'order_paid' then visitor end) payers,
  coalesce(sum(case when kind = 'order_paid' then amount_fen end), 0) gmv_fen,
  sum(kind = 'order_refunded') refunds, count(distinct case when kind = 'order_refunded' then order_id end) refunded_orders,
  coalesce(sum(case when kind = 'order_refunded' then amount_fen end), 0) refund_fen`;
const cols = [
  'page_views',
  'product_views',
  'cart_adds',
  'visitors',
  'orders_placed',
  'placed_fen',
  'orders_paid',
  'payers',
  'gmv_fen',
  'refunds',
  'refunded_orders',
  'refund_fen',
];
function compare(label, expected, actual, keyOf, columns) {
  const got = new Map(actual.map((r) => [keyOf(r), r]));
  let bad = 0;
  for (const e of expected) {
    const a = got.get(keyOf(e));
    got.delete(keyOf(e));
    if (!a || columns.some((c) => Number(a[c]) !== Number(e[c]))) {
      if (bad < 3) log(`${label} mismatch at ${keyOf(e)}: expected ${JSON.stringify(e)} got ${JSON.stringify(a)}`);
      bad++;
    }
  }
  // Rows the roll-up has that the events do not (all zero rows aside).
  for (const [key, a] of got)
    if (columns.some((c) => Number(a[c]) !== 0)) {
      log(`${label} extra row ${key}`);
      bad++;
    }
  return bad;
}
const exStarted = Date.now();
let mismatches = 0;
mismatches += compare(
  'hourly',
  await ex(
    `select date_format(occurred_at, '%Y-%m-%d %H') h, ${figures}
       from analytics_events where tenant_id = ? group by h`,
    [tenantId],
  ),
  await ex(`select date_format(hour, '%Y-%m-%d %H') h, t.* from analytics_hourly t where tenant_id = ?`, [tenantId]),
  (r) => r.h,
  cols,
);
const dayCols = [...cols, 'product_viewers', 'cart_adders', 'buyers'];
mismatches += compare(
  'daily',
  await ex(
    `select date_format(${china}, '%Y-%m-%d') d, ${figures},
            count(distinct case when kind = 'product_view' then visitor end) product_viewers,
            count(distinct case when kind = 'add_to_cart' then visitor end) cart_adders,
            count(distinct case when kind = 'order_placed' then visitor end) buyers
       from analytics_events where tenant_id = ? group by d`,
    [tenantId],
  ),
  await ex(`select date_format(day, '%Y-%m-%d') d, t.* from analytics_daily t where tenant_id = ?`, [tenantId]),
  (r) => r.d,
  dayCols,
);
const productFigures = `sum(kind = 'product_view') views, sum(kind = 'add_to_cart') cart_adds,
  coalesce(sum(case when kind = 'item_paid' then quantity end), 0) paid_units,
  coalesce(sum(case when kind = 'item_paid' then amount_fen end), 0) paid_fen`;
const productCols = ['views', 'cart_adds', 'paid_units', 'paid_fen'];
mismatches += compare(
  'product daily',
  await ex(
    `select date_format(${china}, '%Y-%m-%d') d, product_id, ${productFigures}
       from analytics_events where tenant_id = ? and product_id is not null group by d, product_id`,
    [tenantId],
  ),
  await ex(`select date_format(day, '%Y-%m-%d') d, t.* from analytics_product_daily t where tenant_id = ?`, [tenantId]),
  (r) => `${r.d}/${r.product_id}`,
  productCols,
);
const thisMonth = `${today.slice(0, 7)}-01`;
mismatches += compare(
  'product monthly',
  await ex(
    `select date_format(${china}, '%Y-%m-01') m, product_id, ${productFigures}
       from analytics_events where tenant_id = ? and product_id is not null and ${china} < ?
      group by m, product_id`,
    [tenantId, thisMonth],
  ),
  await ex(`select date_format(month, '%Y-%m-01') m, t.* from analytics_product_monthly t where tenant_id = ?`, [
    tenantId,
  ]),
  (r) => `${r.m}/${r.product_id}`,
  productCols,
);
// Visitors of long ranges: HyperLogLog against an exact count.
const uvError = {};
for (const [name, from] of [
  ['30d', addDays(today, -29)],
  ['365d', firstDayText],
]) {
  const [{ n }] = await ex(
    `select count(distinct visitor) n from analytics_events
      where tenant_id = ? and kind in ('page_view','product_view','add_to_cart') and occurred_at >= ?`,
    [tenantId, new Date(`${from}T00:00:00+08:00`)],
  );
  const shown = (await api('GET', `/merchant-api/v1/analytics/overview?from=${from}&to=${today}`, merchant)).figures
    .visitors;
  uvError[name] = Math.abs(shown - Number(n)) / Number(n);
  log(`visitors ${name}: exact ${n}, shown ${shown} (${(uvError[name] * 100).toFixed(2)} %)`);
}
log(`exactness checked in ${((Date.now() - exStarted) / 1000).toFixed(0)} s`);

await site.close();
await platform.close();
process.stdout.write(
  `${JSON.stringify({
    bench: 'analytics',
    orders: placedCount,
    events: events + lateSent + refundsLater.length,
    dashboard_p95_ms: Math.round(dashboardP95 * 10) / 10,
    rollup_mismatches: mismatches,
    rollup_s: Math.round(rollupS * 10) / 10,
    uv_error_30d: Math.round(uvError['30d'] * 10_000) / 10_000,
    uv_error_365d: Math.round(uvError['365d'] * 10_000) / 10_000,
  })}\n`,
);
