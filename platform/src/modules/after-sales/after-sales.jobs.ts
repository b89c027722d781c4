import { AFTER_SALES_JOBS, QUEUES } from '@shopfleet/contracts';
import type { Queues } from '../../kernel/queue';

/** Schedules the sweeper that acts on after-sales deadlines whose delayed job was lost (every minute). */
export async function scheduleAfterSalesSweep(queues: Queues): Promise<void> {
  await queues
    .get(QUEUES.afterSales)
    .upsertJobScheduler(AFTER_SALES_JOBS.sweep, { every: 60_000 }, { name: AFTER_SALES_JOBS.sweep, data: {} });
}

/**
 * Lists WeChat Pay's consumer complaints every 30 minutes (the backstop for lost notifications), when the platform has
 * a service-provider account; otherwise removes the schedule.
 */
export async function scheduleComplaintSync(queues: Queues, enabled: boolean): Promise<void> {
  const queue = queues.get(QUEUES.afterSales);
  if (!enabled) {
    await queue.removeJobScheduler(AFTER_SALES_JOBS.complaintSync);
    return;
  }
  await queue.upsertJobScheduler(
    AFTER_SALES_JOBS.complaintSync,
    { every: 30 * 60_000 },
    { name: AFTER_SALES_JOBS.complaintSync, data: {} },
  );
}
