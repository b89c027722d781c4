import { QUALIFICATION_JOBS, QUEUES, type CheckExpiryPayload } from '@shopfleet/contracts';
import type { Queues } from '../../kernel/queue';

/** Schedules the daily qualification expiry watch (idempotent: one scheduler id, upserted). */
export async function scheduleExpiryCheck(queues: Queues): Promise<void> {
  await queues
    .get(QUEUES.qualifications)
    .upsertJobScheduler(
      QUALIFICATION_JOBS.checkExpiry,
      { pattern: '5 2 * * *', tz: 'Asia/Shanghai' },
      { name: QUALIFICATION_JOBS.checkExpiry, data: {} satisfies CheckExpiryPayload },
    );
}
