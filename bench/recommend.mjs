// Benchmark: recommendations on a shop with structure, against the real API in its own process.
//  - the shop: 20,000 products in 200 categories (20 top categories of 10), loaded through the product import as a
//    merchant would (CSV upload → queued job → worker); each category's products popular in a Zipf-like way;
//  - 10,000 shoppers (sign-in's rows and sessions, as bench/lib.mjs makes them), each fond of two or three categories
//    of one top category and one elsewhere; their visits (3 to 12 product views, some cart adds, a third of them ending
//    in an order of the product, a quarter of those with a product of a neighbouring category) over the last six
//    days, seeded: about a million events once each shopper's last purchase (its visit and what came after) is held out;
//  - the events go in as the shop and the services send them: the device's views and cart adds through
//    `POST /shop-api/v1/shops/:shopKey/events` (batches of 50), each paid order through analytics' own service
//    (`orderPaid`, what the payment workflow calls; the orders themselves are not placed);
//  - the nightly rebuild is timed (build_s); then every shopper asks 猜你喜欢 (device and sign-in) through HTTP at 8
//    connections: hit rate@10 = the share whose held-out purchase is among the ten; the popularity baseline = the ten
//    most bought products (less what the shopper bought). The requests are sent three times: as fast as they go with
//    cold caches (the hit rates; its p99 printed), at 200 requests a second sent at evenly spaced instants from a load
//    process of its own (serve_p99_ms: the latency a shopper sees at a busy shop's rate, beside the server's CPU per
//    request and the health check's p99 sent the same way), and as fast as they go again (the most the machine
//    serves, and the p99 of that queue).
// Usage: npm run bench -- recommend
import { createRequire } from 'node:module';
import autocannon from 'autocannon';
import { stringify } from 'csv-stringify/sync';
import { cpuSeconds, jsonApi, makeShoppers, openPlatform, paced, startServer } from './lib.mjs';

const require = createRequire(import.meta.url);
const lib = require('../platform/dist/index.js');
const { startWorkers } = require('../workers/dist/worker.js');
const NAME = 'recommend';
const SEED = 2026;
const TOPS = 20;
const LEAVES_PER_TOP = 10;
const PRODUCTS = 20_000;
const SHOPPERS = 10_000;
/** Events generated: about a million stay once the last purchases are held out. */
const GENERATED = 1_290_000;
const DAYS = 6;
const CONNECTIONS = 8;
/** The rate serving is measured at: a busy shop's guess-you-like requests per second. */
const RATE = 200;

