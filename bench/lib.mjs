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

/** The platform as a library in this process, for loading data the way a merchant would. */
export async function openPlatform(name) {
  const config = platformLib.loadConfig(benchEnv(name));
  await platformLib.preflight(config);
  return platformLib.createPlatform(config, { log: platformLib.createLogger('warn', 'bench-loader') });
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
          close: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

/** Runs autocannon and returns requests/s, latency p50/p99 and errors (non-2xx included). */
export async function load(opts) {
  const result = await autocannon(opts.amount ? { connections: 50, ...opts } : { connections: 50, duration: 20, ...opts });
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
