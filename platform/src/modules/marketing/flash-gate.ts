import type { Redis } from '../../kernel/redis';

/*
 * The gate in front of a flash item's stock: Redis answers the rush — most shoppers "sold out" — and lets through to
 * MySQL only the shoppers it reserved a unit for. Every change is one Lua script, so it is atomic, and the keys of an
 * item share one hash tag (`{fs:<tenant>:<item>}`), so the scripts run on a Redis Cluster too.
 *
 * Per item: `meta` (stock left, the per-shopper limit, the session's start and end in ms, its id, the SKU, the payment
 * window), `buyers` (units per shopper, reserved or bought), `held` (each reservation: "shopper:units:ms"), `spent`
 * (reservations given back: a request retried with the same key is then looked up in MySQL, the only time the gate
 * sends an attempt there before its order). Every
 * script keeps `stock + Σ held units = the units the gate was loaded with`, so Redis agrees with MySQL exactly when
 * `held` holds the reservations of MySQL's live orders (and those on their way there). MySQL stays the authority: its
 * guarded update refuses a unit the gate let through wrongly, and the reconciliation mends the gate.
 */

/** What the gate is loaded with, from MySQL. */
export interface GateState {
  sessionId: number;
  skuId: number;
  stock: number;
  limit: number;
  startsAt: Date;
  endsAt: Date;
  paymentWindowMinutes: number;
  buyers: Array<{ shopperId: number; units: number }>;
  held: Array<{ reservation: string; shopperId: number; units: number }>;
}

/** What a reservation attempt came to. */
export type Reserve =
  | { kind: 'ok'; left: number; meta: GateMeta }
  | { kind: 'held'; meta: GateMeta }
  | { kind: 'spent' }
  | { kind: 'cold' }
  | { kind: 'sold_out' }
  | { kind: 'limit'; limit: number }
  | { kind: 'early'; startsAt: number }
  | { kind: 'ended' }
  | { kind: 'wrong_session' }
  | { kind: 'limited'; retryMs: number };

export interface GateMeta {
  sessionId: number;
  skuId: number;
  paymentWindowMinutes: number;
}

/** The rate limits the gate keeps per shopper and per address, in attempts per window. */
export interface GateLimits {
  perShopper: number;
  perAddress: number;
  windowMs: number;
}

const RESERVE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'cold'} end
local window = tonumber(ARGV[8])
local s = redis.call('INCR', KEYS[4])
if s == 1 then redis.call('PEXPIRE', KEYS[4], window) end
local a = redis.call('INCR', KEYS[5])
if a == 1 then redis.call('PEXPIRE', KEYS[5], window) end
if s > tonumber(ARGV[6]) or a > tonumber(ARGV[7]) then
  return {'limited', math.max(redis.call('PTTL', KEYS[4]), redis.call('PTTL', KEYS[5]))}
end
local m = redis.call('HMGET', KEYS[1], 'stock', 'limit', 'starts', 'ends', 'session', 'sku', 'window')
if m[5] ~= ARGV[5] then return {'wrong_session'} end
local now = tonumber(ARGV[4])
if now < tonumber(m[3]) then return {'early', m[3]} end
if now >= tonumber(m[4]) then return {'ended'} end
if redis.call('HEXISTS', KEYS[3], ARGV[3]) == 1 then return {'held', m[5], m[6], m[7]} end
if ARGV[9] == '1' then redis.call('SREM', KEYS[6], ARGV[3])
elseif redis.call('SISMEMBER', KEYS[6], ARGV[3]) == 1 then return {'spent'} end
local qty = tonumber(ARGV[2])
local stock = tonumber(m[1])
if stock < qty then return {'sold_out'} end
local had = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if had + qty > tonumber(m[2]) then return {'limit', m[2]} end
redis.call('HINCRBY', KEYS[1], 'stock', -qty)
redis.call('HINCRBY', KEYS[2], ARGV[1], qty)
redis.call('HSET', KEYS[3], ARGV[3], ARGV[1] .. ':' .. qty .. ':' .. ARGV[4])
return {'ok', tostring(stock - qty), m[5], m[6], m[7]}
`;

const RELEASE = `
local v = redis.call('HGET', KEYS[3], ARGV[1])
if not v then return 0 end
local shopper, qty = string.match(v, '^(%d+):(%d+):')
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[4], ttl) end
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HINCRBY', KEYS[1], 'stock', qty) end
if redis.call('HINCRBY', KEYS[2], shopper, -tonumber(qty)) <= 0 then redis.call('HDEL', KEYS[2], shopper) end
return 1
`;

const ADOPT = `
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then return 0 end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2] .. ':' .. ARGV[3] .. ':' .. ARGV[4])
redis.call('HINCRBY', KEYS[1], 'stock', -tonumber(ARGV[3]))
redis.call('HINCRBY', KEYS[2], ARGV[2], tonumber(ARGV[3]))
return 1
`;

// ARGV: stock, limit, starts, ends, session, sku, window, ttl ms, buyers count, then buyers (shopper, units) pairs,
// then held (reservation, value) pairs.
const LOAD = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('HSET', KEYS[1], 'stock', ARGV[1], 'limit', ARGV[2], 'starts', ARGV[3], 'ends', ARGV[4],
  'session', ARGV[5], 'sku', ARGV[6], 'window', ARGV[7])
local n = tonumber(ARGV[9])
local i = 10
for _ = 1, n do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]); i = i + 2 end
while i < #ARGV do redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1]); i = i + 2 end
for k = 1, 3 do redis.call('PEXPIRE', KEYS[k], tonumber(ARGV[8])) end
return 1
`;

