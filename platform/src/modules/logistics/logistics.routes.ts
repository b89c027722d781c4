import type { merchantApi, shopApi } from '@shopfleet/contracts';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { PrintsService } from './prints.service';
import type { TrackingService } from './tracking.service';

export function merchantLogisticsHandlers(prints: PrintsService, tracking: TrackingService) {
  return {
    printOrders: async (ctx, { query }, res) => {
      const pdf = await prints.print(ctx, query.kind, query.ids.split(',').map(Number));
      const name = query.kind === 'packing_list' ? 'packing-lists.pdf' : 'shipping-labels.pdf';
      res.status(200).type('application/pdf').set('Content-Disposition', `inline; filename="${name}"`).send(pdf);
      return undefined as never;
    },
    getMerchantOrderTracking: (ctx, { params }) => tracking.forMerchant(ctx, params.id),
  } satisfies Partial<Handlers<typeof merchantApi>>;
}

export function shopLogisticsHandlers(tracking: TrackingService) {
  return {
    getOrderTracking: (ctx, { params }) => tracking.forShopper(ctx, params.id),
  } satisfies Partial<Handlers<typeof shopApi>>;
}
