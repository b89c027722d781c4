import type { Job } from 'bullmq';
import type { QueueName } from '@shopfleet/contracts';
import type { Platform } from '@shopfleet/platform';

/** A queue's processor: the worker process builds one BullMQ Worker per definition. */
export interface ProcessorDef {
  queue: QueueName;
  concurrency: number;
  /** At most `max` jobs per `duration` ms across all workers of the queue (for rate-limited upstreams). */
  limiter?: { max: number; duration: number };
  build(platform: Platform): (job: Job, token?: string) => Promise<unknown>;
}
