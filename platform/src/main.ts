import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { createApp } from './app';
import { ConfigError, loadConfig } from './kernel/config';
import { createLogger } from './kernel/logger';
import { readNewConnectionsTogether } from './kernel/http/read-together';
import { createHttpServer } from './kernel/http/server';
import { ServiceUnavailableError, preflight } from './kernel/preflight';
import { createPlatform } from './platform';
import { scheduleAfterSalesSweep, scheduleComplaintSync } from './modules/after-sales';
import { scheduleImportSweep, scheduleProductSchedules } from './modules/catalog';
import { scheduleTokenPurge } from './modules/identity';
import { scheduleFlashReconcile } from './modules/marketing';
import { scheduleMemberJobs } from './modules/members';
import { scheduleAnalyticsJobs } from './modules/analytics';
import { scheduleDistributionJobs } from './modules/distribution';
import { scheduleExpiryCheck } from './modules/onboarding';
import { scheduleOrderSweep } from './modules/orders';
import { schedulePaymentJobs } from './modules/payments';
import { scheduleUsageJobs } from './modules/usage';
import { scheduleRecommendationJobs } from './modules/recommendations';

/** The API process: serve until SIGINT/SIGTERM, then stop taking requests, drain, and close connections. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 'shopfleet-api');
  await preflight(config);
  const platform = await createPlatform(config, { log });
  await scheduleTokenPurge(platform.queues);
  await scheduleExpiryCheck(platform.queues);
  await scheduleOrderSweep(platform.queues);
  await schedulePaymentJobs(platform.queues);
  await scheduleImportSweep(platform.queues);
  await scheduleProductSchedules(platform.queues);
  await scheduleAfterSalesSweep(platform.queues);
  await scheduleFlashReconcile(platform.queues);
  await scheduleMemberJobs(platform.queues);
  await scheduleAnalyticsJobs(platform.queues);
  await scheduleDistributionJobs(platform.queues);
  await scheduleUsageJobs(platform.queues);
  await scheduleRecommendationJobs(platform.queues);
  await scheduleComplaintSync(platform.queues, platform.services.wechatComplaints.enabled);
  const app = createApp(platform);
  const server: Server = await new Promise((resolve) => {
    const s = createHttpServer(app).listen(config.PORT, config.HOST, () => resolve(s));
    readNewConnectionsTogether(s);
  });
  server.keepAliveTimeout = 65_000;
  await platform.services.chat.attach(server);
  await platform.services.alerts.attach(server);
  log.info({ url: config.publicUrl }, 'api listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    // Chat sockets are told to reconnect (to another process); they resume from their last seq there.
    await platform.services.chat.close();
    await platform.services.alerts.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await platform.close();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/**
 * With API_PROCESSES > 1, this process only keeps that many API processes running (node:cluster: they share the
 * port; everything they share lives in MySQL and Redis), forking a new one when one dies, and passes SIGINT/SIGTERM on.
 */
function supervise(processes: number): void {
  let stopping = false;
  const fork = () =>
    cluster.fork().on('exit', (code) => {
      if (!stopping) {
        process.stderr.write(`api process exited with ${code}; starting another\n`);
        setTimeout(fork, 1000);
      }
    });
  for (let i = 0; i < processes; i++) fork();
  const stop = () => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    cluster.disconnect(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function start(): Promise<void> {
  if (!cluster.isPrimary) return main();
  const config = loadConfig();
  if (config.API_PROCESSES === 1) return main();
  supervise(config.API_PROCESSES);
}

start().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof ServiceUnavailableError) {
    process.stderr.write(`\n${err.message}\n\n`);
    process.exit(2);
  }
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
