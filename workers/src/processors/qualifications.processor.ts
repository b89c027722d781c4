import { UnrecoverableError, type Job } from 'bullmq';
import { QUALIFICATION_JOBS, QUEUES, checkExpiryPayloadSchema } from '@shopfleet/contracts';
import { systemContext, type Platform } from '@shopfleet/platform';
import type { ProcessorDef } from './processor';

/** Qualification jobs: the daily expiry watch (reminders, expiry notices, suspensions). */
export const qualificationsProcessor: ProcessorDef = {
  queue: QUEUES.qualifications,
  concurrency: 1,
  build: (platform: Platform) => async (job: Job) => {
    switch (job.name) {
      case QUALIFICATION_JOBS.checkExpiry: {
        const parsed = checkExpiryPayloadSchema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
        const ctx = systemContext(platform.log, job.name);
        const at = parsed.data.now ? new Date(parsed.data.now) : new Date();
        const result = await platform.services.qualificationReview.checkExpiry(ctx, at);
        ctx.log.info({ ...result, at }, 'qualification expiry checked');
        return result;
      }
      default:
        throw new UnrecoverableError(`unknown job ${job.name} on ${job.queueName}`);
    }
  },
};
