// Benchmark: what members and distribution give out is exact under load, against the real API in its own process.
//  (sign_in)  1,000 shoppers each tap 签到 five times at once (5,000 requests at 100 connections): exactly one reward
//             per shopper, no 5xx;
//  (points)   1,000 shoppers holding 1,000 points each place two orders at once, both asking to pay with points
//             (2,000 orders at 100 connections; an order may take ¥50, all their points): each shopper's points are
//             spent by one order only, no 5xx, and every ledger sums to its balance;
//  (withdraw) 200 distributors with commission available each ask twice at once to withdraw all of it: one withdrawal
//             each, no negative balance, no 5xx.
// Usage: npm run bench -- members
import { createRequire } from 'node:module';
import autocannon from 'autocannon';
import { count5xx, fireOrders, jsonApi, makeShoppers, openPlatform, startServer } from './lib.mjs';

const require = createRequire(import.meta.url);
const lib = require('../platform/dist/index.js');
const NAME = 'members';
const SHOPPERS = 1_000;
const DISTRIBUTORS = 200;

const platform = await openPlatform(NAME, { fresh: true });
const system = lib.systemContext(platform.log, 'bench');
const site = await startServer('platform', NAME);
const api = jsonApi(site);
const k = platform.knex;

async function shop(tag) {
  const slug = `bench-${tag}-${Date.now().toString(36)}`;
  const tenantId = await platform.services.tenants.create(system, {
    slug,
    name: `Members bench ${tag}`,
    status: 'active',
  });
  const owner = { email: `${slug}@bench.local`, password: 'bench-password-1', name: 'Bench', role: 'owner' };
  await platform.services.identity.addMerchantUser(system, tenantId, owner);
  const { accessToken: merchant } = await api('POST', '/merchant-api/v1/auth/login', null, {
    email: owner.email,
    password: owner.password,
  });
  const category = await api('POST', '/merchant-api/v1/catalog/categories', merchant, { name: '基准', parentId: null });
  const product = await api('POST', '/merchant-api/v1/catalog/products', merchant, {
    title: '会员商品',
    subtitle: '',
    brand: '',
    tags: [],
    descriptionHtml: '',
    categoryId: category.id,
    imageIds: [],
    attributes: {},
    specs: [],
    skus: [{ specValues: [], priceFen: 10_000, stock: 1_000_000 }],
    status: 'on_sale',
  });
  return { slug, tenantId, merchant, skuId: product.skus[0].id, ctx: { ...system, tenantId } };
}

const idsOf = async (tenantId, prefix) =>
  (
    await k('shoppers').where({ tenant_id: tenantId }).where('phone', 'like', `1${prefix}%`).orderBy('id').select('id')
  ).map((r) => Number(r.id));

/** Shoppers become members as sign-up makes them (`makeShoppers` writes the rows directly). */
async function join(s, ids) {
  for (let at = 0; at < ids.length; at += 100)
    await Promise.all(ids.slice(at, at + 100).map((id) => platform.services.members.join(s.ctx, id)));
}

/** Sends `n` requests per shopper at `connections`, a shopper's requests side by side; returns the statuses. */
async function burst(requests, connections) {
  let i = 0;
  const statuses = new Map();
  const started = performance.now();
  const result = await autocannon({
    url: site.url,
    connections,
    amount: requests.length,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const r = requests[i++ % requests.length];
          return { ...req, path: r.path, headers: { ...req.headers, ...r.headers }, body: r.body };
        },
        onResponse: (status) => statuses.set(status, (statuses.get(status) ?? 0) + 1),
      },
    ],
  });
  return { statuses, seconds: (performance.now() - started) / 1000, p99: result.latency.p99 };
}

async function pointsLedgerWhole(tenantId) {
  const rows = await k('members as m')
    .where('m.tenant_id', tenantId)
    .leftJoin(
      k('points_ledger')
        .where({ tenant_id: tenantId })
        .groupBy('shopper_id')
        .select('shopper_id', k.raw('sum(available) a'))
        .as('l'),
      'l.shopper_id',
      'm.shopper_id',
    )
    .select('m.points', 'l.a');
  return rows.filter((r) => Number(r.points) !== Number(r.a ?? 0)).length;
}

