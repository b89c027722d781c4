import { Redis, type RedisOptions } from 'ioredis';

export { Redis };

/**
 * Redis connections as the BullMQ production guide says: commands of the API (and queue producers)
 * fail fast when Redis is away (two reconnection attempts per command), while worker connections
 * wait forever (maxRetriesPerRequest: null); both reconnect with backoff.
 */
export function createRedis(url: string, role: 'client' | 'worker', extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: role === 'worker' ? null : 2,
    connectTimeout: 5000,
    retryStrategy: (times) => Math.min(times * 200, 5000),
    lazyConnect: false,
    ...extra,
  });
}
