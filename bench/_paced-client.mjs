// The paced load generator, in a process of its own (forked by `paced` in lib.mjs): its heap holds nothing but the
// requests, so its own garbage collection does not stretch the latencies it times. Not a benchmark of its own.
import http from 'node:http';

process.once('message', async ({ url, rate, requests }) => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const { hostname, port } = new URL(url);
  const latencies = [];
  let hits = 0;
  let bad = 0;
  const answers = [];
  const start = performance.now();
  for (let i = 0; i < requests.length; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0.5) await new Promise((r) => setTimeout(r, wait));
    const { path, headers, wanted } = requests[i];
    answers.push(
      new Promise((resolve) => {
        const sent = performance.now();
        const req = http.request({ hostname, port, path, agent, headers }, (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            latencies.push(performance.now() - sent);
            if (res.statusCode !== 200) bad++;
            else if (
              wanted &&
              JSON.parse(Buffer.concat(chunks).toString('utf8')).items.some((c) => wanted.includes(c.id))
            )
              hits++;
            resolve();
          });
        });
        req.on('error', () => {
          bad++;
          resolve();
        });
        req.end();
      }),
    );
  }
  await Promise.all(answers);
  agent.destroy();
  latencies.sort((x, y) => x - y);
  const at = (q) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] * 10) / 10;
  process.send({ hits, bad, p50: at(0.5), p99: at(0.99) }, () => process.exit(0));
});
