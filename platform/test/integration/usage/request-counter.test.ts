import { randomBytes } from 'node:crypto';
import { MAINTENANCE_JOBS } from '@shopfleet/contracts';
import { createRedis, loadConfig, systemContext, type Redis } from '@shopfleet/platform';
import { requestCounter, type RequestCount } from '../../../src/modules/usage';
import { chinaDay } from '../../../src/kernel/china-time';
import { startTestPlatform, testNames, type TestPlatform } from '../../helpers/test-platform';
import { createShop } from '../../helpers/fixtures';

/** Adds taken counts up by shop and day. */
function sum(into: Map<string, number>, counts: RequestCount[]): void {
  for (const c of counts) into.set(`${c.tenantId}/${c.day}`, (into.get(`${c.tenantId}/${c.day}`) ?? 0) + c.n);
}

describe('the API request counter (Redis)', () => {
  let redis: Redis;
  let prefix: string;
  beforeAll(() => {
    redis = createRedis(loadConfig({ NODE_ENV: 'test' }).REDIS_URL, 'client', { enableAutoPipelining: true });
    prefix = `${testNames().prefix}_counter_${randomBytes(3).toString('hex')}`;
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('loses no count and counts none twice when flushes take the counts while API processes keep pushing', async () => {
    // Three API processes' counters and the worker's, on one Redis.
    const apis = [0, 1, 2].map(() => requestCounter(redis, prefix));
    const worker = requestCounter(redis, prefix);
    const shops = [101, 102, 103];
    const days = ['2026-12-06', '2026-12-07'];
    const hits: Array<{ tenantId: number; day: string }> = [];
    for (let i = 0; i < 3000; i++) hits.push({ tenantId: shops[i % 3]!, day: days[i % 7 === 0 ? 0 : 1]! });
    const expected = new Map<string, number>();
    for (const h of hits) expected.set(`${h.tenantId}/${h.day}`, (expected.get(`${h.tenantId}/${h.day}`) ?? 0) + 1);

    const taken = new Map<string, number>();
    let done = false;
    // Flushes run over and over while the hits go in, in waves, each process pushing its own, concurrently.
    const flushing = (async () => {
      let flushes = 0;
      while (!done) {
        sum(taken, await worker.take(shops));
        flushes++;
      }
      return flushes;
    })();
    for (let wave = 0; wave < hits.length; wave += 150) {
      hits.slice(wave, wave + 150).forEach((h, i) => apis[i % 3]!.hit(h.tenantId, h.day));
      await Promise.all(apis.map((api) => api.push()));
    }
    done = true;
    expect(await flushing).toBeGreaterThan(1);
    sum(taken, await worker.take(shops));

    expect(taken).toEqual(expected);
    // Nothing is left behind.
    expect(await worker.take(shops)).toEqual([]);
  });

  it('counts given back (a flush that could not write them) are added to those that came in since', async () => {
    const counter = requestCounter(redis, prefix);
    counter.hit(201, '2026-12-07');
    counter.hit(201, '2026-12-07');
    const taken = await counter.take([201]);
    expect(taken).toEqual([{ tenantId: 201, day: '2026-12-07', n: 2 }]);
    counter.hit(201, '2026-12-07');
    await counter.giveBack(taken);
    expect(await counter.take([201])).toEqual([{ tenantId: 201, day: '2026-12-07', n: 3 }]);
  });

  it('what an API process counted reaches the flush of another process (the worker) once pushed, and on close', async () => {
    const api = requestCounter(redis, prefix);
    const worker = requestCounter(redis, prefix);
    for (let i = 0; i < 7; i++) api.hit(301, '2026-12-07');
    // Not pushed yet: the worker's flush finds nothing of it.
    expect(await worker.take([301])).toEqual([]);
    await api.push();
    api.hit(301, '2026-12-07');
    api.hit(302, '2026-12-06');
    expect(await worker.take([301, 302])).toEqual([{ tenantId: 301, day: '2026-12-07', n: 7 }]);
    await api.close();
    expect(await worker.take([301, 302])).toEqual([
      { tenantId: 301, day: '2026-12-07', n: 1 },
      { tenantId: 302, day: '2026-12-06', n: 1 },
    ]);
  });
});

describe("the flush of API request counts into the shops' days", () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform();
  });
  afterAll(() => t.close());

  it('writes every request counted while flushes run, exactly once', async () => {
    const { usage } = t.platform.services;
    const ctx = systemContext(t.platform.log, MAINTENANCE_JOBS.flushApiRequests);
    const shops = [(await createShop(t)).id, (await createShop(t)).id];
    const day = chinaDay(t.clock.now());
    await usage.flushRequests(ctx);

    let done = false;
    const flushing = (async () => {
      while (!done) await usage.flushRequests(ctx);
    })();
    for (let wave = 0; wave < 20; wave++) {
      for (let i = 0; i < 50; i++) usage.countRequest(shops[(wave * 50 + i) % 2]!);
      await new Promise((resolve) => setImmediate(resolve));
    }
    done = true;
    await flushing;
    await usage.flushRequests(ctx);

    const requests = async (id: number) => (await usage.history(ctx, id, { from: day, to: day })).days[0]?.apiRequests;
    expect(await requests(shops[0]!)).toBe(500);
    expect(await requests(shops[1]!)).toBe(500);
  });
});
