import { UnrecoverableError, type Job } from 'bullmq';
import { CODE_UPLOAD_JOBS, QUEUES, codeUploadPayloadSchema } from '@shopfleet/contracts';
import { CodeUploadStopped, systemContext, type Platform } from '@shopfleet/platform';
import type { ProcessorDef } from './processor';

/**
 * Uploads with a merchant's own code-upload key (miniprogram-ci). One at a time: each one compiles and
 * packs a whole mini-program. WeChat's refusals (a key that does not sign for the AppID, an address off
 * the IP whitelist) stop the upload at once with their reason; anything else is retried with backoff
 * and stops the upload when the attempts run out.
 */
export const codeUploadsProcessor: ProcessorDef = {
  queue: QUEUES.codeUploads,
  concurrency: 1,
  build: (platform: Platform) => async (job: Job) => {
    if (job.name !== CODE_UPLOAD_JOBS.upload)
      throw new UnrecoverableError(`unknown job ${job.name} on ${job.queueName}`);
    const parsed = codeUploadPayloadSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
    const { tenantId, uploadId } = parsed.data;
    const ctx = { ...systemContext(platform.log, job.name, tenantId), tenantId };
    const uploads = platform.services.codeUploads;
    try {
      return await uploads.run(ctx, uploadId);
    } catch (err) {
      const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (!(err instanceof CodeUploadStopped) && !lastTry) {
        await uploads.noteRetry(ctx, uploadId, err);
        throw err;
      }
      await uploads.stop(ctx, uploadId, err);
      throw new UnrecoverableError((err as Error).message);
    }
  },
};
