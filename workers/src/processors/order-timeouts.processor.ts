import { UnrecoverableError, type Job } from 'bullmq';
import {
  ORDER_JOBS,
  QUEUES,
  autoConfirmOrdersPayloadSchema,
  closeUnpaidOrderPayloadSchema,
  sweepUnpaidOrdersPayloadSchema,
} from '@shopfleet/contracts';
import { systemContext, type Platform } from '@shopfleet/platform';
import type { ProcessorDef } from './processor';

/**
 * Order clocks: close an unpaid order when its payment window ends, sweep for any whose job was lost,
 * and complete shipped orders whose auto-confirm date has passed.
 */
export const orderTimeoutsProcessor: ProcessorDef = {
  queue: QUEUES.orderTimeouts,
  concurrency: 4,
  build: (platform: Platform) => async (job: Job) => {
    switch (job.name) {
      case ORDER_JOBS.closeUnpaidOrder: {
        const parsed = closeUnpaidOrderPayloadSchema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
        const ctx = { ...systemContext(platform.log, job.name, parsed.data.tenantId), tenantId: parsed.data.tenantId };
        return { closed: await platform.services.cancelOrder.closeIfExpired(ctx, parsed.data.orderId) };
      }
      case ORDER_JOBS.sweepUnpaidOrders: {
        const parsed = sweepUnpaidOrdersPayloadSchema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
        const at = parsed.data.now ? new Date(parsed.data.now) : new Date();
        return { closed: await platform.services.cancelOrder.sweep(systemContext(platform.log, job.name), at) };
      }
      case ORDER_JOBS.autoConfirmOrders: {
        const parsed = autoConfirmOrdersPayloadSchema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
        const at = parsed.data.now ? new Date(parsed.data.now) : new Date();
        return { confirmed: await platform.services.orders.autoConfirm(systemContext(platform.log, job.name), at) };
      }
      default:
        throw new UnrecoverableError(`unknown job ${job.name} on ${job.queueName}`);
    }
  },
};
