import type { Redis } from '../../kernel/redis';

/** Reads a hash and deletes it in one step: an increment lands either in what is taken or in the next hash. */
const TAKE = `
local counts = redis.call('HGETALL', KEYS[1])
if #counts > 0 then redis.call('DEL', KEYS[1]) end
return counts
`;

type CounterRedis = Redis & { usageTake(key: string): Promise<string[]> };

/** A shop's API requests of a China-time day, as taken from Redis. */
export interface RequestCount {
  tenantId: number;
  day: string;
  n: number;
}

/**
 * The API requests of each shop, counted in Redis by China-time day: one HINCRBY per request, no database write. A
 * shop's counts are one hash (`<prefix>:{usage:<tenant>}:api`, a field per day), so they live in one slot of a Redis
 * Cluster and a flush takes them whole in one atomic script: an increment made while the flush runs is counted in the
 * next one, never lost and never counted twice.
 */
export function requestCounter(redis: Redis, prefix: string) {
  const r = redis as CounterRedis;
  if (typeof (r as Partial<CounterRedis>).usageTake !== 'function')
    redis.defineCommand('usageTake', { numberOfKeys: 1, lua: TAKE });
  const key = (tenantId: number) => `${prefix}:{usage:${tenantId}}:api`;

  return {
    /** Counts one request of the shop on the day. */
    async hit(tenantId: number, day: string): Promise<void> {
      await redis.hincrby(key(tenantId), day, 1);
    },

    /** Takes (reads and clears, atomically per shop) the counts of these shops, every day they hold. */
    async take(tenantIds: number[]): Promise<RequestCount[]> {
      const taken = await Promise.all(tenantIds.map((id) => r.usageTake(key(id))));
      return taken.flatMap((flat, i) => {
        const out: RequestCount[] = [];
        for (let f = 0; f < flat.length; f += 2)
          out.push({ tenantId: tenantIds[i]!, day: flat[f]!, n: Number(flat[f + 1]) });
        return out;
      });
    },

    /** Puts taken counts back (a flush that could not write them): they are added to whatever came in since. */
    async giveBack(counts: RequestCount[]): Promise<void> {
      await Promise.all(counts.map((c) => redis.hincrby(key(c.tenantId), c.day, c.n)));
    },
  };
}

export type RequestCounter = ReturnType<typeof requestCounter>;
