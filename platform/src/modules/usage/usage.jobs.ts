import { MAINTENANCE_JOBS, QUEUES } from '@shopfleet/contracts';
import type { Queues } from '../../kernel/queue';

/** Schedules the usage snapshot (every hour) and the flush of API request counts from Redis (every 5 minutes). */
export async function scheduleUsageJobs(queues: Queues): Promise<void> {
  const q = queues.get(QUEUES.maintenance);
  await q.upsertJobScheduler(
    MAINTENANCE_JOBS.snapshotUsage,
    { every: 3_600_000 },
    { name: MAINTENANCE_JOBS.snapshotUsage, data: {} },
  );
  await q.upsertJobScheduler(
    MAINTENANCE_JOBS.flushApiRequests,
    { every: 300_000 },
    { name: MAINTENANCE_JOBS.flushApiRequests, data: {} },
  );
}
