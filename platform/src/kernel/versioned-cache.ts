import { LRUCache } from 'lru-cache';
import type { Redis } from './redis';

/**
 * A read cache for data that changes rarely and is read a lot (a shop's catalog, its shipping rules): entries are keyed by
 * a per-tenant version that every change bumps, so invalidation is one INCR and stale entries simply
 * stop being read. Two levels: a small in-process LRU (fresh for `localTtlMs`, so a change shows within
 * that time in every process) in front of Redis (shared by all processes).
 */
export class VersionedCache {
  private readonly local: LRUCache<string, string>;
  /** What `value` and `valueMany` keep in process: the JSON parsed once, shared (read-only) by every request. */
  private readonly parsed: LRUCache<string, { value: unknown }>;
  private readonly versions: LRUCache<number, string>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly opts: { localTtlMs: number; redisTtlSeconds: number; maxLocalEntries: number; namespace?: string },
  ) {
    this.local = new LRUCache({ max: opts.maxLocalEntries, ttl: opts.localTtlMs });
    this.parsed = new LRUCache({ max: opts.maxLocalEntries, ttl: opts.localTtlMs });
    this.versions = new LRUCache({ max: 10_000, ttl: opts.localTtlMs });
  }

  private versionKey(tenantId: number): string {
    return `${this.prefix}:${this.opts.namespace ?? 'catalog'}:v:${tenantId}`;
  }

  async version(tenantId: number): Promise<string> {
    const known = this.versions.get(tenantId);
    if (known !== undefined) return known;
    const v = (await this.redis.get(this.versionKey(tenantId))) ?? '0';
    this.versions.set(tenantId, v);
    return v;
  }

  /** Invalidates everything cached for the tenant (in every process within the local TTL). */
  async bump(tenantId: number): Promise<void> {
    await this.redis.incr(this.versionKey(tenantId));
    this.versions.delete(tenantId);
  }

  /**
   * The JSON texts cached under each of `keys`; those missing are computed together by `load` (given the missing keys,
   * it answers a value for each), stored and returned. One Redis round trip for the keys the process has not kept.
   */
  async jsonMany(
    tenantId: number,
    keys: string[],
    load: (missing: string[]) => Promise<Map<string, unknown>>,
  ): Promise<Map<string, string>> {
    return this.textsAt(tenantId, await this.version(tenantId), keys, load, true);
  }

  /**
   * The values cached under each of `keys`, parsed from their JSON once per process and shared by every caller until
   * they expire locally: a read-heavy path (recommendations) parses nothing on a hit. Callers must not change them.
   */
  async valueMany<T>(
    tenantId: number,
    keys: string[],
    load: (missing: string[]) => Promise<Map<string, unknown>>,
  ): Promise<Map<string, Readonly<T>>> {
    const version = await this.version(tenantId);
    const out = new Map<string, Readonly<T>>();
    const away: string[] = [];
    for (const key of new Set(keys)) {
      const hit = this.parsed.get(`${tenantId}:${version}:${key}`);
      if (hit !== undefined) out.set(key, hit.value as T);
      else away.push(key);
    }
    if (away.length === 0) return out;
    // The texts are parsed here and kept parsed, not as text as well.
    const texts = await this.textsAt(tenantId, version, away, load, false);
    for (const [key, text] of texts) {
      const value = JSON.parse(text) as T;
      this.parsed.set(`${tenantId}:${version}:${key}`, { value });
      out.set(key, value);
    }
    return out;
  }

  /** The value cached under `key` (as `valueMany`), or computed by `load`, stored and returned. */
  async value<T>(tenantId: number, key: string, load: () => Promise<unknown>): Promise<Readonly<T>> {
    const values = await this.valueMany<T>(tenantId, [key], async () => new Map([[key, await load()]]));
    return values.get(key)!;
  }

  private async textsAt(
    tenantId: number,
    version: string,
    keys: string[],
    load: (missing: string[]) => Promise<Map<string, unknown>>,
    keepText: boolean,
  ): Promise<Map<string, string>> {
    const full = (key: string) => `${tenantId}:${version}:${key}`;
    const redisKey = (key: string) => `${this.prefix}:${this.opts.namespace ?? 'catalog'}:c:${full(key)}`;
    const out = new Map<string, string>();
    const away: string[] = [];
    for (const key of new Set(keys)) {
      const hit = keepText ? this.local.get(full(key)) : undefined;
      if (hit !== undefined) out.set(key, hit);
      else away.push(key);
    }
    if (away.length === 0) return out;
    const shared = await this.redis.mget(away.map(redisKey));
    const missing: string[] = [];
    away.forEach((key, i) => {
      const text = shared[i];
      if (text === null || text === undefined) missing.push(key);
      else {
        if (keepText) this.local.set(full(key), text);
        out.set(key, text);
      }
    });
    if (missing.length === 0) return out;
    const loaded = await load(missing);
    await Promise.all(
      missing.map((key) => {
        const text = JSON.stringify(loaded.get(key) ?? null);
        if (keepText) this.local.set(full(key), text);
        out.set(key, text);
        return this.redis.set(redisKey(key), text, 'EX', this.opts.redisTtlSeconds);
      }),
    );
    return out;
  }

  /** The JSON text cached under `key`, or computed by `load`, stored and returned. */
  async json(tenantId: number, key: string, load: () => Promise<unknown>): Promise<string> {
    const version = await this.version(tenantId);
    const full = `${tenantId}:${version}:${key}`;
    const hit = this.local.get(full);
    if (hit !== undefined) return hit;
    const redisKey = `${this.prefix}:${this.opts.namespace ?? 'catalog'}:c:${full}`;
    const shared = await this.redis.get(redisKey);
    if (shared !== null) {
      this.local.set(full, shared);
      return shared;
    }
    const text = JSON.stringify(await load());
    await this.redis.set(redisKey, text, 'EX', this.opts.redisTtlSeconds);
    this.local.set(full, text);
    return text;
  }
}
