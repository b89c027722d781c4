import type { Job } from 'bullmq';
import { MAINTENANCE_JOBS, type CatalogImage, type PlatformFigures, type TenantUsage } from '@shopfleet/contracts';
import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';
import { bearer, createPlatformUser, platformLogin, shopperLogin } from '../../helpers/fixtures';
import { pngBytes } from '../../helpers/catalog';
import { buyer, paySandbox, placeOrder, product, sellingShop, type SellingShop } from '../../helpers/orders';
import { addDocument, signUp } from '../../helpers/onboarding';
import { authorizeMiniProgram, deliverTicket } from '../../helpers/releases';
import { chinaDay, chinaDayStart } from '../../../src/kernel/china-time';
import { maintenanceProcessor } from '../../../../workers/src/processors/maintenance.processor';

const P = '/platform-api/v1';

let t: TestPlatform;
let admin: string;
let reviewer: string;
beforeAll(async () => {
  t = await startTestPlatform();
  admin = (await platformLogin(t, await createPlatformUser(t, 'admin'))).accessToken;
  reviewer = (await platformLogin(t, await createPlatformUser(t, 'reviewer'))).accessToken;
});
afterAll(() => t.close());

/** The YYYY-MM-DD day `n` days before another. */
const daysBefore = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

/** A built template version as a row: the releases below are rows too, never built or committed. */
let versionId: number | undefined;
async function releaseRows(tenantId: number, rows: Array<{ status: string; submittedAt: Date | null }>): Promise<void> {
  if (versionId === undefined)
    [versionId] = (await t.platform.knex('template_versions').insert({
      version: `8.${uid().slice(0, 6)}.0`,
      content_hash: 'd'.repeat(64),
      status: 'ready',
      object_key: 'x.zip',
    })) as [number];
  for (const r of rows)
    await t.platform.knex('mp_releases').insert({
      tenant_id: tenantId,
      template_version_id: versionId,
      in_flight: null,
      status: r.status,
      appid: `wx${uid()}${uid()}`.slice(0, 18),
      user_version: '1.0.0',
      user_desc: '',
      submitted_at: r.submittedAt,
    });
}

/** Runs a maintenance job as the worker does (its processor, on this platform). */
const runJob = (name: string) =>
  maintenanceProcessor.build(t.platform)({ name, data: {}, queueName: 'maintenance' } as unknown as Job);

const historyOf = async (tenantId: number, from: string, to: string) =>
  (await t.api.get(`${P}/tenants/${tenantId}/usage`).query({ from, to }).set(bearer(admin)).expect(200)).body as {
    tenantId: number;
    days: Array<TenantUsage & { day: string }>;
  };

const dayOf = async (tenantId: number, day: string) => (await historyOf(tenantId, day, day)).days[0];

const figuresOf = async (from: string, to: string) =>
  (await t.api.get(`${P}/figures`).query({ from, to }).set(bearer(admin)).expect(200)).body as PlatformFigures;

/** The bytes of an uploaded image's stored files (three sizes, each JPEG and WebP), read back from the store. */
async function storedBytesOf(image: CatalogImage): Promise<number> {
  const urls = [image.thumb, image.medium, image.large].flatMap((s) => [s.jpeg, s.webp]);
  const sizes = await Promise.all(urls.map(async (url) => (await (await fetch(url)).arrayBuffer()).byteLength));
  return sizes.reduce((a, b) => a + b, 0);
}

async function uploadImage(s: SellingShop): Promise<CatalogImage> {
  return (
    await t.api
      .post('/merchant-api/v1/catalog/images')
      .set(bearer(s.merchant))
      .attach('file', await pngBytes(`#${uid().slice(0, 6)}`), 'p.png')
      .expect(201)
  ).body as CatalogImage;
}

