import { AppError } from './errors';
import type { Redis } from './redis';

/**
 * A token shared by every process through Redis and renewed by one of them at a time: the first
 * caller to miss takes a lock and produces it, the others wait for it to appear. Tokens whose
 * renewals are rationed by the issuer (WeChat's) are spent once this way, not once per process.
 */
export async function sharedToken(
  redis: Redis,
  key: string,
  produce: () => Promise<{ value: string; ttlSeconds: number }>,
): Promise<string> {
  const cached = await redis.get(key);
  if (cached) return cached;
  const lockKey = `${key}:lock`;
  for (let attempt = 0; attempt < 50; attempt++) {
    const locked = await redis.set(lockKey, '1', 'PX', 10_000, 'NX');
    if (locked === 'OK') {
      try {
        const again = await redis.get(key);
        if (again) return again;
        const { value, ttlSeconds } = await produce();
        await redis.set(key, value, 'EX', Math.max(60, ttlSeconds));
        return value;
      } finally {
        await redis.del(lockKey);
      }
    }
    await new Promise((r) => setTimeout(r, 100));
    const fresh = await redis.get(key);
    if (fresh) return fresh;
  }
  throw new AppError('UPSTREAM_UNAVAILABLE', 'Timed out waiting for a shared token', 503);
}
