// Shared benchmark plumbing: the real platform on its own database, autocannon, and a bare-Node ceiling.
import { fork, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const require = createRequire(import.meta.url);
const platformLib = require('../platform/dist/index.js');

/** The environment of a benchmark's platform: its own database, Redis prefix and data folder. */
export function benchEnv(name) {
  return {
    ...process.env,
    NODE_ENV: 'production',
    AUTH_SECRET: process.env.AUTH_SECRET ?? 'bench-only-secret-bench-only-secret-0123456789',
    DATA_ENCRYPTION_KEYS: process.env.DATA_ENCRYPTION_KEYS ?? `k1:${Buffer.alloc(32, 9).toString('base64')}`,
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? `mysql://root@127.0.0.1:3306/shopfleet_bench_${name}`,
    REDIS_PREFIX: `sfbench_${name}`,
    EMBEDDED_S3_PORT: process.env.BENCH_S3_PORT ?? '4590',
    DATA_DIR: `/tmp/shopfleet-bench-${name}`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX ?? '30',
  };
}

/**
 * The platform as a library in this process, for loading data the way a merchant would. `fresh` starts
 * from an empty database and no Redis keys of this benchmark's own, so that a run does not inherit the
 * rows and queued jobs of the runs before it (they grew the tables past the buffer pool, and each run
 * was slower than the last). A database given by BENCH_DATABASE_URL is never dropped.
 */
export async function openPlatform(name, { fresh = false } = {}) {
  const env = benchEnv(name);
  if (fresh) await clearBenchState(env);
  const config = platformLib.loadConfig(env);
  await platformLib.preflight(config);
  return platformLib.createPlatform(config, { log: platformLib.createLogger('warn', 'bench-loader') });
}

async function clearBenchState(env) {
  if (!process.env.BENCH_DATABASE_URL) {
    const url = new URL(env.DATABASE_URL);
    const mysql = require('mysql2/promise');
    const db = await mysql.createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    });
    await db.query('DROP DATABASE IF EXISTS ??', [url.pathname.slice(1)]);
    await db.end();
  }
  const { Redis } = require('ioredis');
  const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  for (const pattern of [`${env.REDIS_PREFIX}:*`, `{${env.REDIS_PREFIX}:bull}*`]) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
  await redis.quit();
}

