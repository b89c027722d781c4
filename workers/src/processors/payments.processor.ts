import { UnrecoverableError, type Job } from 'bullmq';
import {
  PAYMENT_JOBS,
  QUEUES,
  queryPaymentPayloadSchema,
  reconcilePaymentsPayloadSchema,
  submitRefundPayloadSchema,
  uploadShippingPayloadSchema,
} from '@shopfleet/contracts';
import { chinaDay, systemContext, type Platform } from '@shopfleet/platform';
import type { ProcessorDef } from './processor';

/** The China-time day before `at`, as YYYY-MM-DD. */
export function yesterdayInChina(at: Date): string {
  return chinaDay(new Date(at.getTime() - 86_400_000));
}

/**
 * Refunds the provider could not take at once (retried with backoff; a refund whose job gives up fails
 * with the reason and gives its amount back to the order), shipping reports to WeChat, trades asked about when
 * their notification has not come, and the daily reconciliation.
 */
export const paymentsProcessor: ProcessorDef = {
  queue: QUEUES.payments,
  concurrency: 4,
  build: (platform: Platform) => async (job: Job) => {
    switch (job.name) {
      case PAYMENT_JOBS.submitRefund: {
        const parsed = submitRefundPayloadSchema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
        const ctx = { ...systemContext(platform.log, job.name, parsed.data.tenantId), tenantId: parsed.data.tenantId };
        await platform.services.payments.submitRefund(ctx, parsed.data.refundId, true);
        return { sent: true };
      }
      case PAYMENT_JOBS.uploadShipping: {
        const parsed = uploadShippingPayloadSchema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
        const ctx = { ...systemContext(platform.log, job.name, parsed.data.tenantId), tenantId: parsed.data.tenantId };
        return { result: await platform.services.shipmentReports.upload(ctx, parsed.data.orderId) };
      }
      case PAYMENT_JOBS.queryPayment: {
        const parsed = queryPaymentPayloadSchema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
        const ctx = { ...systemContext(platform.log, job.name, parsed.data.tenantId), tenantId: parsed.data.tenantId };
        return { paid: await platform.services.applyPayment.applyQueried(ctx, parsed.data.paymentNo) };
      }
      case PAYMENT_JOBS.reconcile: {
        const parsed = reconcilePaymentsPayloadSchema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
        const day = parsed.data.day ?? yesterdayInChina(new Date());
        return {
          day,
          discrepancies: await platform.services.payments.reconcileAll(systemContext(platform.log, job.name), day),
        };
      }
      default:
        throw new UnrecoverableError(`unknown job ${job.name} on ${job.queueName}`);
    }
  },
  failed: async (platform, job, failure) => {
    if (job.name !== PAYMENT_JOBS.submitRefund) return;
    const parsed = submitRefundPayloadSchema.safeParse(job.data);
    if (!parsed.success) return;
    const ctx = { ...systemContext(platform.log, job.name, parsed.data.tenantId), tenantId: parsed.data.tenantId };
    await platform.services.payments.failRefund(ctx, parsed.data.refundId, failure);
  },
};