/** A seeded generator of floats in [0, 1) (mulberry32). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cumulate = (weights) => {
  let sum = 0;
  return weights.map((w) => (sum += w));
};

/** An index drawn by cumulative weights. */
function pick(rand, cumulative) {
  const x = rand() * cumulative[cumulative.length - 1];
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The shop's history, seeded: each shopper's visits in time order, and their last purchase held out. */
function generate(now) {
  const rand = random(SEED);
  const leaves = TOPS * LEAVES_PER_TOP;
  const perLeaf = PRODUCTS / leaves;
  const leafOf = (p) => Math.floor(p / perLeaf);
  // Each category's products ranked at random, popular as 1 / rank^0.9.
  const weights = Array.from({ length: leaves }, () =>
    cumulate(
      Array.from({ length: perLeaf }, (_, k) => k)
        .sort(() => rand() - 0.5)
        .map((r) => 1 / (r + 1) ** 0.9),
    ),
  );
  const fromLeaf = (leaf) => leaf * perLeaf + pick(rand, weights[leaf]);
  // A category's neighbour: another of its top category, looked at and bought alongside sometimes.
  const neighbour = Array.from({ length: leaves }, (_, leaf) => {
    const top = Math.floor(leaf / LEAVES_PER_TOP);
    const step = 1 + Math.floor(rand() * (LEAVES_PER_TOP - 1));
    return top * LEAVES_PER_TOP + (((leaf % LEAVES_PER_TOP) + step) % LEAVES_PER_TOP);
  });
  const tastes = Array.from({ length: SHOPPERS }, () => {
    const top = Math.floor(rand() * TOPS);
    const own = new Set();
    const n = 2 + Math.floor(rand() * 2);
    while (own.size < n) own.add(top * LEAVES_PER_TOP + Math.floor(rand() * LEAVES_PER_TOP));
    own.add(Math.floor(rand() * leaves));
    const list = [...own];
    return { leaves: list, weights: cumulate(list.map((_, i) => 1 / (i + 1))) };
  });

  const visits = Array.from({ length: SHOPPERS }, () => []);
  let generated = 0;
  let orders = 0;
  while (generated < GENERATED) {
    const s = Math.floor(rand() * SHOPPERS);
    const taste = tastes[s];
    const leaf = rand() < 0.9 ? taste.leaves[pick(rand, taste.weights)] : Math.floor(rand() * leaves);
    const visit = { events: [], order: null };
    const seen = [];
    const views = 3 + Math.floor(rand() * 10);
    for (let v = 0; v < views; v++) {
      const p = rand() < 0.85 ? fromLeaf(leaf) : fromLeaf(neighbour[leaf]);
      seen.push(p);
      visit.events.push({ kind: 'product_view', product: p });
      if (rand() < 0.1) visit.events.push({ kind: 'add_to_cart', product: p });
    }
    if (rand() < 0.35) {
      const carted = visit.events.filter((e) => e.kind === 'add_to_cart').map((e) => e.product);
      const main = carted.length ? carted[Math.floor(rand() * carted.length)] : seen[Math.floor(rand() * seen.length)];
      const lines = [main];
      if (rand() < 0.25) {
        const extra = fromLeaf(neighbour[leafOf(main)]);
        if (extra !== main) lines.push(extra);
      }
      visit.order = { id: ++orders, lines };
    }
    visits[s].push(visit);
    generated += visit.events.length + (visit.order ? visit.order.lines.length : 0);
  }
  const start = now - DAYS * 86_400_000;
  let sessions = 0;
  for (const list of visits) {
    const times = list.map(() => start + rand() * (DAYS * 86_400_000 - 3_600_000)).sort((a, b) => a - b);
    list.forEach((visit, i) => {
      visit.session = `bsess${String(++sessions).padStart(8, '0')}`;
      let at = times[i];
      for (const e of visit.events) e.at = at += 5_000 + Math.floor(rand() * 40_000);
      if (visit.order) visit.order.at = at += 60_000;
    });
  }
  // Each shopper's last purchase held out, with its visit and whatever came after it.
  const heldOut = visits.map((list) => {
    const last = list.map((v) => v.order !== null).lastIndexOf(true);
    if (last < 0) return null;
    const target = list[last].order;
    list.length = last;
    return list.length ? target : null;
  });
  return { leaves, perLeaf, leafOf, visits, heldOut };
}

const platform = await openPlatform(NAME, { fresh: true });
const system = lib.systemContext(platform.log, 'bench');
const site = await startServer('platform', NAME);
const api = jsonApi(site);
const k = platform.knex;
const seconds = (since) => Math.round((performance.now() - since) / 100) / 10;

try {
  // ---- the shop and its catalog -----------------------------------------------------------------------------
  const data = generate(Date.now());
  const slug = `bench-rec-${Date.now().toString(36)}`;
  const tenantId = await platform.services.tenants.create(system, { slug, name: 'Recommend bench', status: 'active' });
  const ctx = { ...system, tenantId };
  const owner = { email: `${slug}@bench.local`, password: 'bench-password-1', name: 'Bench', role: 'owner' };
  await platform.services.identity.addMerchantUser(system, tenantId, owner);
  const { accessToken: merchant } = await api('POST', '/merchant-api/v1/auth/login', null, {
    email: owner.email,
    password: owner.password,
  });
  const csv = stringify(
    Array.from({ length: PRODUCTS }, (_, p) => {
      const leaf = data.leafOf(p);
      return {
        spu_code: `R${String(p).padStart(6, '0')}`,
        title: `推荐基准商品 ${p}`,
        subtitle: '',
        brand: '',
        category_path: `大类${Math.floor(leaf / LEAVES_PER_TOP)}/小类${leaf}`,
        tags: '',
        description: '',
        image_urls: '',
        attributes: '',
        status: 'on_sale',
        sku_code: `R${String(p).padStart(6, '0')}`,
        spec_values: '',
        price_fen: 1_000 + (p % 50) * 100,
        original_price_fen: '',
        stock: 1_000,
      };
    }),
    { header: true },
  );
  const workers = startWorkers(platform);
  let started = performance.now();
  try {
    const form = new FormData();
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'catalog.csv');
    const job = await (
      await fetch(`${site.url}/merchant-api/v1/catalog/imports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${merchant}` },
        body: form,
      })
    ).json();
    let state = job;
    while (state.status === 'queued' || state.status === 'running') {
      await new Promise((r) => setTimeout(r, 500));
      state = await api('GET', `/merchant-api/v1/catalog/imports/${job.id}`, merchant);
    }
    if (state.status !== 'done' || state.createdProducts !== PRODUCTS)
      throw new Error(`import ended ${state.status}: ${JSON.stringify(state).slice(0, 500)}`);
  } finally {
    // No worker while the events go in and the rebuild runs (the analytics roll-up would share the machine).
    await workers.close();
  }
  const importSeconds = seconds(started);
  const productId = new Map(
    (await k('products').where({ tenant_id: tenantId }).select('id', 'spu_code')).map((r) => [
      Number(r.spu_code.slice(1)),
      Number(r.id),
    ]),
  );

  // ---- shoppers and their events ----------------------------------------------------------------------------
  const signedIn = await makeShoppers(platform, system, tenantId, SHOPPERS, '71');
  const shopperIds = (
    await k('shoppers').where({ tenant_id: tenantId }).where('phone', 'like', '171%').orderBy('id').select('id')
  ).map((r) => Number(r.id));
  const device = (s) => `bdev${String(s).padStart(6, '0')}`;

  started = performance.now();
  const batches = [];
  let eventSeq = 0;
  let shopEvents = 0;
  data.visits.forEach((list, s) => {
    const events = list.flatMap((v) =>
      v.events.map((e) => ({
        id: `bev${String(++eventSeq).padStart(9, '0')}`,
        kind: e.kind,
        at: new Date(e.at).toISOString(),
        session: v.session,
        productId: productId.get(e.product),
        ...(e.kind === 'add_to_cart' ? { quantity: 1 } : {}),
      })),
    );
    shopEvents += events.length;
    for (let at = 0; at < events.length; at += 50)
      batches.push({ device: device(s), events: events.slice(at, at + 50) });
  });
  let next = 0;
  let accepted = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < batches.length) {
        const body = batches[next++];
        const answer = await api('POST', `/shop-api/v1/shops/${slug}/events`, null, body);
        accepted += answer.accepted;
      }
    }),
  );
  if (accepted !== shopEvents) throw new Error(`${shopEvents} shop events sent, ${accepted} accepted`);
  const orders = data.visits.flatMap((list, s) =>
    list.flatMap((v) => (v.order ? [{ ...v.order, shopperId: shopperIds[s] }] : [])),
  );
  const db = new lib.Database(k);
  next = 0;
  let paidLines = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < orders.length) {
        const o = orders[next++];
        const lines = o.lines.map((p) => ({ productId: productId.get(p), quantity: 1, paidFen: 1_000 }));
        await db.transaction(ctx, (tctx) =>
          platform.services.analytics.orderPaid(tctx, {
            orderId: o.id,
            shopperId: o.shopperId,
            paidFen: 1_000 * lines.length,
            lines,
            at: new Date(o.at),
          }),
        );
        paidLines += lines.length;
      }
    }),
  );
  const ingestSeconds = seconds(started);
  const events = shopEvents + paidLines;

  // ---- the nightly rebuild ----------------------------------------------------------------------------------
  started = performance.now();
  const report = await platform.services.recommendationBuilds.rebuild(ctx);
  const buildSeconds = seconds(started);
  if (report.outcome !== 'rebuilt' || report.events !== events)
    throw new Error(`rebuild: ${JSON.stringify(report)} for ${events} events`);

  // ---- hit rate@10 against the popularity baseline, through HTTP --------------------------------------------
  const bought = new Map();
  const sold = new Map();
  for (const o of orders)
    for (const p of o.lines) {
      sold.set(p, (sold.get(p) ?? 0) + 1);
      if (!bought.has(o.shopperId)) bought.set(o.shopperId, new Set());
      bought.get(o.shopperId).add(p);
    }
  const popular = [...sold].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([p]) => p);
  const asks = data.heldOut.flatMap((target, s) =>
    target ? [{ s, path: `/shop-api/v1/shops/${slug}/recommendations?device=${device(s)}&limit=10`, target }] : [],
  );
  let popularHits = 0;
  for (const a of asks) {
    const mine = bought.get(shopperIds[a.s]) ?? new Set();
    if (
      popular
        .filter((p) => !mine.has(p))
        .slice(0, 10)
        .some((p) => a.target.lines.includes(p))
    )
      popularHits++;
  }

  async function ask() {
    let i = 0;
    const cpuBefore = cpuSeconds(site.pid);
    let hits = 0;
    let bad = 0;
    const result = await autocannon({
      url: site.url,
      connections: CONNECTIONS,
      amount: asks.length,
      requests: [
        {
          method: 'GET',
          setupRequest: (req, context) => {
            const a = asks[i++ % asks.length];
            context.ask = a;
            return { ...req, path: a.path, headers: { authorization: `Bearer ${signedIn[a.s].token}` } };
          },
          onResponse: (status, body, context) => {
            if (status !== 200) {
              bad++;
              return;
            }
            const wanted = new Set(context.ask.target.lines.map((p) => productId.get(p)));
            if (JSON.parse(body).items.some((card) => wanted.has(card.id))) hits++;
          },
        },
      ],
    });
    const cpuMs = Math.round(((cpuSeconds(site.pid) - cpuBefore) / asks.length) * 100_000) / 100;
    return {
      hits,
      bad,
      cpuMs,
      p99: result.latency.p99,
      p50: result.latency.p50,
      rps: Math.round(result.requests.average),
    };
  }
  /** At `rate` a second, from a process of its own (lib.mjs `paced`), with the server's CPU per request. */
  async function atRate(rate, requests) {
    const cpuBefore = cpuSeconds(site.pid);
    const result = await paced(site.url, rate, requests);
    const cpuMs = Math.round(((cpuSeconds(site.pid) - cpuBefore) / requests.length) * 100_000) / 100;
    return { ...result, cpuMs };
  }

  // The generated history is no longer needed: the load generator's heap is small while it measures.
  data.visits.length = 0;
  batches.length = 0;
  orders.length = 0;
  const cold = await ask();
  const warm = await atRate(
    RATE,
    asks.map((a) => ({
      path: a.path,
      headers: { authorization: `Bearer ${signedIn[a.s].token}` },
      wanted: a.target.lines.map((p) => productId.get(p)),
    })),
  );
  const flat = await ask();
  // What the machine gives any answer at the same rate: the health check's p99, sent the same way.
  const floor = await atRate(
    RATE,
    asks.map(() => ({ path: '/healthz', headers: {} })),
  );
  if (cold.bad || warm.bad || flat.bad || floor.bad)
    throw new Error(`${cold.bad + warm.bad + flat.bad + floor.bad} requests failed`);
  const hitRate = cold.hits / asks.length;
  const popularityHitRate = popularHits / asks.length;
  process.stdout.write(
    `${JSON.stringify({
      products: PRODUCTS,
      shoppers: SHOPPERS,
      events,
      shop_events: shopEvents,
      paid_lines: paidLines,
      held_out: asks.length,
      import_s: importSeconds,
      ingest_s: ingestSeconds,
      build: report,
      neighbours_per_product: Math.round((report.neighbours / PRODUCTS) * 10) / 10,
      hits: cold.hits,
      popularity_hits: popularHits,
      same_hits_twice: warm.hits === cold.hits,
      cold_pass: { p50_ms: cold.p50, p99_ms: cold.p99, rps: cold.rps },
      at_rate: { rps: RATE, p50_ms: warm.p50, p99_ms: warm.p99, server_cpu_ms_per_request: warm.cpuMs },
      healthz_at_rate_p99_ms: floor.p99,
      flat_out: { p50_ms: flat.p50, p99_ms: flat.p99, rps: flat.rps },
    })}\n`,
  );
  process.stdout.write(
    `${JSON.stringify({
      bench: 'recommend',
      hit_rate_at_10: Math.round(hitRate * 10_000) / 10_000,
      popularity_hit_rate_at_10: Math.round(popularityHitRate * 10_000) / 10_000,
      lift: Math.round((hitRate / popularityHitRate) * 100) / 100,
      build_s: buildSeconds,
      serve_p99_ms: warm.p99,
    })}\n`,
  );
} finally {
  await site.close();
  await platform.close();
}