describe("each shop's usage of the day, measured after real activity", () => {
  let a: SellingShop;
  let b: SellingShop;
  let today: string;
  let imageBytes: number;

  beforeAll(async () => {
    today = chinaDay(t.clock.now());
    a = await sellingShop(t);
    b = await sellingShop(t);
    // Shop A: a product with an image, two orders (one paid); shop B: a product and an order.
    imageBytes = await storedBytesOf(await uploadImage(a));
    const { skuId: skuA } = await product(t, a, 10);
    const buyerA = await buyer(t, a);
    const paid = await placeOrder(t, a, buyerA, [{ skuId: skuA, quantity: 1 }]);
    await placeOrder(t, a, buyerA, [{ skuId: skuA, quantity: 2 }]);
    await paySandbox(t, a, buyerA.token, paid.id);
    const { skuId: skuB } = await product(t, b, 10);
    await placeOrder(t, b, await buyer(t, b), [{ skuId: skuB, quantity: 1 }]);
    await runJob(MAINTENANCE_JOBS.snapshotUsage);
  });

  it('orders placed, products, stored bytes and staff of the day, measured by the hourly job', async () => {
    expect(await dayOf(a.shop.id, today)).toMatchObject({
      day: today,
      orders: 2,
      products: 1,
      storageBytes: imageBytes,
      staff: 2,
      wechatAudits: 0,
      measuredAt: t.clock.now().toISOString(),
    });
    expect(imageBytes).toBeGreaterThan(0);
    expect(await dayOf(b.shop.id, today)).toMatchObject({
      orders: 1,
      products: 1,
      storageBytes: 0,
      staff: 2,
      wechatAudits: 0,
    });
  });

  it("counts each shop's API requests (merchant and shop APIs) once flushed; requests naming no shop count for none", async () => {
    const before = { a: (await dayOf(a.shop.id, today))!.apiRequests, b: (await dayOf(b.shop.id, today))!.apiRequests };
    for (let i = 0; i < 3; i++) await t.api.get('/merchant-api/v1/shop').set(bearer(a.merchant)).expect(200);
    // A refused request of the merchant counts too: the shop is known from the sign-in.
    await t.api.get('/merchant-api/v1/catalog/products/999999999').set(bearer(a.merchant)).expect(404);
    await t.api.get(`/shop-api/v1/shops/${b.shop.slug}`).expect(200);
    await t.api.get(`/shop-api/v1/shops/${b.shop.slug}`).expect(200);
    // No shop: a request without a sign-in, a shop that does not exist, the platform's own API.
    await t.api.get('/merchant-api/v1/shop').expect(401);
    await t.api.get(`/shop-api/v1/shops/no-such-${uid()}`).expect(404);
    await t.api.get(`${P}/usage`).query({ day: today }).set(bearer(admin)).expect(200);

    const flushed = (await runJob(MAINTENANCE_JOBS.flushApiRequests)) as { requests: number };
    expect(flushed.requests).toBeGreaterThanOrEqual(6);
    expect((await dayOf(a.shop.id, today))!.apiRequests).toBe(before.a + 4);
    expect((await dayOf(b.shop.id, today))!.apiRequests).toBe(before.b + 2);
    // Flushed once: a second flush finds nothing new of theirs.
    await runJob(MAINTENANCE_JOBS.flushApiRequests);
    expect((await dayOf(a.shop.id, today))!.apiRequests).toBe(before.a + 4);
  });

  it('counts the releases submitted to WeChat’s audit that day', async () => {
    // Releases as rows (the release flow itself is the releases module's tests): one submitted today, one the day before.
    await releaseRows(a.shop.id, [
      { status: 'released', submittedAt: new Date(chinaDayStart(today).getTime() - 3_600_000) },
      { status: 'audit_failed', submittedAt: t.clock.now() },
    ]);
    await runJob(MAINTENANCE_JOBS.snapshotUsage);
    expect((await dayOf(a.shop.id, today))!.wechatAudits).toBe(1);
  });

  it("lists every shop's usage of a day, sorted by the metric asked, each with its shop", async () => {
    // Every page: the worker's database holds the shops of the other test files too.
    const list = async (sort: string, order: string) => {
      const items: TenantUsage[] = [];
      for (let page = 1; ; page++) {
        const body = (
          await t.api
            .get(`${P}/usage`)
            .query({ day: today, sort, order, page, pageSize: 100 })
            .set(bearer(admin))
            .expect(200)
        ).body as { items: TenantUsage[]; total: number };
        items.push(...body.items);
        if (items.length >= body.total || body.items.length === 0) return { items, total: body.total };
      }
    };
    const byOrders = await list('orders', 'desc');
    const rowA = byOrders.items.find((r) => r.tenant.id === a.shop.id)!;
    expect(rowA).toMatchObject({
      day: today,
      orders: 2,
      storageBytes: imageBytes,
      tenant: { id: a.shop.id, slug: a.shop.slug, status: 'active' },
    });
    const values = byOrders.items.map((r) => r.orders);
    expect(values).toEqual([...values].sort((x, y) => y - x));
    const position = (items: TenantUsage[], id: number) => items.findIndex((r) => r.tenant.id === id);
    expect(position(byOrders.items, a.shop.id)).toBeLessThan(position(byOrders.items, b.shop.id));
    const byStorage = await list('storageBytes', 'asc');
    const storage = byStorage.items.map((r) => r.storageBytes);
    expect(storage).toEqual([...storage].sort((x, y) => x - y));
    expect(position(byStorage.items, b.shop.id)).toBeLessThan(position(byStorage.items, a.shop.id));
    // Another day has no rows of theirs.
    const yesterday = (
      await t.api
        .get(`${P}/usage`)
        .query({ day: daysBefore(today, 1) })
        .set(bearer(admin))
        .expect(200)
    ).body as { items: TenantUsage[] };
    expect(yesterday.items.map((r) => r.tenant.id)).not.toContain(a.shop.id);
  });

  it("a shop's history holds its own days only; an unknown shop is a 404", async () => {
    const from = daysBefore(today, 6);
    const history = await historyOf(b.shop.id, from, today);
    expect(history).toMatchObject({ tenantId: b.shop.id, from, to: today });
    expect(history.days).toEqual([expect.objectContaining({ day: today, orders: 1, storageBytes: 0 })]);
    const missing = await t.api
      .get(`${P}/tenants/999999999/usage`)
      .query({ from, to: today })
      .set(bearer(admin))
      .expect(404);
    expect(missing.body.error.reason).toBe('TENANT_NOT_FOUND');
  });
});

