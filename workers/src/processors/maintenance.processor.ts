import { UnrecoverableError, type Job } from 'bullmq';
import {
  MAINTENANCE_JOBS,
  QUEUES,
  flashEndPayloadSchema,
  groupEndPayloadSchema,
  promotionEdgePayloadSchema,
  purgeExpiredTokensPayloadSchema,
  rebuildShopRecommendationsPayloadSchema,
} from '@shopfleet/contracts';
import { systemContext, type Platform } from '@shopfleet/platform';
import type { ProcessorDef } from './processor';

/**
 * Housekeeping jobs: the daily purge of dead refresh tokens; a shop's catalog cache renewed as a promotion starts or
 * ends; a flash-sale session's end (its stock back to the SKUs); the reconciliation of flash-sale gates every 30 s; a
 * group's end (formed or failed, its orders closed and the paid refunded) and the sweep for lost ones every minute;
 * members' frozen points released as their orders' after-sales windows pass (every 10 minutes), and points past their
 * validity expired (every hour); distributors' frozen commission released likewise, and WeChat Pay transfers being paid
 * settled (every 10 minutes); each shop's new and late events rolled up into its figures (every minute); each shop's
 * usage measured (every hour) and its API request counts flushed from Redis (every 5 minutes); every night a rebuild of
 * each shop's recommendations, every 15 minutes their update.
 */
export const maintenanceProcessor: ProcessorDef = {
  queue: QUEUES.maintenance,
  concurrency: 1,
  build: (platform: Platform) => async (job: Job) => {
    switch (job.name) {
      case MAINTENANCE_JOBS.purgeExpiredTokens: {
        const parsed = purgeExpiredTokensPayloadSchema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
        const ctx = systemContext(platform.log, job.name);
        // Keep a week of dead tokens so a reused one is still recognised (and its family revoked).
        const before = parsed.data.before ? new Date(parsed.data.before) : new Date(Date.now() - 7 * 86_400_000);
        const deleted = await platform.services.sessions.purgeExpired(before);
        ctx.log.info({ deleted, before }, 'purged dead refresh tokens');
        return { deleted };
      }
      case MAINTENANCE_JOBS.promotionEdge: {
        const parsed = promotionEdgePayloadSchema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
        await platform.services.promotions.edgePassed(parsed.data.tenantId);
        return { renewed: parsed.data.tenantId };
      }
      case MAINTENANCE_JOBS.flashEnd: {
        const parsed = flashEndPayloadSchema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
        const ctx = { ...systemContext(platform.log, job.name), tenantId: parsed.data.tenantId };
        return { returned: await platform.services.flash.endDue(ctx, parsed.data.sessionId) };
      }
      case MAINTENANCE_JOBS.flashReconcile: {
        const found = await platform.services.flash.reconcileAll(systemContext(platform.log, job.name));
        if (found.freed || found.adopted || found.drift || found.returned)
          platform.log.warn({ ...found }, 'flash-sale gates mended');
        return found;
      }
      case MAINTENANCE_JOBS.groupEnd: {
        const parsed = groupEndPayloadSchema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
        const ctx = { ...systemContext(platform.log, job.name), tenantId: parsed.data.tenantId };
        const { outcome, closed } = await platform.services.groupBuy.end(ctx, parsed.data.groupId);
        return { outcome, closed };
      }
      case MAINTENANCE_JOBS.groupSweep:
        return platform.services.groupBuy.sweep(systemContext(platform.log, job.name));
      case MAINTENANCE_JOBS.pointsRelease:
        return platform.services.memberSweeps.releaseDue(systemContext(platform.log, job.name));
      case MAINTENANCE_JOBS.pointsExpire:
        return platform.services.memberSweeps.expireDue(systemContext(platform.log, job.name));
      case MAINTENANCE_JOBS.commissionRelease:
        return platform.services.distributionSweeps.releaseDue(systemContext(platform.log, job.name));
      case MAINTENANCE_JOBS.transferSync:
        return platform.services.distributionSweeps.syncTransfers(systemContext(platform.log, job.name));
      case MAINTENANCE_JOBS.analyticsRollUp:
        return platform.services.analyticsSweeps.rollUpAll(systemContext(platform.log, job.name));
      case MAINTENANCE_JOBS.snapshotUsage: {
        const ctx = systemContext(platform.log, job.name);
        // The requests counted so far go in first, so the snapshot's rows show them too.
        const flushed = await platform.services.usage.flushRequests(ctx);
        const measured = await platform.services.usage.snapshot(ctx);
        if (measured.failed) ctx.log.warn({ ...measured }, 'some shops’ usage could not be measured');
        return { ...measured, requests: flushed.requests };
      }
      case MAINTENANCE_JOBS.flushApiRequests:
        return platform.services.usage.flushRequests(systemContext(platform.log, job.name));
      case MAINTENANCE_JOBS.rebuildRecommendations:
        return platform.services.recommendationJobs.queueRebuilds(systemContext(platform.log, job.name));
      case MAINTENANCE_JOBS.rebuildShopRecommendations: {
        const parsed = rebuildShopRecommendationsPayloadSchema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
        const ctx = { ...systemContext(platform.log, job.name), tenantId: parsed.data.tenantId };
        return platform.services.recommendationBuilds.rebuild(ctx);
      }
      case MAINTENANCE_JOBS.productSchedules:
        return platform.services.catalogSweeps.applySchedules(systemContext(platform.log, job.name));
      case MAINTENANCE_JOBS.updateRecommendations:
        return platform.services.recommendationJobs.updateAll(systemContext(platform.log, job.name));
      default:
        throw new UnrecoverableError(`unknown job ${job.name} on ${job.queueName}`);
    }
  },
};
