import { QueueEvents } from 'bullmq';
import { MAINTENANCE_JOBS, QUEUES } from '@shopfleet/contracts';
import { chinaDay, queuePrefix, systemContext } from '@shopfleet/platform';
import { scheduleUsageJobs } from '../../platform/src/modules/usage';
import { startTestPlatform, type TestPlatform } from '../../platform/test/helpers/test-platform';
import { bearer, createShop, merchantLogin } from '../../platform/test/helpers/fixtures';
import { product, sellingShop, stockOf } from '../../platform/test/helpers/orders';
import { flashBody } from '../../platform/test/helpers/marketing';
import { startWorkers, type RunningWorkers } from '../src/worker';

let t: TestPlatform;
let workers: RunningWorkers;
beforeAll(async () => {
  t = await startTestPlatform({
    REDIS_PREFIX: `${process.env.SF_TEST_RUN ? `sft_${process.env.SF_TEST_RUN}` : 'sft_local'}_w${Date.now()}`,
  });
  workers = startWorkers(t.platform);
});
afterAll(async () => {
  await workers.close();
  await t.close();
});

describe('maintenance worker', () => {
  it('purges dead refresh tokens through the real queue and worker, keeping live ones', async () => {
    const shop = await createShop(t);
    const live = await merchantLogin(t, shop.owner);
    const dead = await merchantLogin(t, shop.owner);
    await t.api.post('/merchant-api/v1/auth/logout').send({ refreshToken: dead.refreshToken }).expect(200);
    const { knex } = t.platform;
    const revokedBefore = await knex('refresh_tokens').whereNotNull('revoked_at').count({ n: '*' });
    expect(Number(revokedBefore[0]!.n)).toBeGreaterThan(0);

    const queue = t.platform.queues.get(QUEUES.maintenance);
    const events = new QueueEvents(QUEUES.maintenance, {
      connection: { url: t.config.REDIS_URL },
      prefix: queuePrefix(t.config.REDIS_PREFIX),
    });
    await events.waitUntilReady();
    try {
      const job = await queue.add(MAINTENANCE_JOBS.purgeExpiredTokens, {
        before: new Date(Date.now() + 1000).toISOString(),
      });
      const result = (await job.waitUntilFinished(events, 20_000)) as { deleted: number };
      expect(result.deleted).toBeGreaterThan(0);
    } finally {
      await events.close();
    }
    expect(Number((await knex('refresh_tokens').whereNotNull('revoked_at').count({ n: '*' }))[0]!.n)).toBe(0);
    await t.api.post('/merchant-api/v1/auth/refresh').send({ refreshToken: live.refreshToken }).expect(200);
  });

  it('fails a job with a bad payload for good (no retries)', async () => {
    const queue = t.platform.queues.get(QUEUES.maintenance);
    const events = new QueueEvents(QUEUES.maintenance, {
      connection: { url: t.config.REDIS_URL },
      prefix: queuePrefix(t.config.REDIS_PREFIX),
    });
    await events.waitUntilReady();
    try {
      const job = await queue.add(MAINTENANCE_JOBS.purgeExpiredTokens, { before: 42 });
      await expect(job.waitUntilFinished(events, 20_000)).rejects.toThrow(/bad payload/);
      const failed = await queue.getJob(job.id!);
      expect(failed?.attemptsMade).toBe(1);
    } finally {
      await events.close();
    }
  });

  it("shows a 限时折扣 on the shop's product page when it starts: the edge job renews the catalog cache", async () => {
    const s = await sellingShop(t);
    const item = await product(t, s, 10, 5_000);
    const page = async () => (await t.api.get(s.url(`/products/${item.productId}`)).expect(200)).body;
    expect((await page()).promotion).toBeNull();
    const startsAt = new Date(t.clock.now().getTime() + 1_500);
    await t.api
      .post('/merchant-api/v1/promotions')
      .set(bearer(s.merchant))
      .send({
        kind: 'timed_discount',
        timedDiscount: {
          name: '下午场',
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 86_400_000).toISOString(),
          items: [{ productId: item.productId, priceFen: 3_900 }],
        },
      })
      .expect(201);
    // Written: the cache was renewed, and the promotion has not started.
    expect((await page()).promotion).toBeNull();
    const queue = t.platform.queues.get(QUEUES.maintenance);
    const edge = await queue.getJob(`promotion-edge-${s.shop.id}-${startsAt.getTime()}`);
    expect(edge?.name).toBe(MAINTENANCE_JOBS.promotionEdge);
    expect(await queue.getJob(`promotion-edge-${s.shop.id}-${startsAt.getTime() + 86_400_000}`)).toBeDefined();
    // Its start passes: until the edge job runs, the page may show what was cached; once it has run, the 限时价.
    t.clock.set(new Date(startsAt.getTime() + 1).toISOString());
    const events = new QueueEvents(QUEUES.maintenance, {
      connection: { url: t.config.REDIS_URL },
      prefix: queuePrefix(t.config.REDIS_PREFIX),
    });
    await events.waitUntilReady();
    try {
      await expect(edge!.waitUntilFinished(events, 20_000)).resolves.toEqual({ renewed: s.shop.id });
    } finally {
      await events.close();
    }
    const after = await page();
    expect(after.promotion).toMatchObject({ timedPriceFen: 3_900 });
    expect(after.skus[0].timedPriceFen).toBe(3_900);
  });

  it('gives a flash-sale session’s stock back at its end: the end job, then the reconciliation finds nothing left to do', async () => {
    const s = await sellingShop(t);
    const item = await product(t, s, 10, 5_000);
    const startsAt = new Date(t.clock.now().getTime() + 1_000);
    const endsAt = new Date(startsAt.getTime() + 1_000);
    const created = await t.api
      .post('/merchant-api/v1/flash-sessions')
      .set(bearer(s.merchant))
      .send({
        ...flashBody(t, [{ skuId: item.skuId, flashPriceFen: 1_000, stock: 6 }]),
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
      })
      .expect(201);
    expect(await stockOf(t, item.skuId)).toBe(4);
    const queue = t.platform.queues.get(QUEUES.maintenance);
    const end = await queue.getJob(`flash-end-${s.shop.id}-${created.body.id}-${endsAt.getTime()}`);
    expect(end?.name).toBe(MAINTENANCE_JOBS.flashEnd);
    t.clock.set(new Date(endsAt.getTime() + 1).toISOString());
    const events = new QueueEvents(QUEUES.maintenance, {
      connection: { url: t.config.REDIS_URL },
      prefix: queuePrefix(t.config.REDIS_PREFIX),
    });
    await events.waitUntilReady();
    try {
      await expect(end!.waitUntilFinished(events, 20_000)).resolves.toEqual({ returned: true });
      const reconcile = await queue.add(MAINTENANCE_JOBS.flashReconcile, {});
      await expect(reconcile.waitUntilFinished(events, 20_000)).resolves.toMatchObject({ returned: 0, drift: 0 });
    } finally {
      await events.close();
    }
    expect(await stockOf(t, item.skuId)).toBe(10);
  });

  it("measures each shop's usage of the day through the real queue and worker, its API requests flushed in first", async () => {
    const shop = await createShop(t);
    const token = (await merchantLogin(t, shop.owner)).accessToken;
    for (let i = 0; i < 2; i++) await t.api.get('/merchant-api/v1/shop').set(bearer(token)).expect(200);
    await scheduleUsageJobs(t.platform.queues);
    const queue = t.platform.queues.get(QUEUES.maintenance);
    const every = new Map((await queue.getJobSchedulers()).map((s) => [s.key, s.every]));
    expect(every.get(MAINTENANCE_JOBS.snapshotUsage)).toBe(3_600_000);
    expect(every.get(MAINTENANCE_JOBS.flushApiRequests)).toBe(300_000);
    const events = new QueueEvents(QUEUES.maintenance, {
      connection: { url: t.config.REDIS_URL },
      prefix: queuePrefix(t.config.REDIS_PREFIX),
    });
    await events.waitUntilReady();
    try {
      const job = await queue.add(MAINTENANCE_JOBS.snapshotUsage, {});
      const result = (await job.waitUntilFinished(events, 20_000)) as { shops: number; failed: number };
      expect(result.shops).toBeGreaterThanOrEqual(1);
      expect(result.failed).toBe(0);
    } finally {
      await events.close();
    }
    const day = chinaDay(t.clock.now());
    const ctx = systemContext(t.platform.log, 'test');
    const { days } = await t.platform.services.usage.history(ctx, shop.id, { from: day, to: day });
    expect(days).toEqual([expect.objectContaining({ day, staff: 2, products: 0, orders: 0, apiRequests: 2 })]);
  });

  it("rebuilds each shop's recommendations at night, once per shop and night, and updates them every quarter hour", async () => {
    const s = await sellingShop(t);
    const [a, b] = [await product(t, s, 10), await product(t, s, 10)];
    const tenantId = (await t.platform.services.tenants.findBySlug(s.shop.slug))!.id;
    const session = `v${Date.now()}abc`;
    await t.api
      .post(s.url('/events'))
      .send({
        device: `d${Date.now()}xyz`,
        events: [a, b].map((p, i) => ({
          id: `e${Date.now()}n${i}`,
          kind: 'product_view',
          at: t.clock.now().toISOString(),
          session,
          productId: p.productId,
        })),
      })
      .expect(200);
    const queue = t.platform.queues.get(QUEUES.maintenance);
    const events = new QueueEvents(QUEUES.maintenance, {
      connection: { url: t.config.REDIS_URL },
      prefix: queuePrefix(t.config.REDIS_PREFIX),
    });
    await events.waitUntilReady();
    try {
      const night = chinaDay(t.clock.now()).replaceAll('-', '');
      for (let n = 0; n < 2; n++) {
        const fanOut = await queue.add(MAINTENANCE_JOBS.rebuildRecommendations, {});
        const { queued } = (await fanOut.waitUntilFinished(events, 20_000)) as { queued: number };
        expect(queued).toBeGreaterThan(0);
      }
      const rebuild = await queue.getJob(`rr-${tenantId}-${night}`);
      expect(rebuild?.name).toBe(MAINTENANCE_JOBS.rebuildShopRecommendations);
      await expect(rebuild!.waitUntilFinished(events, 20_000)).resolves.toMatchObject({
        outcome: 'rebuilt',
        events: 2,
      });
      // Queued twice, built once.
      expect(await rebuild!.getState()).toBe('completed');
      const state = await t.platform.knex('recommendation_state').where({ tenant_id: tenantId }).first();
      expect(state.generation).toBe(1);
      const viewed = await t.api.get(s.url(`/products/${a.productId}/viewed-together`)).expect(200);
      expect(viewed.body.items[0].id).toBe(b.productId);

      const update = await queue.add(MAINTENANCE_JOBS.updateRecommendations, {});
      await expect(update.waitUntilFinished(events, 20_000)).resolves.toMatchObject({ shops: expect.any(Number) });
      const bad = await queue.add(MAINTENANCE_JOBS.rebuildShopRecommendations, { tenantId: 'x' });
      await expect(bad.waitUntilFinished(events, 20_000)).rejects.toThrow(/bad payload/);
    } finally {
      await events.close();
    }
  });
});