describe('the first snapshot after midnight completes the day before', () => {
  it("adds the day's last orders to it, keeps what it held at its last snapshot, and starts the new day", async () => {
    const real = t.clock.now();
    const todayStart = chinaDayStart(chinaDay(real));
    const yesterday = chinaDay(new Date(todayStart.getTime() - 1));
    const at = (msFromMidnight: number) => t.clock.set(new Date(todayStart.getTime() + msFromMidnight).toISOString());
    try {
      const s = await sellingShop(t);
      at(-30 * 60_000); // 23:30
      const { skuId } = await product(t, s, 10);
      const who = await buyer(t, s);
      await placeOrder(t, s, who, [{ skuId, quantity: 1 }]);
      await runJob(MAINTENANCE_JOBS.snapshotUsage);
      expect(await dayOf(s.shop.id, yesterday)).toMatchObject({ orders: 1, products: 1 });

      at(-10 * 60_000); // 23:50: one more order and one more product, after the day's last hourly snapshot
      await placeOrder(t, s, who, [{ skuId, quantity: 1 }]);
      await product(t, s, 5);

      at(10 * 60_000); // 00:10 the next day
      await runJob(MAINTENANCE_JOBS.snapshotUsage);
      expect(await dayOf(s.shop.id, yesterday)).toMatchObject({
        orders: 2,
        products: 1,
        measuredAt: t.clock.now().toISOString(),
      });
      expect(await dayOf(s.shop.id, chinaDay(t.clock.now()))).toMatchObject({ orders: 0, products: 2 });
    } finally {
      t.clock.set(real.toISOString());
    }
  });
});