try {
  // ---- (sign_in) ---------------------------------------------------------------------------------------------
  const a = await shop('signin');
  const tappers = await makeShoppers(platform, system, a.tenantId, SHOPPERS, '60');
  await join(a, await idsOf(a.tenantId, '60'));
  const taps = tappers.flatMap((s) =>
    Array.from({ length: 5 }, () => ({
      path: `/shop-api/v1/shops/${a.slug}/member/sign-ins`,
      headers: { authorization: `Bearer ${s.token}` },
    })),
  );
  const signIn = await burst(taps, 100);
  const rewards = Number((await k('sign_ins').where({ tenant_id: a.tenantId }).count({ n: '*' }))[0].n);
  const ledgerRows = Number(
    (await k('points_ledger').where({ tenant_id: a.tenantId, kind: 'sign_in' }).count({ n: '*' }))[0].n,
  );
  const sign_in = {
    shoppers: SHOPPERS,
    taps: taps.length,
    rewards,
    ledger_rows: ledgerRows,
    taps_per_s: Math.round(taps.length / signIn.seconds),
    p99_ms: signIn.p99,
    errors_5xx: count5xx(signIn.statuses),
  };
  process.stdout.write(
    `(sign_in) ${JSON.stringify(sign_in)} statuses ${JSON.stringify(Object.fromEntries(signIn.statuses))}\n`,
  );

  // ---- (points) ----------------------------------------------------------------------------------------------
  const b = await shop('points');
  const buyers = await makeShoppers(platform, system, b.tenantId, SHOPPERS, '61');
  const buyerIds = await idsOf(b.tenantId, '61');
  await join(b, buyerIds);
  const merchantCtx = { ...b.ctx, actor: { type: 'system', job: 'bench' } };
  for (let at = 0; at < buyerIds.length; at += 50)
    await Promise.all(
      buyerIds.slice(at, at + 50).map((id) => platform.services.members.adjust(merchantCtx, id, 1_000, '基准赠送')),
    );
  const bodies = buyers.flatMap((s) =>
    [1, 2].map(() => ({
      token: s.token,
      body: { items: [{ skuId: b.skuId, quantity: 1 }], addressId: s.addressId, usePoints: true },
    })),
  );
  const orders = await fireOrders(site, b.slug, bodies, 100);
  const spent = await k('points_ledger')
    .where({ tenant_id: b.tenantId, kind: 'order_spent' })
    .groupBy('shopper_id')
    .select('shopper_id', k.raw('count(*) n'), k.raw('sum(available) s'));
  const placed = orders.statuses.get(201) ?? 0;
  const points = {
    shoppers: SHOPPERS,
    orders: bodies.length,
    placed,
    orders_with_points: spent.reduce((n, r) => n + Number(r.n), 0),
    double_spends: spent.filter((r) => Number(r.n) > 1 || Number(r.s) < -1_000).length,
    negative_balances: Number(
      (await k('members').where({ tenant_id: b.tenantId }).where('points', '<', 0).count({ n: '*' }))[0].n,
    ),
    ledgers_off: await pointsLedgerWhole(b.tenantId),
    orders_per_s: Math.round(placed / orders.seconds),
    p99_ms: orders.p99,
    errors_5xx: count5xx(orders.statuses),
  };
  process.stdout.write(
    `(points) ${JSON.stringify(points)} statuses ${JSON.stringify(Object.fromEntries(orders.statuses))}\n`,
  );

  // ---- (withdraw) --------------------------------------------------------------------------------------------
  const c = await shop('withdraw');
  await api('PUT', '/merchant-api/v1/distribution/settings', c.merchant, {
    enabled: true,
    applyMode: 'auto',
    bindMode: 'first',
    protectDays: 15,
    level1Bp: 1000,
    level2Bp: 0,
    withdrawMinFen: 100,
  });
  const sellers = await makeShoppers(platform, system, c.tenantId, DISTRIBUTORS, '62');
  const sellerIds = await idsOf(c.tenantId, '62');
  const friends = await idsOf(c.tenantId, '62').then(async () => {
    await makeShoppers(platform, system, c.tenantId, DISTRIBUTORS, '63');
    return idsOf(c.tenantId, '63');
  });
  // Each distributor has one friend bound and one released order's commission (in the services, as payment would).
  await k.batchInsert(
    'distributors',
    sellerIds.map((id) => ({ tenant_id: c.tenantId, shopper_id: id, status: 'approved', applied_at: new Date() })),
    500,
  );
  await k.batchInsert(
    'distribution_bindings',
    friends.map((id, n) => ({
      tenant_id: c.tenantId,
      shopper_id: id,
      distributor_id: sellerIds[n],
      bound_at: new Date(),
    })),
    500,
  );
  const db = new lib.Database(k);
  for (const [n, friend] of friends.entries()) {
    const orderId = 90_000_000 + n;
    await db.transaction(c.ctx, (tctx) =>
      platform.services.commission.orderPaid(tctx, {
        orderId,
        shopperId: friend,
        lines: [{ productId: 1, paidFen: 10_000 + n }],
      }),
    );
    await db.transaction(c.ctx, (tctx) => platform.services.commission.release(tctx, orderId));
  }
  const asks = sellers.flatMap((s, n) =>
    [1, 2].map(() => ({
      path: `/shop-api/v1/shops/${c.slug}/distribution/withdrawals`,
      headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ amountFen: Math.floor((10_000 + n) / 10) }),
    })),
  );
  const w = await burst(asks, 100);
  const taken = Number((await k('withdrawals').where({ tenant_id: c.tenantId }).count({ n: '*' }))[0].n);
  const perDistributor = await k('withdrawals')
    .where({ tenant_id: c.tenantId })
    .groupBy('distributor_id')
    .select(k.raw('count(*) n'));
  const withdraw = {
    distributors: DISTRIBUTORS,
    asks: asks.length,
    withdrawals: taken,
    most_per_distributor: Math.max(0, ...perDistributor.map((r) => Number(r.n))),
    refused: w.statuses.get(409) ?? 0,
    left_available: Number(
      (await k('distributors').where({ tenant_id: c.tenantId }).sum({ s: 'available_fen' }))[0].s ?? 0,
    ),
    asks_per_s: Math.round(asks.length / w.seconds),
    errors_5xx: count5xx(w.statuses),
  };
  process.stdout.write(
    `(withdraw) ${JSON.stringify(withdraw)} statuses ${JSON.stringify(Object.fromEntries(w.statuses))}\n`,
  );

  const exact =
    sign_in.rewards === SHOPPERS &&
    sign_in.ledger_rows === SHOPPERS &&
    points.double_spends === 0 &&
    points.negative_balances === 0 &&
    points.ledgers_off === 0 &&
    points.orders_with_points === SHOPPERS &&
    withdraw.withdrawals === DISTRIBUTORS &&
    withdraw.most_per_distributor === 1 &&
    withdraw.left_available === 0 &&
    sign_in.errors_5xx + points.errors_5xx + withdraw.errors_5xx === 0;
  process.stdout.write(`${JSON.stringify({ bench: 'members', exact, sign_in, points, withdraw })}\n`);
} finally {
  await site.close();
  await platform.close();
}
