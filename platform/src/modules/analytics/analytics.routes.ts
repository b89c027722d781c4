import type { merchantApi, shopApi } from '@shopfleet/contracts';
import type { Limiter } from '../../kernel/auth/rate-limit';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { AnalyticsService } from './analytics.service';
import type { PendingWorkWorkflow } from './workflows/pending-work';

/** The data pages: figures, trend, top products, their export; the work waiting. */
export function merchantAnalyticsHandlers(analytics: AnalyticsService, pendingWork: PendingWorkWorkflow) {
  return {
    analyticsOverview: (ctx, { query }) => analytics.overview(ctx, query),
    analyticsTrend: (ctx, { query }) => analytics.trend(ctx, query),
    analyticsTopProducts: (ctx, { query }) => analytics.topProducts(ctx, query, query.by, query.limit),
    exportAnalytics: async (ctx, { query }, res) => {
      const file = await analytics.exportTable(ctx, query);
      const type =
        query.format === 'csv'
          ? 'text/csv; charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      res.status(200).type(type).attachment(`${query.table}-${query.from}-${query.to}.${query.format}`).send(file);
      return undefined as never;
    },
    pendingWork: (ctx) => pendingWork(ctx),
  } satisfies Partial<Handlers<typeof merchantApi>>;
}

/** The shop's events: batches per device, limited per device so a loop in a page cannot flood the table. */
export function shopAnalyticsHandlers(analytics: AnalyticsService, limiter: Limiter) {
  return {
    recordShopEvents: async (ctx, { body }) => {
      await limiter.consume(`${ctx.tenantId}:${body.device}`, 'Too many event batches; try again shortly');
      return analytics.ingest(ctx, body);
    },
  } satisfies Partial<Handlers<typeof shopApi>>;
}