// A merge: the units and reservations of one shopper (ARGV[1]) become another's (ARGV[2]).
const MOVE_BUYER = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local n = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if n > 0 then redis.call('HINCRBY', KEYS[2], ARGV[2], n) end
redis.call('HDEL', KEYS[2], ARGV[1])
local held = redis.call('HGETALL', KEYS[3])
for i = 1, #held, 2 do
  local shopper, rest = string.match(held[i + 1], '^(%d+):(.*)$')
  if shopper == ARGV[1] then redis.call('HSET', KEYS[3], held[i], ARGV[2] .. ':' .. rest) end
end
return 1
`;

const END_NOW = `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'ends', ARGV[1]) end
return 1
`;

type GateRedis = Redis & {
  flashReserve(...args: Array<string | number>): Promise<string[]>;
  flashRelease(...args: Array<string | number>): Promise<number>;
  flashAdopt(...args: Array<string | number>): Promise<number>;
  flashLoad(...args: Array<string | number>): Promise<number>;
  flashEndNow(...args: Array<string | number>): Promise<number>;
  flashMoveBuyer(...args: Array<string | number>): Promise<number>;
};

/** How long after its session's end an item's gate is kept (for late releases and the live view). */
const KEEP_AFTER_END_MS = 3_600_000;

export function flashGate(redis: Redis, prefix: string) {
  const r = redis as GateRedis;
  if (typeof (r as Partial<GateRedis>).flashReserve !== 'function') {
    redis.defineCommand('flashReserve', { numberOfKeys: 6, lua: RESERVE });
    redis.defineCommand('flashRelease', { numberOfKeys: 4, lua: RELEASE });
    redis.defineCommand('flashAdopt', { numberOfKeys: 3, lua: ADOPT });
    redis.defineCommand('flashLoad', { numberOfKeys: 3, lua: LOAD });
    redis.defineCommand('flashEndNow', { numberOfKeys: 1, lua: END_NOW });
  }
  if (typeof (r as Partial<GateRedis>).flashMoveBuyer !== 'function') {
    redis.defineCommand('flashMoveBuyer', { numberOfKeys: 3, lua: MOVE_BUYER });
  }
  const tag = (tenantId: number, itemId: number) => `${prefix}:{fs:${tenantId}:${itemId}}`;
  const keys = (tenantId: number, itemId: number) => {
    const t = tag(tenantId, itemId);
    return [`${t}:meta`, `${t}:buyers`, `${t}:held`];
  };
  const spentKey = (tenantId: number, itemId: number) => `${tag(tenantId, itemId)}:spent`;
  const metaOf = (a: string, b: string, c: string): GateMeta => ({
    sessionId: Number(a),
    skuId: Number(b),
    paymentWindowMinutes: Number(c),
  });

  return {
    /**
     * One attempt to reserve `quantity` units for a shopper under `reservation` (the same reservation twice is held
     * once; one given back is `spent`, unless `again`): the rate limits, the session's period, the stock and the
     * per-shopper limit, in one step.
     */
    async reserve(
      tenantId: number,
      itemId: number,
      a: {
        shopperId: number;
        quantity: number;
        reservation: string;
        sessionId: number;
        address: string;
        at: Date;
        again?: boolean;
      },
      limits: GateLimits,
    ): Promise<Reserve> {
      const t = tag(tenantId, itemId);
      const [kind, x, y, z, w] = await r.flashReserve(
        ...keys(tenantId, itemId),
        `${t}:rs:${a.shopperId}`,
        `${t}:ra:${a.address}`,
        spentKey(tenantId, itemId),
        a.shopperId,
        a.quantity,
        a.reservation,
        a.at.getTime(),
        a.sessionId,
        limits.perShopper,
        limits.perAddress,
        limits.windowMs,
        a.again ? '1' : '0',
      );
      switch (kind) {
        case 'ok':
          return { kind, left: Number(x), meta: metaOf(y!, z!, w!) };
        case 'held':
          return { kind, meta: metaOf(x!, y!, z!) };
        case 'limit':
          return { kind, limit: Number(x) };
        case 'early':
          return { kind, startsAt: Number(x) };
        case 'limited':
          return { kind, retryMs: Math.max(1, Number(x)) };
        case 'cold':
        case 'spent':
        case 'sold_out':
        case 'ended':
        case 'wrong_session':
          return { kind };
        default:
          throw new Error(`flash gate: unexpected answer ${String(kind)}`);
      }
    },

    /** Gives a reservation's units back to the gate (once: a second release does nothing). */
    async release(tenantId: number, itemId: number, reservation: string): Promise<boolean> {
      return (await r.flashRelease(...keys(tenantId, itemId), spentKey(tenantId, itemId), reservation)) === 1;
    },

    /** Takes into the gate a reservation MySQL has an order for and the gate lost (after Redis lost its data). */
    async adopt(tenantId: number, itemId: number, h: GateState['held'][number], at: Date): Promise<boolean> {
      return (await r.flashAdopt(...keys(tenantId, itemId), h.reservation, h.shopperId, h.units, at.getTime())) === 1;
    },

    /** Loads an item's gate from MySQL's state, unless another process loaded it first. */
    async load(tenantId: number, itemId: number, s: GateState, at: Date): Promise<boolean> {
      const ttl = Math.max(60_000, s.endsAt.getTime() + KEEP_AFTER_END_MS - at.getTime());
      const args: Array<string | number> = [
        s.stock,
        s.limit,
        s.startsAt.getTime(),
        s.endsAt.getTime(),
        s.sessionId,
        s.skuId,
        s.paymentWindowMinutes,
        ttl,
        s.buyers.length,
        ...s.buyers.flatMap((b) => [b.shopperId, b.units]),
        ...s.held.flatMap((h) => [h.reservation, `${h.shopperId}:${h.units}:${at.getTime()}`]),
      ];
      return (await r.flashLoad(...keys(tenantId, itemId), ...args)) === 1;
    },

    /** A merge: one shopper's units and reservations at an item's gate become another's (a cold gate is left cold). */
    async moveBuyer(tenantId: number, itemId: number, fromId: number, toId: number): Promise<void> {
      await r.flashMoveBuyer(...keys(tenantId, itemId), fromId, toId);
    },

    /** Ends an item's gate now (the session was stopped): every attempt after is answered "ended". */
    async endNow(tenantId: number, itemId: number, at: Date): Promise<void> {
      await r.flashEndNow(keys(tenantId, itemId)[0]!, at.getTime());
    },

    /** Forgets an item's gate: the next attempt loads it again from MySQL. */
    async forget(tenantId: number, itemId: number): Promise<void> {
      await redis.del(...keys(tenantId, itemId), spentKey(tenantId, itemId));
    },

    /** Units left at the gate per item (null: not loaded). */
    async left(tenantId: number, itemIds: number[]): Promise<Map<number, number | null>> {
      if (itemIds.length === 0) return new Map();
      const pipe = redis.pipeline();
      for (const id of itemIds) pipe.hget(keys(tenantId, id)[0]!, 'stock');
      const out = (await pipe.exec()) ?? [];
      return new Map(itemIds.map((id, i) => [id, out[i]?.[1] == null ? null : Number(out[i]![1])]));
    },

    /** The gate's reservations of an item: reservation → shopper, units and when it was made. */
    async held(
      tenantId: number,
      itemId: number,
    ): Promise<Map<string, { shopperId: number; units: number; at: number }>> {
      const all = await redis.hgetall(keys(tenantId, itemId)[2]!);
      return new Map(
        Object.entries(all).map(([k, v]) => {
          const [shopperId, units, at] = v.split(':').map(Number);
          return [k, { shopperId: shopperId!, units: units!, at: at! }];
        }),
      );
    },

    /** Counts a visitor of a session (a shopper, or an address when signed out). */
    async visit(tenantId: number, sessionIds: number[], visitor: string): Promise<void> {
      if (sessionIds.length === 0) return;
      const pipe = redis.pipeline();
      for (const id of sessionIds) {
        const key = `${prefix}:{fs:${tenantId}:s${id}}:visitors`;
        pipe.pfadd(key, visitor);
        pipe.pexpire(key, 14 * 86_400_000);
      }
      await pipe.exec();
    },

    async visitors(tenantId: number, sessionId: number): Promise<number> {
      return redis.pfcount(`${prefix}:{fs:${tenantId}:s${sessionId}}:visitors`);
    },
  };
}

export type FlashGate = ReturnType<typeof flashGate>;
