import { QueueEvents } from 'bullmq';
import { MAINTENANCE_JOBS, QUEUES } from '@shopfleet/contracts';
import { queuePrefix } from '@shopfleet/platform';
import { startTestPlatform, type TestPlatform } from '../../platform/test/helpers/test-platform';
import { createShop, merchantLogin } from '../../platform/test/helpers/fixtures';
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
});