describe('the platform figures', () => {
  it('shops by state and sign-ups per day, GMV and orders paid per day, the review queue, releases by state and the audit quota, as they change', async () => {
    const today = chinaDay(t.clock.now());
    const from = daysBefore(today, 2);
    // Sales are the analytics roll-ups: whatever was paid before is rolled up first.
    await runJob(MAINTENANCE_JOBS.analyticsRollUp);
    const before = await figuresOf(from, today);
    expect(before.signups.map((d) => d.day)).toHaveLength(3);
    expect(before.sales).toHaveLength(3);

    // A merchant signs up and sends a document for review; an active shop authorizes its mini-program and releases
    // twice (its newest release is in gray).
    const merchant = await signUp(t);
    await addDocument(t, merchant.token, 'business_license');
    await t.api.post('/merchant-api/v1/onboarding/submit').set(bearer(merchant.token)).expect(200);
    const active = await sellingShop(t);
    await deliverTicket(t);
    await authorizeMiniProgram(t, active.merchant);
    await releaseRows(active.shop.id, [
      { status: 'released', submittedAt: t.clock.now() },
      { status: 'gray', submittedAt: t.clock.now() },
    ]);
    // The active shop sells: one order paid, one left unpaid.
    const { skuId } = await product(t, active, 10, 3300);
    const who = await buyer(t, active);
    const paid = await placeOrder(t, active, who, [{ skuId, quantity: 2 }]);
    await placeOrder(t, active, who, [{ skuId, quantity: 1 }]);
    await paySandbox(t, active, who.token, paid.id);
    await runJob(MAINTENANCE_JOBS.analyticsRollUp);

    const after = await figuresOf(from, today);
    expect(after.tenantsByStatus.pending_review).toBe(before.tenantsByStatus.pending_review + 1);
    expect(after.tenantsByStatus.active).toBe(before.tenantsByStatus.active + 1);
    const signupsToday = (f: PlatformFigures) => f.signups.find((d) => d.day === today)!.count;
    expect(signupsToday(after)).toBe(signupsToday(before) + 2);
    const salesToday = (f: PlatformFigures) => f.sales.find((d) => d.day === today)!;
    expect(salesToday(after)).toEqual({
      day: today,
      gmvFen: salesToday(before).gmvFen + paid.totalFen,
      ordersPaid: salesToday(before).ordersPaid + 1,
      refundFen: salesToday(before).refundFen,
      payingTenants: salesToday(before).payingTenants + 1,
    });
    expect(paid.totalFen).toBeGreaterThanOrEqual(6600);
    expect(after.reviewQueue.waiting).toBe(before.reviewQueue.waiting + 1);
    // The waits, as the queue holds them now (other tests' documents may wait too).
    const pending = (await t.platform
      .knex('review_queue')
      .where({ status: 'pending' })
      .pluck('submitted_at')) as Date[];
    const waits = pending.map((d) => Math.max(0, Math.floor((t.clock.now().getTime() - new Date(d).getTime()) / 1000)));
    expect(after.reviewQueue.oldestWaitSeconds).toBe(Math.max(...waits));
    expect(after.reviewQueue.medianWaitSeconds).toBeGreaterThanOrEqual(Math.min(...waits));
    expect(after.reviewQueue.medianWaitSeconds).toBeLessThanOrEqual(Math.max(...waits));
    expect(after.auditQuota).toMatchObject({ rest: t.wechat.quota.rest, limit: t.wechat.quota.limit });
    expect(after.auditQuotaError).toBeNull();
    // Each shop's newest release counts, once: the gray one, not the release before it.
    expect(after.releasesByStatus.gray).toBe(before.releasesByStatus.gray + 1);
    expect(after.releasesByStatus.released).toBe(before.releasesByStatus.released);
  });

  it('refuses a reversed range and one longer than a year, with the reason', async () => {
    const reversed = await t.api
      .get(`${P}/figures`)
      .query({ from: '2026-12-07', to: '2026-12-01' })
      .set(bearer(admin))
      .expect(400);
    expect(reversed.body.error.details.issues).toEqual([expect.objectContaining({ reason: 'RANGE_INVALID' })]);
    const long = await t.api
      .get(`${P}/tenants/1/usage`)
      .query({ from: '2025-01-01', to: '2026-12-01' })
      .set(bearer(admin))
      .expect(400);
    expect(long.body.error.details.issues).toEqual([expect.objectContaining({ reason: 'RANGE_TOO_LONG' })]);
    await t.api.get(`${P}/figures`).query({ from: '2026-01-01', to: '2026-12-31' }).set(bearer(admin)).expect(200);
    await t.api.get(`${P}/usage`).query({ day: '2026-12-01', sort: 'name' }).set(bearer(admin)).expect(400);
  });
});

describe('only platform staff allowed to read the figures see them', () => {
  const today = () => chinaDay(t.clock.now());
  const endpoints = () => [
    { path: `${P}/figures`, query: { from: today(), to: today() } },
    { path: `${P}/usage`, query: { day: today() } },
    { path: `${P}/tenants/1/usage`, query: { from: today(), to: today() } },
  ];

  it("a merchant's or a shopper's token is refused (401): the platform API takes only staff", async () => {
    const s = await sellingShop(t);
    const shopper = (await shopperLogin(t, s.shop.slug)).accessToken;
    for (const { path, query } of endpoints()) {
      for (const token of [s.merchant, shopper]) {
        const res = await t.api.get(path).query(query).set(bearer(token)).expect(401);
        expect(res.body.error.code).toEqual(expect.any(String));
      }
      await t.api.get(path).query(query).expect(401);
    }
  });

  it('a reviewer, without platform:figures:read, is refused (403)', async () => {
    for (const { path, query } of endpoints()) {
      const res = await t.api.get(path).query(query).set(bearer(reviewer)).expect(403);
      expect(res.body.error).toMatchObject({
        reason: 'PERMISSION_REQUIRED',
        params: { permission: 'platform:figures:read' },
      });
    }
  });
});
