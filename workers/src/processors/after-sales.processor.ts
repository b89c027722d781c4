import { UnrecoverableError, type Job } from 'bullmq';
import {
  AFTER_SALES_JOBS,
  QUEUES,
  afterSalesDeadlinePayloadSchema,
  complaintReplyPayloadSchema,
  sweepAfterSalesPayloadSchema,
} from '@shopfleet/contracts';
import { systemContext, type Platform } from '@shopfleet/platform';
import type { ProcessorDef } from './processor';

/**
 * After-sales clocks: a case's step at its deadline (approve an unanswered refund, close an unshipped return, refund a
 * return not confirmed), and the sweeper every minute for deadlines whose job was lost. Both run the same guarded step,
 * so a case acted on twice changes once. And WeChat Pay's consumer complaints: the answer to a decided one (retried until
 * it lands), and the list every 30 minutes for notifications lost.
 */
export const afterSalesProcessor: ProcessorDef = {
  queue: QUEUES.afterSales,
  concurrency: 4,
  build: (platform: Platform) => async (job: Job) => {
    switch (job.name) {
      case AFTER_SALES_JOBS.deadline: {
        const parsed = afterSalesDeadlinePayloadSchema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
        const ctx = { ...systemContext(platform.log, job.name, parsed.data.tenantId), tenantId: parsed.data.tenantId };
        return { acted: await platform.services.afterSalesCase.timeUp(ctx, parsed.data.caseId) };
      }
      case AFTER_SALES_JOBS.sweep: {
        const parsed = sweepAfterSalesPayloadSchema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
        const at = parsed.data.now ? new Date(parsed.data.now) : new Date();
        return { acted: await platform.services.afterSalesCase.sweep(systemContext(platform.log, job.name), at) };
      }
      case AFTER_SALES_JOBS.complaintReply: {
        const parsed = complaintReplyPayloadSchema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
        const ctx = { ...systemContext(platform.log, job.name, parsed.data.tenantId), tenantId: parsed.data.tenantId };
        return { reply: await platform.services.wechatComplaints.reply(ctx, parsed.data.complaintId) };
      }
      case AFTER_SALES_JOBS.complaintSync:
        return { synced: await platform.services.wechatComplaints.syncRecent(systemContext(platform.log, job.name)) };
      default:
        throw new UnrecoverableError(`unknown job ${job.name} on ${job.queueName}`);
    }
  },
};
