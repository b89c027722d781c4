import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import { createRedis, jobFailureOf, queuePrefix, type Platform } from '@shopfleet/platform';
import { PROCESSORS, type ProcessorDef } from './processors';

export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
  /** Stops at once, as a crash would: running jobs are abandoned with their locks, for another worker to pick up once they stall. */
  kill(): Promise<void>;
}

/** Whether a `failed` event is the job's last word: BullMQ stamps finishedOn only when it will not retry. */
export function failedForGood(job: Job): boolean {
  return typeof job.finishedOn === 'number';
}

/**
 * Starts one BullMQ Worker per processor. A job that fails for good is routed to its processor's
 * `failed`, so the record the user watches hears of it, however the job died. Worker connections wait for Redis forever
 * (maxRetriesPerRequest: null), as the BullMQ production guide says; close() lets running jobs finish.
 */
export function startWorkers(
  platform: Platform,
  processors: ProcessorDef[] = PROCESSORS,
  opts: { lockDurationMs?: number; stalledIntervalMs?: number } = {},
): RunningWorkers {
  const connection = createRedis(platform.config.REDIS_URL, 'worker');
  const prefix = queuePrefix(platform.config.REDIS_PREFIX);
  // Failure reports under way; close() waits for them, so a record is not left untold at shutdown.
  const reporting = new Set<Promise<void>>();
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
    worker.on('failed', (job, err) => {
      platform.log.warn({ queue: p.queue, job: job?.name, jobId: job?.id, err: err.message }, 'job failed');
      if (!job || !p.failed || !failedForGood(job)) return;
      const failure = jobFailureOf(job, err);
      const report = p
        .failed(platform, job, failure)
        .catch((e: unknown) =>
          platform.log.error(
            { queue: p.queue, job: job.name, jobId: job.id, failure, err: (e as Error).message },
            'could not record the failure of a job',
          ),
        )
        .finally(() => reporting.delete(report));
      reporting.add(report);
    });
    worker.on('error', (err) => platform.log.error({ queue: p.queue, err: err.message }, 'worker error'));
    return worker;
  });
  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(reporting);
      await connection.quit().catch(() => connection.disconnect());
    },
    async kill() {
      await Promise.all(workers.map((w) => w.close(true)));
      connection.disconnect();
    },
  };
}
