import { UnrecoverableError, type Job } from 'bullmq';
import { CATALOG_JOBS, QUEUES, importProductsPayloadSchema } from '@shopfleet/contracts';
import { systemContext, type Platform } from '@shopfleet/platform';
import type { ProcessorDef } from './processor';

/** Product imports: one job per uploaded file, run inside the tenant that uploaded it. */
export const catalogImportsProcessor: ProcessorDef = {
  queue: QUEUES.catalogImports,
  concurrency: 2,
  build: (platform: Platform) => async (job: Job) => {
    if (job.name !== CATALOG_JOBS.importProducts) throw new UnrecoverableError(`unknown job ${job.name} on ${job.queueName}`);
    const parsed = importProductsPayloadSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
    const ctx = { ...systemContext(platform.log, job.name, parsed.data.tenantId), tenantId: parsed.data.tenantId };
    const result = await platform.services.imports.run(ctx, parsed.data.importId);
    return { status: result.status, created: result.createdProducts, updated: result.updatedProducts, rejected: result.rejectedRows };
  },
};
