import type { merchantApi } from '@shopfleet/contracts';
import type { Handlers } from '../../../kernel/http/endpoint-router';
import type { OrderOpsService } from '../order-ops.service';
import type { BulkShipWorkflow } from './bulk-ship';
import type { OrderChangesWorkflow } from './order-changes';

/** The merchant's daily order operations: counts by state, price and address changes, bulk shipping. */
export function merchantOrderOpsHandlers(s: {
  orderOps: OrderOpsService;
  orderChanges: OrderChangesWorkflow;
  bulkShip: BulkShipWorkflow;
}) {
  return {
    orderCounts: (ctx, { query }) => s.orderOps.counts(ctx, query),
    changeOrderPrice: (ctx, { params, body }) => s.orderChanges.changePrice(ctx, params.id, body),
    changeOrderAddress: (ctx, { params, body }) => s.orderChanges.changeAddress(ctx, params.id, body),
    bulkShipOrders: (ctx, { body }) => s.bulkShip.ship(ctx, body),
    importShipments: (ctx, { file }) => s.bulkShip.importFile(ctx, file!.buffer),
  } satisfies Partial<Handlers<typeof merchantApi>>;
}
