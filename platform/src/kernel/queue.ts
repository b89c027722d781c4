import { FlowProducer, Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { QueueName } from '@shopfleet/contracts';
import type { Redis } from './redis';

/**
 * BullMQ prefix: one hash tag, so every key of every queue lands in one Redis Cluster slot group.
 * Producers and workers must agree on it.
 */
export function queuePrefix(redisPrefix: string): string {
  return `{${redisPrefix}:bull}`;
}

export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** Producer-side queues, created on first use and shared. Producers fail fast when Redis is away. */
export class Queues {
  private readonly queues = new Map<QueueName, Queue>();
  private flowProducer?: FlowProducer;

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
  ) {}

  get(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: this.connection as unknown as ConnectionOptions,
        prefix: this.prefix,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      });
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Adds jobs that depend on each other (a parent runs once its children have completed). */
  get flows(): FlowProducer {
    this.flowProducer ??= new FlowProducer({
      connection: this.connection as unknown as ConnectionOptions,
      prefix: this.prefix,
    });
    return this.flowProducer;
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  async close(): Promise<void> {
    await Promise.all([...this.all().map((q) => q.close()), this.flowProducer?.close()]);
  }
}
