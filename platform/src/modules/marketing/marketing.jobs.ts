import { MAINTENANCE_JOBS, QUEUES } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { Queues } from '../../kernel/queue';

/**
 * A job at each future start and end of a promotion (one per shop and instant, however many promotions share it): the
 * worker renews the shop's catalog cache then, so 限时价 and 满减 tags appear and go when the promotion does. Checkout
 * never depends on it: it prices promotions fresh.
 */
export async function schedulePromotionEdges(queues: Queues, ctx: TenantContext, edges: Date[], now: Date) {
  const future = [...new Set(edges.map((d) => d.getTime()))].filter((t) => t > now.getTime());
  if (future.length === 0) return;
  await queues
    .get(QUEUES.maintenance)
    .addBulk(
      future.map((t) => ({
        name: MAINTENANCE_JOBS.promotionEdge,
        data: { tenantId: ctx.tenantId },
        opts: { jobId: `promotion-edge-${ctx.tenantId}-${t}`, delay: t - now.getTime(), removeOnComplete: true },
      })),
    )
    .catch((err: unknown) =>
      ctx.log.warn({ err }, 'could not schedule the promotion edges; the cache renews in its TTL'),
    );
}

/** The job at a flash-sale session's end (one per session and end: a new end schedules a new one; an early one does nothing). */
export async function scheduleFlashEnd(queues: Queues, ctx: TenantContext, sessionId: number, endsAt: Date, now: Date) {
  await queues
    .get(QUEUES.maintenance)
    .add(
      MAINTENANCE_JOBS.flashEnd,
      { tenantId: ctx.tenantId, sessionId },
      {
        jobId: `flash-end-${ctx.tenantId}-${sessionId}-${endsAt.getTime()}`,
        delay: Math.max(0, endsAt.getTime() - now.getTime()),
        removeOnComplete: true,
      },
    )
    .catch((err: unknown) =>
      ctx.log.warn(
        { err, sessionId },
        'could not schedule the flash-sale end; the reconciliation will return its stock',
      ),
    );
}

/** Schedules the reconciliation of flash-sale gates (every 30 s), which also returns the stock of sessions whose end job was lost. */
export async function scheduleFlashReconcile(queues: Queues): Promise<void> {
  await queues
    .get(QUEUES.maintenance)
    .upsertJobScheduler(
      MAINTENANCE_JOBS.flashReconcile,
      { every: 30_000 },
      { name: MAINTENANCE_JOBS.flashReconcile, data: {} },
    );
}
