import { Worker, type ConnectionOptions } from 'bullmq';
import { createRedis, queuePrefix, type Platform } from '@shopfleet/platform';
import { PROCESSORS, type ProcessorDef } from './processors';

export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
  /** Stops at once, as a crash would: running jobs are abandoned with their locks, for another worker to pick up once they stall. */
  kill(): Promise<void>;
}

/**
 * Starts one BullMQ Worker per processor. Worker connections wait for Redis forever
 * (maxRetriesPerRequest: null), as the BullMQ production guide says; close() lets running jobs finish.
 */
export function startWorkers(
  platform: Platform,
  processors: ProcessorDef[] = PROCESSORS,
  opts: { lockDurationMs?: number; stalledIntervalMs?: number } = {},
): RunningWorkers {
  const connection = createRedis(platform.config.REDIS_URL, 'worker');
  const prefix = queuePrefix(platform.config.REDIS_PREFIX);
  const workers = processors.map((p) => {
    const worker = new Worker(p.queue, p.build(platform), {
      connection: connection as unknown as ConnectionOptions,
      prefix,
      concurrency: p.concurrency,
      ...(p.limiter ? { limiter: p.limiter } : {}),
      // How soon a job whose worker died is noticed and run again (BullMQ's stalled-job check).
      ...(opts.lockDurationMs ? { lockDuration: opts.lockDurationMs } : {}),
      ...(opts.stalledIntervalMs ? { stalledInterval: opts.stalledIntervalMs } : {}),
    });
    worker.on('failed', (job, err) => platform.log.warn({ queue: p.queue, job: job?.name, jobId: job?.id, err: err.message }, 'job failed'));
    worker.on('error', (err) => platform.log.error({ queue: p.queue, err: err.message }, 'worker error'));
    return worker;
  });
  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await connection.quit().catch(() => connection.disconnect());
    },
    async kill() {
      await Promise.all(workers.map((w) => w.close(true)));
      connection.disconnect();
    },
  };
}
