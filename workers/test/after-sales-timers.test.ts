import { QueueEvents } from 'bullmq';
import { AFTER_SALES_JOBS, QUEUES } from '@shopfleet/contracts';
import { queuePrefix } from '@shopfleet/platform';
import { startTestPlatform, testNames, uid, type TestPlatform } from '../../platform/test/helpers/test-platform';
import { bearer } from '../../platform/test/helpers/fixtures';
import { buyer, paySandbox, product, sellingShop } from '../../platform/test/helpers/orders';
import { startWorkers, type RunningWorkers } from '../src/worker';

let t: TestPlatform;
let workers: RunningWorkers;
let events: QueueEvents;
beforeAll(async () => {
  // The sweeper acts on every shop of its database, two days ahead: a database (and buckets) of its own, so it never
  // settles the open cases of the other tests of this jest worker.
  const names = testNames();
  t = await startTestPlatform({
    DATABASE_URL: `mysql://root@127.0.0.1:3306/${names.database}_aftersales`,
    S3_BUCKET_PRIVATE: `${names.bucket}-as-private`,
    S3_BUCKET_PUBLIC: `${names.bucket}-as-public`,
    REDIS_PREFIX: `${process.env.SF_TEST_RUN ? `sft_${process.env.SF_TEST_RUN}` : 'sft_local'}_as${Date.now()}`,
  });
  workers = startWorkers(t.platform);
  events = new QueueEvents(QUEUES.afterSales, {
    connection: { url: t.config.REDIS_URL },
    prefix: queuePrefix(t.config.REDIS_PREFIX),
  });
  await events.waitUntilReady();
});
afterAll(async () => {
  await events?.close();
  await workers?.close();
  await t?.close();
});

describe('after-sales timers through the real queue and worker', () => {
  it('a request schedules its deadline; the sweeper job approves and refunds it once it is due', async () => {
    const s = await sellingShop(t);
    const item = await product(t, s, 10, 2_500);
    const by = await buyer(t, s);
    const order = (
      await t.api
        .post(s.url('/orders'))
        .set(bearer(by.token))
        .set('Idempotency-Key', `ast-${uid()}`)
        .send({ items: [{ skuId: item.skuId, quantity: 1 }], addressId: by.addressId })
        .expect(201)
    ).body;
    await paySandbox(t, s, by.token, order.id);
    const opened = (
      await t.api
        .post(s.url('/after-sales'))
        .set(bearer(by.token))
        .send({ orderId: order.id, skuId: item.skuId, quantity: 1, kind: 'refund_only', reason: 'not_received' })
        .expect(201)
    ).body;
    const queue = t.platform.queues.get(QUEUES.afterSales);
    const deadline = Date.parse(opened.deadlineAt);
    const scheduled = await queue.getJob(`as-${s.shop.id}-${opened.id}-${deadline}`);
    expect(scheduled?.name).toBe(AFTER_SALES_JOBS.deadline);
    expect(scheduled?.data).toEqual({ tenantId: s.shop.id, caseId: opened.id });

    // Not due yet: the sweeper leaves it.
    const early = await queue.add(AFTER_SALES_JOBS.sweep, { now: new Date(deadline - 60_000).toISOString() });
    expect(await early.waitUntilFinished(events, 20_000)).toEqual({ acted: 0 });
    // Due: approved and refunded, by the system.
    const due = await queue.add(AFTER_SALES_JOBS.sweep, { now: new Date(deadline + 1_000).toISOString() });
    expect(await due.waitUntilFinished(events, 20_000)).toEqual({ acted: 1 });
    const again = await queue.add(AFTER_SALES_JOBS.sweep, { now: new Date(deadline + 2_000).toISOString() });
    expect(await again.waitUntilFinished(events, 20_000)).toEqual({ acted: 0 });
    const done = (
      await t.api
        .get(s.url(`/after-sales/${opened.id}`))
        .set(bearer(by.token))
        .expect(200)
    ).body;
    expect(done).toMatchObject({ status: 'refunded', amountFen: 2_500 });
    expect(done.history.at(-1)).toMatchObject({ actorType: 'system' });
  });
});
