import type { RequestHandler } from 'express';
import type { platformApi } from '@shopfleet/contracts';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { FiguresService } from './figures.service';
import type { UsageService } from './usage.service';

export function platformUsageHandlers(usage: UsageService, figures: FiguresService) {
  return {
    getPlatformFigures: (ctx, { query }) => figures.figures(ctx, query),
    listUsage: (ctx, { query }) => usage.list(ctx, query),
    getTenantUsage: (ctx, { params, query }) => usage.history(ctx, params.id, query),
  } satisfies Partial<Handlers<typeof platformApi>>;
}

/**
 * Counts each request of the merchant and shop APIs whose shop became known (a merchant's sign-in, or the shop in the
 * path: the endpoint router sets `res.locals.tenantId`), once its answer is sent, whatever the answer. A request that
 * named no shop (a failed sign-in) counts for none. Counting never holds up or fails a request.
 */
export function apiRequestCounter(usage: Pick<UsageService, 'countRequest'>): RequestHandler {
  return (req, res, next) => {
    res.once('finish', () => {
      const tenantId = res.locals.tenantId as unknown;
      if (typeof tenantId === 'number') usage.countRequest(tenantId);
    });
    next();
  };
}
