import { CATALOG_JOBS, MAINTENANCE_JOBS, QUEUES, type SweepLostImportsPayload } from '@shopfleet/contracts';
import type { RequestContext } from '../../kernel/context';
import type { Queues } from '../../kernel/queue';
import type { TenantsService } from '../tenants';
import type { CatalogService } from './catalog.service';

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

/** Schedules the products' on-sale and off-sale times being applied (every minute). */
export async function scheduleProductSchedules(queues: Queues): Promise<void> {
  await queues
    .get(QUEUES.maintenance)
    .upsertJobScheduler(
      MAINTENANCE_JOBS.productSchedules,
      { every: 60_000 },
      { name: MAINTENANCE_JOBS.productSchedules, data: {} },
    );
}

/** The catalog's sweep: every shop's products whose scheduled time has come put on or off sale. */
export function catalogSweeps(deps: {
  catalog: Pick<CatalogService, 'applySchedules'>;
  tenants: Pick<TenantsService, 'forEachId'>;
}) {
  return {
    applySchedules: (ctx: RequestContext) =>
      deps.tenants.forEachId(['active', 'suspended', 'pending_review'], async (tenantId) => {
        await deps.catalog.applySchedules({ ...ctx, tenantId });
      }),
  };
}
