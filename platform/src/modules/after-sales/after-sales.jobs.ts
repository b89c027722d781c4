import { AFTER_SALES_JOBS, QUEUES } from '@shopfleet/contracts';
import type { Queues } from '../../kernel/queue';

/** Schedules the sweeper that acts on after-sales deadlines whose delayed job was lost (every minute). */
export async function scheduleAfterSalesSweep(queues: Queues): Promise<void> {
  await queues
    .get(QUEUES.afterSales)
    .upsertJobScheduler(AFTER_SALES_JOBS.sweep, { every: 60_000 }, { name: AFTER_SALES_JOBS.sweep, data: {} });
}
