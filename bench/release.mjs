// Benchmark: build once, customize many. Builds one template version (uni build for mp-weixin, once),
// then makes the packages of 1,000 shops through the real queue and one worker, and times one full
// uni build as the baseline a per-shop rebuild would cost.
// Usage: npm run bench -- release [tenants, default 1000]
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPlatform } from './lib.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const lib = require('../platform/dist/index.js');
const { startWorkers } = require('../workers/dist/worker.js');
const { PROCESSORS } = require('../workers/dist/processors/index.js');
const count = Number(process.argv[2] ?? 1000);
const NAME = 'release';

const platform = await openPlatform(NAME);
const ctx = lib.systemContext(platform.log, 'bench');
const run = Date.now().toString(36);
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

// One worker process' worth of the template-builds processor (concurrency 1), as a deployment would run it.
const workers = startWorkers(
  platform,
  PROCESSORS.filter((p) => p.queue === 'template-builds'),
);
try {
  // 1. The template version, built once (or reused when these sources were built before).
  const started = Date.now();
  let version = await platform.services.templates.create(ctx, {
    version: `0.${Math.floor(Date.now() / 1000) % 10000}.${Math.floor(Math.random() * 9999)}`,
    description: 'bench',
  });
  while (version.status === 'building') {
    await new Promise((r) => setTimeout(r, 250));
    version = await platform.services.templates.get(ctx, version.id);
  }
  if (version.status !== 'ready') throw new Error(`template build ${version.status}`);
  const reused = version.buildMs === 0;
  const original = reused
    ? await platform
        .knex('template_versions')
        .where({ content_hash: version.contentHash, status: 'ready' })
        .where('build_ms', '>', 0)
        .orderBy('id')
        .first()
    : null;
  const templateBuildS = reused ? Number(original?.build_ms ?? 0) / 1000 : (Date.now() - started) / 1000;
  process.stdout.write(
    `template ${version.version}: ${reused ? `reused the build of ${original?.version} (${templateBuildS.toFixed(1)} s)` : `built in ${templateBuildS.toFixed(1)} s`}\n`,
  );

  // 2. The shops.
  const ids = [];
  for (let i = 0; i < count; i++) {
    ids.push(
      await platform.services.tenants.create(ctx, { slug: `rb-${run}-${i}`, name: `基准店铺 ${i}`, status: 'active' }),
    );
  }
  process.stdout.write(`${count} shops created\n`);

  // 3. Their packages through the queue and the worker.
  const queue = platform.queues.get('template-builds');
  const t0 = Date.now();
  const jobs = await queue.addBulk(
    ids.map((tenantId) => ({
      name: 'package-tenant',
      data: { tenantId, versionId: version.id },
      opts: { jobId: `bench-${run}-${tenantId}`, removeOnComplete: false },
    })),
  );
  for (;;) {
    const counts = await queue.getJobCounts('completed', 'failed', 'waiting', 'active', 'prioritized');
    if (counts.failed > 0) throw new Error(`${counts.failed} package jobs failed`);
    if ((await Promise.all(jobs.map((j) => j.isCompleted()))).every(Boolean)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const seconds = (Date.now() - t0) / 1000;
  const ms = (
    await platform
      .knex('tenant_packages')
      .whereIn('tenant_id', ids)
      .where({ template_version_id: version.id })
      .select('build_ms')
  )
    .map((r) => Number(r.build_ms))
    .sort((a, b) => a - b);
  process.stdout.write(
    `${ms.length} packages in ${seconds.toFixed(1)} s: p50 ${percentile(ms, 50)} ms, p99 ${percentile(ms, 99)} ms (render + zip + store)\n`,
  );

  // 4. The baseline: one full uni build, what rebuilding per shop would cost each shop.
  const b0 = Date.now();
  const full = spawnSync(
    process.execPath,
    [
      require.resolve('@dcloudio/vite-plugin-uni/bin/uni.js', { paths: [path.join(here, '../template-miniapp')] }),
      'build',
      '-p',
      'mp-weixin',
    ],
    { cwd: path.join(here, '../template-miniapp'), stdio: 'ignore', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (full.status !== 0) throw new Error('full build failed');
  const fullRebuildS = (Date.now() - b0) / 1000;
  process.stdout.write(
    `one full uni build: ${fullRebuildS.toFixed(1)} s (${Math.round((fullRebuildS * 1000) / percentile(ms, 50))}x a package)\n`,
  );

  process.stdout.write(
    `${JSON.stringify({ bench: 'release', template_build_s: Number(templateBuildS.toFixed(1)), package_ms_p50: percentile(ms, 50), package_ms_p99: percentile(ms, 99), tenants_per_min: Math.round((ms.length / seconds) * 60), full_rebuild_s: Number(fullRebuildS.toFixed(1)) })}\n`,
  );
} finally {
  await workers.close();
  await platform.close();
}
