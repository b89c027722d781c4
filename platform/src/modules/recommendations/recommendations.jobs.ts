import { MAINTENANCE_JOBS, QUEUES, type RebuildShopRecommendationsPayload } from '@shopfleet/contracts';
import type { RequestContext } from '../../kernel/context';
import { chinaDay } from '../../kernel/china-time';
import type { Queues } from '../../kernel/queue';
import type { TenantsService } from '../tenants';
import type { BuildReport, RecommendationBuildsService } from './recommendation-builds.service';

/**
 * Schedules the nightly rebuild (03:40 China time, each shop its own job) and the quarter-hourly update of every
 * shop's recommendations (idempotent: one scheduler id each, upserted).
 */
export async function scheduleRecommendationJobs(queues: Queues): Promise<void> {
  const q = queues.get(QUEUES.maintenance);
  await q.upsertJobScheduler(
    MAINTENANCE_JOBS.rebuildRecommendations,
    { pattern: '40 3 * * *', tz: 'Asia/Shanghai' },
    { name: MAINTENANCE_JOBS.rebuildRecommendations, data: {} },
  );
  await q.upsertJobScheduler(
    MAINTENANCE_JOBS.updateRecommendations,
    { every: 15 * 60_000 },
    { name: MAINTENANCE_JOBS.updateRecommendations, data: {} },
  );
}

export interface RecommendationJobsDeps {
  builds: RecommendationBuildsService;
  tenants: Pick<TenantsService, 'forEachId'>;
  queues: Queues;
  now?: () => Date;
}

/** The shops whose recommendations are kept: those that are or may soon be open. */
const KEPT = ['active', 'suspended', 'pending_review'] as const;

/** The recommendations' jobs: a rebuild queued per shop every night, and the update of every shop. */
export function recommendationJobs(deps: RecommendationJobsDeps) {
  const now = deps.now ?? (() => new Date());
  return {
    /** Queues tonight's rebuild of each shop (one job per shop and night: queued twice, it runs once). */
    async queueRebuilds(_ctx: RequestContext): Promise<{ queued: number }> {
      const night = chinaDay(now()).replaceAll('-', '');
      const q = deps.queues.get(QUEUES.maintenance);
      let queued = 0;
      await deps.tenants.forEachId([...KEPT], async (tenantId) => {
        await q.add(
          MAINTENANCE_JOBS.rebuildShopRecommendations,
          { tenantId } satisfies RebuildShopRecommendationsPayload,
          { jobId: `rr-${tenantId}-${night}`, removeOnComplete: 1_000, removeOnFail: 1_000 },
        );
        queued++;
      });
      return { queued };
    },

    /** Updates every shop's recommendations with the events since the last run. */
    async updateAll(ctx: RequestContext): Promise<{ shops: number; updated: number; events: number }> {
      let shops = 0;
      let updated = 0;
      let events = 0;
      await deps.tenants.forEachId([...KEPT], async (tenantId) => {
        const report: BuildReport = await deps.builds.update({ ...ctx, tenantId });
        shops++;
        if (report.outcome === 'updated' || report.outcome === 'rebuilt') updated++;
        events += report.events;
      });
      return { shops, updated, events };
    },
  };
}

export type RecommendationJobs = ReturnType<typeof recommendationJobs>;
