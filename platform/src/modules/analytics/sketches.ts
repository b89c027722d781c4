import type { Redis } from '../../kernel/redis';
import type { People } from './analytics.repository';

/** How long a day's sketch stays in Redis after it was last built or read (MySQL keeps it for good). */
const TTL_SECONDS = 40 * 86_400;
const ADD_BATCH = 1000;
/** A month's merged sketch lives a day: built again on demand from its days. */
const MONTH_TTL_SECONDS = 86_400;

/**
 * People counted with Redis's HyperLogLog (12 KiB at most per sketch, standard error 0.81 %): a day's sketch of each
 * kind of people is built from the day's distinct ids and kept in MySQL as Redis writes it, so that the people of a range
 * of days are one PFCOUNT over their sketches (a merge, which a sum of daily counts is not). A tenant's keys share one
 * hash tag, so a PFCOUNT over many days also runs on a Redis Cluster.
 */
export function sketchStore(redis: Redis, prefix: string) {
  const key = (tenantId: number, people: People, day: string) => `${prefix}:{an:${tenantId}}:${people}:${day}`;
  const generationKey = (tenantId: number) => `${prefix}:{an:${tenantId}}:generation`;

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

    /** Days' sketches changed: merged months built before are not used again (they expire on their own). */
    async changed(tenantId: number): Promise<void> {
      await redis.incr(generationKey(tenantId));
    },

    /**
     * The people of some days: a PFCOUNT over their sketches, each put back in Redis from `load` when it has left (a
     * day without a stored sketch had nobody). The days of `wholeMonths` (months over, wholly in the range) are counted
     * through one merged sketch per month, built once for each generation of the days' sketches, so that a year is a
     * merge of about a dozen sketches rather than of 365.
     */
    async count(
      tenantId: number,
      people: People,
      days: readonly string[],
      load: (missing: string[]) => Promise<Map<string, Buffer>>,
      wholeMonths: readonly string[] = [],
    ): Promise<number> {
      if (!days.length) return 0;
      const generation = (await redis.get(generationKey(tenantId))) ?? '0';
      const monthKey = (month: string) => `${key(tenantId, people, `m${month}`)}:${generation}`;
      const months = new Set(wholeMonths.map((m) => m.slice(0, 7)));
      const inMonth = (day: string) => months.has(day.slice(0, 7));
      const built = months.size ? await redis.pipeline([...months].map((m) => ['exists', monthKey(m)])).exec() : [];
      const ready = new Set([...months].filter((_m, i) => built?.[i]?.[1]));
      // Day sketches needed: those outside whole months, and those of months still to merge.
      const needed = days.filter((d) => !inMonth(d) || !ready.has(d.slice(0, 7)));
      const present = await ensure(tenantId, people, needed, load);
      for (const m of months) {
        if (ready.has(m)) continue;
        const parts = needed.filter((d) => d.slice(0, 7) === m && present.has(d)).map((d) => key(tenantId, people, d));
        if (!parts.length) continue;
        await redis.pfmerge(monthKey(m), ...parts);
        await redis.expire(monthKey(m), MONTH_TTL_SECONDS);
        ready.add(m);
      }
      const counted = [
        ...[...ready].map(monthKey),
        ...days.filter((d) => !inMonth(d) && present.has(d)).map((d) => key(tenantId, people, d)),
      ];
      return counted.length ? redis.pfcount(...counted) : 0;
    },
  };

  /** Puts the days' sketches that left Redis back from MySQL; returns the days that have one. */
  async function ensure(
    tenantId: number,
    people: People,
    days: readonly string[],
    load: (missing: string[]) => Promise<Map<string, Buffer>>,
  ): Promise<Set<string>> {
    if (!days.length) return new Set();
    const there = await redis.pipeline(days.map((d) => ['exists', key(tenantId, people, d)])).exec();
    const present = new Set(days.filter((_d, i) => there?.[i]?.[1]));
    const missing = days.filter((d) => !present.has(d));
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
    return present;
  }
}

export type SketchStore = ReturnType<typeof sketchStore>;
