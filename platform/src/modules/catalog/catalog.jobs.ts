import { CATALOG_JOBS, QUEUES, type SweepLostImportsPayload } from '@shopfleet/contracts';
import type { Queues } from '../../kernel/queue';

/** Schedules the sweep of lost imports every five minutes (idempotent: one scheduler id, upserted). */
export async function scheduleImportSweep(queues: Queues): Promise<void> {
  await queues
    .get(QUEUES.catalogImports)
    .upsertJobScheduler(
      CATALOG_JOBS.sweepLostImports,
      { every: 300_000 },
      { name: CATALOG_JOBS.sweepLostImports, data: {} satisfies SweepLostImportsPayload },
    );
}
