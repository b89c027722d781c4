import { UnrecoverableError, type Job } from 'bullmq';
import { QUEUES, SUPPORT_JOBS, supportNotifyPayloadSchema } from '@shopfleet/contracts';
import { systemContext, type Platform } from '@shopfleet/platform';
import type { ProcessorDef } from './processor';

/**
 * Customer service: a minute after an agent's reply, if the shopper has not read it and accepted a subscribe message,
 * WeChat tells them of it (one notice per conversation per minute: the job id is the conversation's).
 */
export const supportProcessor: ProcessorDef = {
  queue: QUEUES.support,
  concurrency: 4,
  build: (platform: Platform) => async (job: Job) => {
    if (job.name !== SUPPORT_JOBS.notifyReply)
      throw new UnrecoverableError(`unknown job ${job.name} on ${job.queueName}`);
    const parsed = supportNotifyPayloadSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
    const { tenantId, conversationId, seq } = parsed.data;
    const ctx = { ...systemContext(platform.log, job.name, tenantId), tenantId };
    return { notice: await platform.services.support.notifyReply(ctx, conversationId, seq) };
  },
};
