import type { CarrierCode, MerchantOrder } from '@shopfleet/contracts';
import type { TenantContext } from '../../../kernel/context';
import type { AuditService } from '../../audit';
import type { ShipmentReportsService } from '../../payments';
import type { OrdersService } from '../orders.service';

export interface ShipOrderDeps {
  orders: Pick<OrdersService, 'ship' | 'full'>;
  shipmentReports: Pick<ShipmentReportsService, 'schedule'>;
  audit: AuditService;
}

/**
 * The merchant ships a paid order:
 *
 * 1. orders: the order becomes shipped with its parcel (shipping it again with the same parcel changes nothing);
 * 2. audit: the shipment is recorded;
 * 3. payments: a WeChat Pay order's shipment report to WeChat is queued (WeChat holds the funds until it has it).
 */
export function shipOrderWorkflow(deps: ShipOrderDeps) {
  return async function shipOrder(
    ctx: TenantContext,
    orderId: number,
    carrier: CarrierCode,
    trackingNo: string,
  ): Promise<MerchantOrder> {
    const result = await deps.orders.ship(ctx, orderId, carrier, trackingNo);
    if (result.changed)
      await deps.audit.record(ctx, {
        action: 'order.ship',
        targetType: 'order',
        targetId: orderId,
        data: { carrier, trackingNo },
      });
    if (result.reportToWechat) await deps.shipmentReports.schedule(ctx, orderId);
    return deps.orders.full(ctx, orderId);
  };
}

export type ShipOrderWorkflow = ReturnType<typeof shipOrderWorkflow>;
