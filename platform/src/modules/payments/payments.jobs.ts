import { PAYMENT_JOBS, QUEUES } from '@shopfleet/contracts';
import type { Queues } from '../../kernel/queue';

/** Reconciles yesterday's payments every day at 03:10 China time. */
export async function schedulePaymentJobs(queues: Queues): Promise<void> {
  await queues
    .get(QUEUES.payments)
    .upsertJobScheduler(
      PAYMENT_JOBS.reconcile,
      { pattern: '10 3 * * *', tz: 'Asia/Shanghai' },
      { name: PAYMENT_JOBS.reconcile, data: {} },
    );
}