/** Starts a server process (`platform` or `ceiling`) and resolves with its URL once it listens. */
export function startServer(mode, name) {
  // BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the server process.
  const nodeArgs = [
    // The API as the Dockerfile and `npm start` run it.
    ...(mode === 'platform' ? ['--max-semi-space-size=64'] : []),
    ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean),
  ];
  const child = spawn(process.execPath, [...nodeArgs, fileURLToPath(new URL('./serve.mjs', import.meta.url)), mode], {
    env: benchEnv(name),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      // BENCH_SERVER_LOG=<file> keeps the server's log (warnings and errors at the default level).
      if (process.env.BENCH_SERVER_LOG) fs.appendFileSync(process.env.BENCH_SERVER_LOG, chunk);
      const m = /READY (\d+)(?: ([\d,]+))?\n/.exec(out);
      if (m) {
        resolve({
          url: `http://127.0.0.1:${m[1]}`,
          pid: child.pid,
          // The processes that serve (API_PROCESSES > 1: the cluster's workers, not the process that forked them).
          pids: m[2] ? m[2].split(',').map(Number) : [child.pid],
          close: () =>
            new Promise((r) => {
              child.once('exit', r);
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

/**
 * CPU seconds used so far by a process (user + system), from /proc: with `cpuShare` a benchmark tells
 * whether the server, the load generator or neither was the bottleneck of a run. Null off Linux.
 */
export function cpuSeconds(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Runs autocannon and returns requests/s, latency p50/p99 and errors (non-2xx included). */
export async function load(opts) {
  const result = await autocannon(
    opts.amount ? { connections: 50, ...opts } : { connections: 50, duration: 20, ...opts },
  );
  if (opts.amount) return { rps: 0, errors: result.errors + result.timeouts + result.non2xx };
  return {
    rps: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

export function printTable(rows) {
  const head = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'errors'];
  const lines = rows.map(([name, r]) => [name, r.rps, r.p50_ms ?? '', r.p99_ms ?? '', r.errors ?? ''].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  process.stdout.write(`${fmt(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${lines.map(fmt).join('\n')}\n`);
}

/** The number of 5xx answers among autocannon's statuses. */
export const count5xx = (statuses) => [...statuses].filter(([status]) => status >= 500).reduce((n, [, c]) => n + c, 0);

const p99 = (ms) => (ms.length ? Math.round(ms.sort((x, y) => x - y)[Math.ceil(ms.length * 0.99) - 1]) : null);

/**
 * Shoppers of a shop as sign-in would make them: a shopper row, a default address and a session each (sign-in itself is
 * not measured). Phones are `1<prefix><8 digits>`: give each group its own prefix.
 */
export async function makeShoppers(platform, ctx, tenantId, n, prefix) {
  const rows = Array.from({ length: n }, (_, i) => ({
    tenant_id: tenantId,
    phone: `1${prefix}${String(i).padStart(8, '0')}`,
    nickname: `s${i}`,
  }));
  await platform.knex.batchInsert('shoppers', rows, 500);
  const ids = (
    await platform
      .knex('shoppers')
      .where({ tenant_id: tenantId })
      .where('phone', 'like', `1${prefix}%`)
      .orderBy('id')
      .select('id')
  ).map((r) => Number(r.id));
  await platform.knex.batchInsert(
    'addresses',
    ids.map((id) => ({
      tenant_id: tenantId,
      shopper_id: id,
      name: '买家',
      phone: '13700000000',
      region_code: '310101',
      province: '上海市',
      city: '上海市',
      district: '黄浦区',
      detail: '南京东路 1 号',
      is_default: true,
    })),
    500,
  );
  const addr = new Map(
    (
      await platform
        .knex('addresses')
        .where({ tenant_id: tenantId })
        .whereIn('shopper_id', ids)
        .select('id', 'shopper_id')
    ).map((r) => [Number(r.shopper_id), Number(r.id)]),
  );
  const out = [];
  // Sessions a hundred at a time: the sustained run needs twelve thousand of them.
  for (let at = 0; at < ids.length; at += 100) {
    const chunk = ids.slice(at, at + 100);
    const tokens = await Promise.all(
      chunk.map((id) =>
        platform.services.sessions.start({ ...ctx, tenantId }, { audience: 'shopper', subjectId: id, tenantId }),
      ),
    );
    chunk.forEach((id, n) => out.push({ token: tokens[n].accessToken, addressId: addr.get(id) }));
  }
  return out;
}

/**
 * Places orders at a shop (`slug`) served by `site`: one request per item of `bodies` ({ token, body }) at `connections`,
 * or for `duration` seconds taking the bodies in turn; returns counts, latency and each process's share of a core.
 */
export async function fireOrders(site, slug, bodies, connections, duration) {
  let i = 0;
  const statuses = new Map();
  const cpuBefore = { server: cpuSeconds(site.pid), generator: process.cpuUsage() };
  const started = Date.now();
  // autocannon settles on its one-second ticker; the time is taken at the last answer instead.
  let finished = started;
  // Each connection's first request apart from the rest: the first ones are sent on 100 new connections
  // at once, and how fast the server takes in that rush sets the tail.
  const first = [];
  const later = [];
  const result = await autocannon({
    url: site.url,
    connections,
    ...(duration ? { duration } : { amount: bodies.length }),
    requests: [
      {
        method: 'POST',
        setupRequest: (req, context) => {
          // A connection's context lasts from one request's setup to its answer. The first request of
          // every connection is set up as autocannon opens the connections, before any other.
          context.firstOnConnection = i < connections;
          context.sentAt = performance.now();
          const b = bodies[i++ % bodies.length];
          return {
            ...req,
            path: `/shop-api/v1/shops/${slug}/orders`,
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${b.token}`,
              'idempotency-key': `bench-${randomUUID()}`,
            },
            body: JSON.stringify(b.body),
          };
        },
        onResponse: (status, _body, context) => {
          (context.firstOnConnection ? first : later).push(performance.now() - context.sentAt);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          finished = Date.now();
        },
      },
    ],
  });
  const seconds = (finished - started) / 1000;
  const generator = process.cpuUsage(cpuBefore.generator);
  const server = cpuBefore.server === null ? null : cpuSeconds(site.pid) - cpuBefore.server;
  // Share of one core each process used over the run: near 100 % means that process was the bottleneck.
  const cpu = {
    server: server === null ? null : Math.round((server / seconds) * 100),
    generator: Math.round(((generator.user + generator.system) / 1e6 / seconds) * 100),
  };
  return {
    seconds,
    p99: result.latency.p99,
    latency: result.latency,
    statuses,
    cpu,
    p99Of: { first: p99(first), later: p99(later) },
  };
}

/** A JSON client of a started server: `api(method, path, token, body)` resolves with the parsed answer, throws on non-2xx. */
export function jsonApi(site) {
  return async (method, path, token, body) => {
    const res = await fetch(`${site.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

/**
 * Requests sent at evenly spaced instants, one every 1000/rate ms whatever the answers (open loop, as shoppers arrive),
 * each timed from its own send over keep-alive connections: what a shopper sees at that rate. (autocannon's
 * overallRate sends each second's requests in a burst, so its p99 measures the burst's queue.) The requests are
 * `{ path, headers, wanted? }`; `wanted` (product ids) counts an answer whose `items` hold one of them as a hit. Sent
 * from a process of its own, whose heap holds nothing else. Answers { hits, bad, p50, p99 }.
 */
export function paced(url, rate, requests) {
  const child = fork(fileURLToPath(new URL('./_paced-client.mjs', import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => code !== 0 && reject(new Error(`the paced client exited with ${code}`)));
    child.send({ url, rate, requests });
  });
}
