// Shared benchmark plumbing: the real platform on its own database, autocannon, and a bare-Node ceiling.
import http from 'node:http';
import { createRequire } from 'node:module';
import autocannon from 'autocannon';

const require = createRequire(import.meta.url);
const platformLib = require('../platform/dist/index.js');

/** Starts the real platform (API only) on a free port, on a bench database and Redis prefix. */
export async function startPlatform(name) {
  const config = platformLib.loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    AUTH_SECRET: process.env.AUTH_SECRET ?? 'bench-only-secret-bench-only-secret-0123456789',
    DATA_ENCRYPTION_KEYS: process.env.DATA_ENCRYPTION_KEYS ?? `k1:${Buffer.alloc(32, 9).toString('base64')}`,
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? `mysql://root@127.0.0.1:3306/shopfleet_bench_${name}`,
    REDIS_PREFIX: `sfbench_${name}`,
    EMBEDDED_S3_PORT: '0',
    DATA_DIR: `/tmp/shopfleet-bench-${name}`,
    LOG_LEVEL: 'silent',
  });
  await platformLib.preflight(config);
  const platform = await platformLib.createPlatform(config, { log: platformLib.createLogger('silent', 'bench') });
  const app = platformLib.createApp(platform);
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    platform,
    url: `http://127.0.0.1:${server.address().port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await platform.close();
    },
  };
}

/** A bare Node http server answering a fixed JSON: the ceiling of this machine for the same load. */
export async function startCeiling() {
  const body = JSON.stringify({ slug: 'demo', name: 'ceiling', logoUrl: null, themeColor: '#e4393c', status: 'active' });
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

/** Runs autocannon and returns requests/s, latency p50/p99 and errors (non-2xx included). */
export async function load(opts) {
  const result = await autocannon({ connections: 50, duration: 20, ...opts });
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
