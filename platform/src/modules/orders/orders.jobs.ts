import { ORDER_JOBS, QUEUES } from '@shopfleet/contracts';
import type { Queues } from '../../kernel/queue';

/** Schedules the sweeper that closes expired unpaid orders whose delayed job was lost (every minute). */
export async function scheduleOrderSweep(queues: Queues): Promise<void> {
  await queues.get(QUEUES.orderTimeouts).upsertJobScheduler(ORDER_JOBS.sweepUnpaidOrders, { every: 60_000 }, { name: ORDER_JOBS.sweepUnpaidOrders, data: {} });
}
