import type { Order, OrderTracking } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { ConflictError } from '../../kernel/errors';
import type { Redis } from '../../kernel/redis';
import { kuaidi100PageUrl, type ParcelRoute, type TrackingProvider } from '../../integrations/kuaidi100';
import type { MerchantOrdersService, OrdersService } from '../orders';

export interface TrackingDeps {
  orders: Pick<OrdersService, 'get'>;
  merchantOrders: Pick<MerchantOrdersService, 'get'>;
  /** The platform's tracking service; null when none is configured (the number and the carrier's page only). */
  provider: TrackingProvider | null;
  redis: Redis;
  redisPrefix: string;
  /** Seconds a route (or "none yet") is kept; a provider's failure is kept at most 30 s. */
  cacheSeconds: number;
  now?: () => Date;
}

/** What is cached of a provider's answer, with when it was asked. */
type Cached = { route: ParcelRoute; checkedAt: string };

const FAILURE_CACHE_SECONDS = 30;

/**
 * A shipped order's parcel, for its shopper and its merchant: the tracking provider's route (`live`), or why there is
 * none (`not_found`, `unavailable`, `not_configured`), always with the tracking number and the carrier's public page.
 * Answers are cached per shop and parcel for a few minutes in Redis, so shoppers opening their orders do not hammer
 * the provider (which bills per query and asks its users not to poll); a provider's failure is a state, never an error.
 */
export function trackingService(deps: TrackingDeps) {
  const now = deps.now ?? (() => new Date());

  async function routeOf(ctx: TenantContext, order: Order): Promise<Cached | null> {
    const shipment = order.shipment!;
    const provider = deps.provider;
    if (!provider) return null;
    const key = `${deps.redisPrefix}:tracking:${ctx.tenantId}:${shipment.carrier}:${shipment.trackingNo}`;
    const hit = await deps.redis.get(key);
    if (hit) return JSON.parse(hit) as Cached;
    const route = await provider.query({
      carrier: shipment.carrier,
      trackingNo: shipment.trackingNo,
      phone: order.address.phone || null,
    });
    if (route.status === 'unavailable')
      ctx.log.warn(
        { provider: provider.name, why: route.why },
        'the tracking provider failed; the parcel shows no route',
      );
    const cached: Cached = { route, checkedAt: now().toISOString() };
    const ttl = route.status === 'unavailable' ? Math.min(FAILURE_CACHE_SECONDS, deps.cacheSeconds) : deps.cacheSeconds;
    await deps.redis.set(key, JSON.stringify(cached), 'EX', ttl);
    return cached;
  }

  async function tracking(ctx: TenantContext, order: Order): Promise<OrderTracking> {
    const shipment = order.shipment;
    if (!shipment)
      throw new ConflictError({ reason: 'ORDER_NOT_SHIPPED', message: 'The order has not been shipped yet' });
    const base = {
      carrier: shipment.carrier,
      carrierName: shipment.carrierName,
      trackingNo: shipment.trackingNo,
      carrierUrl: kuaidi100PageUrl(shipment.carrier, shipment.trackingNo),
    };
    const cached = await routeOf(ctx, order);
    if (!cached) return { ...base, status: 'not_configured', state: null, checkpoints: [], checkedAt: null };
    const { route, checkedAt } = cached;
    return route.status === 'live'
      ? { ...base, status: 'live', state: route.state, checkpoints: route.checkpoints, checkedAt }
      : { ...base, status: route.status, state: null, checkpoints: [], checkedAt };
  }

  return {
    /** The shopper's own shipped order's parcel (another's order is not found). */
    forShopper: async (ctx: TenantContext, orderId: number) => tracking(ctx, await deps.orders.get(ctx, orderId)),
    /** A shipped order of the shop's, for its merchant. */
    forMerchant: async (ctx: TenantContext, orderId: number) =>
      tracking(ctx, await deps.merchantOrders.get(ctx, orderId)),
  };
}

export type TrackingService = ReturnType<typeof trackingService>;
