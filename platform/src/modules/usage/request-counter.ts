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

/** How often a process adds the requests it counted to Redis. */
const PUSH_EVERY_MS = 1000;

/**
 * The API requests of each shop, counted by China-time day: each process adds up its own in memory and adds them to
 * Redis once a second (and as it closes), so a request costs no Redis command. A shop's counts in Redis are one hash
 * (`<prefix>:{usage:<tenant>}:api`, a field per day), so they live in one slot of a Redis Cluster and a flush takes them
 * whole in one atomic script: an increment made while the flush runs is counted in the next one, never lost and never
 * counted twice. What a process counted in its last second is lost if it dies without closing.
 */
export function requestCounter(redis: Redis, prefix: string, opts: { onPushFailed?: (err: unknown) => void } = {}) {
  const r = redis as CounterRedis;
  if (typeof (r as Partial<CounterRedis>).usageTake !== 'function')
    redis.defineCommand('usageTake', { numberOfKeys: 1, lua: TAKE });
  const key = (tenantId: number) => `${prefix}:{usage:${tenantId}}:api`;
  /** Counted here, not yet in Redis: by shop, then day. */
  let pending = new Map<number, Map<string, number>>();
  let timer: NodeJS.Timeout | null = null;

  const add = (into: Map<number, Map<string, number>>, tenantId: number, day: string, n: number) => {
    let days = into.get(tenantId);
    if (!days) into.set(tenantId, (days = new Map()));
    days.set(day, (days.get(day) ?? 0) + n);
  };

  /** Adds what this process counted to Redis; counts Redis did not take stay for the next push. */
  async function push(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.size === 0) return;
    const counts = pending;
    pending = new Map();
    const pipeline = redis.pipeline();
    for (const [tenantId, days] of counts) for (const [day, n] of days) pipeline.hincrby(key(tenantId), day, n);
    let results: Array<[Error | null, unknown]>;
    try {
      results = (await pipeline.exec()) ?? [];
    } catch (err) {
      for (const [tenantId, days] of counts) for (const [day, n] of days) add(pending, tenantId, day, n);
      schedule();
      throw err;
    }
    const failed = results.find(([err]) => err)?.[0];
    if (failed) {
      // A pipeline's commands fail or pass one by one: only those that failed are counted again.
      let i = 0;
      for (const [tenantId, days] of counts)
        for (const [day, n] of days) if (results[i++]?.[0]) add(pending, tenantId, day, n);
      schedule();
      throw failed;
    }
  }

  function schedule(): void {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      push().catch((err: unknown) => opts.onPushFailed?.(err));
    }, PUSH_EVERY_MS);
    timer.unref();
  }

  return {
    /** Counts one request of the shop on the day. */
    hit(tenantId: number, day: string): void {
      add(pending, tenantId, day, 1);
      schedule();
    },

    push,

    /**
     * Takes (reads and clears, atomically per shop) the counts of these shops, every day they hold, this process's
     * own pushed first.
     */
    async take(tenantIds: number[]): Promise<RequestCount[]> {
      await push();
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

    /** Pushes what is left (the process is closing). */
    close: () => push(),
  };
}

export type RequestCounter = ReturnType<typeof requestCounter>;
