import {
  ConfigError,
  ServiceUnavailableError,
  createLogger,
  createPlatform,
  loadConfig,
  preflight,
} from '@shopfleet/platform';
import { startWorkers } from './worker';

/** The worker process: runs every processor until SIGINT/SIGTERM, then finishes running jobs and exits. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 'shopfleet-worker');
  await preflight(config);
  const platform = await createPlatform(config, { log, migrate: false });
  const running = startWorkers(platform, undefined, {
    lockDurationMs: config.WORKER_LOCK_SECONDS * 1000,
    stalledIntervalMs: config.WORKER_STALLED_CHECK_SECONDS * 1000,
  });
  log.info({ queues: running.workers.map((w) => w.name) }, 'worker started');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'worker shutting down');
    const force = setTimeout(() => process.exit(1), 30_000).unref();
    await running.close();
    await platform.close();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof ServiceUnavailableError) {
    process.stderr.write(`\n${err.message}\n\n`);
    process.exit(2);
  }
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
