// A benchmark's server process: the real platform API (or the bare-Node ceiling) on a free port, so the
// load generator runs in another process, as it would in front of a real deployment.
// Prints one line `READY <port>` when listening; stops on SIGTERM.
import cluster from 'node:cluster';
import http from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const mode = process.argv[2];

if (mode === 'ceiling') {
  const body = JSON.stringify({
    slug: 'demo',
    name: 'ceiling',
    logoUrl: null,
    themeColor: '#e4393c',
    status: 'active',
  });
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`READY ${server.address().port}\n`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
} else if (cluster.isPrimary && Number(process.env.API_PROCESSES ?? 1) > 1) {
  // API_PROCESSES > 1: as main.ts serves then, that many processes share one port (node:cluster). READY names the port
  // and the processes, whose CPU the benchmarks measure.
  const n = Number(process.env.API_PROCESSES);
  const ready = new Map();
  for (let i = 0; i < n; i++)
    cluster.fork().on('message', (m) => {
      ready.set(m.pid, m.port);
      if (ready.size === n) process.stdout.write(`READY ${m.port} ${[...ready.keys()].join(',')}\n`);
    });
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    cluster.disconnect(() => process.exit(0));
  });
} else {
  const lib = require('../platform/dist/index.js');
  const config = lib.loadConfig(process.env);
  await lib.preflight(config);
  const platform = await lib.createPlatform(config, { log: lib.createLogger(config.LOG_LEVEL, 'bench') });
  const app = lib.createApp(platform);
  const server = app.listen(0, '127.0.0.1');
  // As main.ts serves: a rush of new connections is accepted before any of them is read; the chat's WebSocket too.
  lib.readNewConnectionsTogether(server);
  await new Promise((resolve) => server.once('listening', resolve));
  await platform.services.chat.attach(server);
  if (cluster.isPrimary) process.stdout.write(`READY ${server.address().port}\n`);
  else process.send({ pid: process.pid, port: server.address().port });
  process.on('SIGTERM', async () => {
    server.closeAllConnections();
    server.close();
    await platform.close();
    process.exit(0);
  });
}
