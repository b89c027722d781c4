import { UnrecoverableError, type Job } from 'bullmq';
import { CATALOG_JOBS, QUEUES, importProductsPayloadSchema, sweepLostImportsPayloadSchema } from '@shopfleet/contracts';
import { systemContext, type Platform } from '@shopfleet/platform';
import type { ProcessorDef } from './processor';

/**
 * Product imports: one job per run of an uploaded file, inside the tenant that uploaded it; a job that
 * gives up fails its import with the reason. The sweep fails imports whose job was lost.
 */
export const catalogImportsProcessor: ProcessorDef = {
  queue: QUEUES.catalogImports,
  concurrency: 2,
  build: (platform: Platform) => async (job: Job) => {
    if (job.name === CATALOG_JOBS.sweepLostImports) {
      const parsed = sweepLostImportsPayloadSchema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
      const graceMs = (parsed.data.graceSeconds ?? 600) * 1000;
      let ended = 0;
      await platform.services.tenants.forEachId(['pending_review', 'active', 'suspended'], async (tenantId) => {
        ended += await platform.services.imports.sweepLost(
          { ...systemContext(platform.log, job.name, tenantId), tenantId },
          graceMs,
        );
      });
      return { ended };
    }
    if (job.name !== CATALOG_JOBS.importProducts)
      throw new UnrecoverableError(`unknown job ${job.name} on ${job.queueName}`);
    const parsed = importProductsPayloadSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
    const ctx = { ...systemContext(platform.log, job.name, parsed.data.tenantId), tenantId: parsed.data.tenantId };
    const result = await platform.services.imports.run(ctx, parsed.data.importId);
    return {
      status: result.status,
      created: result.createdProducts,
      updated: result.updatedProducts,
      rejected: result.rejectedRows,
    };
  },
  failed: async (platform, job, failure) => {
    if (job.name !== CATALOG_JOBS.importProducts) return;
    const parsed = importProductsPayloadSchema.safeParse(job.data);
    if (!parsed.success) return;
    const ctx = { ...systemContext(platform.log, job.name, parsed.data.tenantId), tenantId: parsed.data.tenantId };
    await platform.services.imports.fail(ctx, parsed.data.importId, failure);
  },
};
