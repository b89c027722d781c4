import { MAINTENANCE_JOBS, QUEUES } from '@shopfleet/contracts';
import type { RequestContext } from '../../kernel/context';
import type { Queues } from '../../kernel/queue';
import type { TenantsService } from '../tenants';
import type { AnalyticsService } from './analytics.service';

/** Schedules the roll-up of every shop's new events (every minute). */
export async function scheduleAnalyticsJobs(queues: Queues): Promise<void> {
  await queues
    .get(QUEUES.maintenance)
    .upsertJobScheduler(
      MAINTENANCE_JOBS.analyticsRollUp,
      { every: 60_000 },
      { name: MAINTENANCE_JOBS.analyticsRollUp, data: {} },
    );
}

/** The analytics' job: each shop's hours marked by new (or late) events rolled up, with their days and months. */
export function analyticsJobs(deps: {
  analytics: Pick<AnalyticsService, 'rollUp'>;
  tenants: Pick<TenantsService, 'forEachId'>;
}) {
  return {
    rollUpAll: (ctx: RequestContext) =>
      deps.tenants.forEachId(['active', 'suspended', 'pending_review'], (tenantId) =>
        deps.analytics.rollUp({ ...ctx, tenantId }),
      ),
  };
}
