import { ORDER_JOBS, QUEUES } from '@shopfleet/contracts';
import type { Queues } from '../../kernel/queue';

/** Schedules the sweeper that closes expired unpaid orders whose delayed job was lost (every minute), and auto-confirm (every 10 minutes). */
export async function scheduleOrderSweep(queues: Queues): Promise<void> {
  const queue = queues.get(QUEUES.orderTimeouts);
  await queue.upsertJobScheduler(
    ORDER_JOBS.sweepUnpaidOrders,
    { every: 60_000 },
    { name: ORDER_JOBS.sweepUnpaidOrders, data: {} },
  );
  await queue.upsertJobScheduler(
    ORDER_JOBS.autoConfirmOrders,
    { every: 600_000 },
    { name: ORDER_JOBS.autoConfirmOrders, data: {} },
  );
}
