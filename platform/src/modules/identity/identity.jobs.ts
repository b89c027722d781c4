import { MAINTENANCE_JOBS, QUEUES, type PurgeExpiredTokensPayload } from '@shopfleet/contracts';
import type { Queues } from '../../kernel/queue';

/** Schedules the daily purge of dead refresh tokens (idempotent: one scheduler id, upserted). */
export async function scheduleTokenPurge(queues: Queues): Promise<void> {
  await queues
    .get(QUEUES.maintenance)
    .upsertJobScheduler(
      MAINTENANCE_JOBS.purgeExpiredTokens,
      { pattern: '17 3 * * *', tz: 'Asia/Shanghai' },
      { name: MAINTENANCE_JOBS.purgeExpiredTokens, data: {} satisfies PurgeExpiredTokensPayload },
    );
}
