import { randomBytes } from 'node:crypto';
import { createRedis, loadConfig, type Redis } from '@shopfleet/platform';
import { VersionedCache } from '../../../src/kernel/versioned-cache';
import { testNames } from '../../helpers/test-platform';

describe('the versioned cache’s parsed values (Redis)', () => {
  let redis: Redis;
  let prefix: string;
  beforeAll(() => {
    redis = createRedis(loadConfig({ NODE_ENV: 'test' }).REDIS_URL, 'client', { enableAutoPipelining: true });
    prefix = `${testNames().prefix}_vcache_${randomBytes(3).toString('hex')}`;
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });
  const cacheOf = () =>
    new VersionedCache(redis, prefix, {
      localTtlMs: 60_000,
      redisTtlSeconds: 60,
      maxLocalEntries: 100,
      namespace: 't',
    });

  it('loads what is missing once, shares one parsed value within a process, and reads another process’s from Redis', async () => {
    const one = cacheOf();
    const loads: string[][] = [];
    const load = async (missing: string[]) => {
      loads.push(missing);
      return new Map(missing.map((key) => [key, { key, list: [1, 2, 3] }]));
    };
    const first = await one.valueMany<{ key: string; list: number[] }>(7, ['a', 'b'], load);
    const again = await one.valueMany<{ key: string; list: number[] }>(7, ['b', 'a', 'c'], load);
    expect(loads).toEqual([['a', 'b'], ['c']]);
    expect(again.get('a')).toBe(first.get('a'));
    expect(again.get('c')).toEqual({ key: 'c', list: [1, 2, 3] });

    // Another process finds them in Redis: nothing is loaded again.
    const other = cacheOf();
    expect(await other.value(7, 'a', () => Promise.reject(new Error('not loaded again')))).toEqual({
      key: 'a',
      list: [1, 2, 3],
    });
    expect(loads).toHaveLength(2);
  });

  it('a bump of the shop’s version makes every process load anew, and other shops keep theirs', async () => {
    const cache = cacheOf();
    let n = 0;
    const load = () => Promise.resolve({ n: ++n });
    expect(await cache.value(8, 'x', load)).toEqual({ n: 1 });
    expect(await cache.value(9, 'x', load)).toEqual({ n: 2 });
    await cache.bump(8);
    expect(await cache.value(8, 'x', load)).toEqual({ n: 3 });
    expect(await cache.value(9, 'x', load)).toEqual({ n: 2 });
  });
});
