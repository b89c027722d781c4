import { UnrecoverableError, type Job } from 'bullmq';
import { QUEUES, RELEASE_JOBS, buildTemplatePayloadSchema, packageTenantPayloadSchema } from '@shopfleet/contracts';
import { systemContext, type Platform } from '@shopfleet/platform';
import type { ProcessorDef } from './processor';

/** Template builds (one at a time: they share the template's build folder) and tenant packages; a build that gives up fails its version with the reason. */
export const templateBuildsProcessor: ProcessorDef = {
  queue: QUEUES.templateBuilds,
  concurrency: 1,
  build: (platform: Platform) => async (job: Job) => {
    switch (job.name) {
      case RELEASE_JOBS.buildTemplate: {
        const parsed = buildTemplatePayloadSchema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
        const v = await platform.services.templates.build(systemContext(platform.log, job.name), parsed.data.versionId);
        return { status: v.status, buildMs: v.buildMs };
      }
      case RELEASE_JOBS.packageTenant: {
        const parsed = packageTenantPayloadSchema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
        const ctx = { ...systemContext(platform.log, job.name, parsed.data.tenantId), tenantId: parsed.data.tenantId };
        const p = await platform.services.packages.build(ctx, parsed.data.versionId);
        return { packageId: p.id, buildMs: p.buildMs, sizeBytes: p.sizeBytes };
      }
      default:
        throw new UnrecoverableError(`unknown job ${job.name} on ${job.queueName}`);
    }
  },
  failed: async (platform, job, failure) => {
    if (job.name !== RELEASE_JOBS.buildTemplate) return;
    const parsed = buildTemplatePayloadSchema.safeParse(job.data);
    if (parsed.success)
      await platform.services.templates.fail(systemContext(platform.log, job.name), parsed.data.versionId, failure);
  },
};
