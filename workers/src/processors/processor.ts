import type { Job } from 'bullmq';
import type { JobFailure, QueueName } from '@shopfleet/contracts';
import type { Platform } from '@shopfleet/platform';

/** A queue's processor: the worker process builds one BullMQ Worker per definition. */
export interface ProcessorDef {
  queue: QueueName;
  concurrency: number;
  /** At most `max` jobs per `duration` ms across all workers of the queue (for rate-limited upstreams). */
  limiter?: { max: number; duration: number };
  build(platform: Platform): (job: Job, token?: string) => Promise<unknown>;
  /**
   * A job of this queue failed for good: its attempts ran out, it threw UnrecoverableError, or its
   * worker died more often than allowed (then BullMQ fails it without running the processor again).
   * Ends the record the user watches as failed with the reason. Must be idempotent.
   */
  failed?(platform: Platform, job: Job, failure: JobFailure): Promise<void>;
}
