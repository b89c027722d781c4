// Shared benchmark plumbing: the real platform on its own database, autocannon, and a bare-Node ceiling.
import { spawn } from 'node:child_process';
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
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
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
      const m = /READY (\d+)/.exec(out);
      if (m) {
        resolve({
          url: `http://127.0.0.1:${m[1]}`,
          pid: child.pid,
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
