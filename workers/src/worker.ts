import { Worker, type ConnectionOptions } from 'bullmq';
import { createRedis, queuePrefix, type Platform } from '@shopfleet/platform';
import { PROCESSORS, type ProcessorDef } from './processors';

export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

/**
 * Starts one BullMQ Worker per processor. Worker connections wait for Redis forever
 * (maxRetriesPerRequest: null), as the BullMQ production guide says; close() lets running jobs finish.
 */
export function startWorkers(platform: Platform, processors: ProcessorDef[] = PROCESSORS): RunningWorkers {
  const connection = createRedis(platform.config.REDIS_URL, 'worker');
  const prefix = queuePrefix(platform.config.REDIS_PREFIX);
  const workers = processors.map((p) => {
    const worker = new Worker(p.queue, p.build(platform), {
      connection: connection as unknown as ConnectionOptions,
      prefix,
      concurrency: p.concurrency,
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
  };
}
