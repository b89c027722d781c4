import type { Redis } from '../../kernel/redis';
import type { People } from './analytics.repository';

/** How long a day's sketch stays in Redis after it was last built or read (MySQL keeps it for good). */
const TTL_SECONDS = 40 * 86_400;
const ADD_BATCH = 1000;

/**
 * People counted with Redis's HyperLogLog (12 KiB at most per sketch, standard error 0.81 %): a day's sketch of each
 * kind of people is built from the day's distinct ids and kept in MySQL as Redis writes it, so that the people of a range
 * of days are one PFCOUNT over their sketches (a merge, which a sum of daily counts is not). A tenant's keys share one
 * hash tag, so a PFCOUNT over many days also runs on a Redis Cluster.
 */
export function sketchStore(redis: Redis, prefix: string) {
  const key = (tenantId: number, people: People, day: string) => `${prefix}:{an:${tenantId}}:${people}:${day}`;

  return {
    /** Builds a day's sketch of these ids (replacing any before); returns its bytes. */
    async build(tenantId: number, people: People, day: string, ids: readonly string[]): Promise<Buffer> {
      const target = key(tenantId, people, day);
      const building = `${target}:building`;
      await redis.del(building);
      for (let i = 0; i < ids.length; i += ADD_BATCH) await redis.pfadd(building, ...ids.slice(i, i + ADD_BATCH));
      if (!ids.length) await redis.pfadd(building);
      await redis.rename(building, target);
      await redis.expire(target, TTL_SECONDS);
      return (await redis.getBuffer(target)) as Buffer;
    },

    /**
     * The people of some days: a PFCOUNT over their sketches, each put back in Redis from `load` when it has left (a
     * day without a stored sketch had nobody).
     */
    async count(
      tenantId: number,
      people: People,
      days: readonly string[],
      load: (missing: string[]) => Promise<Map<string, Buffer>>,
    ): Promise<number> {
      if (!days.length) return 0;
      const keys = days.map((d) => key(tenantId, people, d));
      const there = await redis.pipeline(keys.map((k) => ['exists', k])).exec();
      const missing = days.filter((_d, i) => !there?.[i]?.[1]);
      const present = new Set(days.filter((_d, i) => there?.[i]?.[1]));
      if (missing.length) {
        const loaded = await load(missing);
        if (loaded.size) {
          const pipe = redis.pipeline();
          for (const [day, sketch] of loaded) {
            pipe.set(key(tenantId, people, day), sketch, 'EX', TTL_SECONDS);
            present.add(day);
          }
          await pipe.exec();
        }
      }
      const counted = days.filter((d) => present.has(d)).map((d) => key(tenantId, people, d));
      return counted.length ? redis.pfcount(...counted) : 0;
    },
  };
}

export type SketchStore = ReturnType<typeof sketchStore>;
