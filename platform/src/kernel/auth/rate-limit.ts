import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Redis } from '../redis';
import { TooManyRequestsError } from '../errors';

export interface LimitSpec {
  /** How many points in the window. */
  points: number;
  durationSeconds: number;
  /** Once spent, how long the key stays blocked. */
  blockSeconds?: number;
}

/** A named Redis-backed limiter; `consume` throws a 429 error with Retry-After when spent. */
export class Limiter {
  private readonly limiter: RateLimiterRedis;

  constructor(redis: Redis, prefix: string, name: string, spec: LimitSpec) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:rl:${name}`,
      points: spec.points,
      duration: spec.durationSeconds,
      blockDuration: spec.blockSeconds ?? 0,
      useRedisPackage: false,
    });
  }

  async consume(key: string, message = 'Too many attempts; try again later'): Promise<void> {
    try {
      await this.limiter.consume(key);
    } catch (res) {
      if (res instanceof RateLimiterRes) {
        throw new TooManyRequestsError(message, Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
      }
      throw res;
    }
  }

  /** Throws when the key is already spent, without spending a point. */
  async check(key: string, message = 'Too many attempts; try again later'): Promise<void> {
    const res = await this.limiter.get(key);
    if (res && res.remainingPoints <= 0 && res.msBeforeNext > 0) {
      throw new TooManyRequestsError(message, Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
    }
  }

  async reset(key: string): Promise<void> {
    await this.limiter.delete(key);
  }
}
