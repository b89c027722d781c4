import type { Job } from 'bullmq';
import type { QueueName } from '@shopfleet/contracts';
import type { Platform } from '@shopfleet/platform';

/** A queue's processor: the worker process builds one BullMQ Worker per definition. */
export interface ProcessorDef {
  queue: QueueName;
  concurrency: number;
  build(platform: Platform): (job: Job) => Promise<unknown>;
}
