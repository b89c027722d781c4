import type { ProductCard } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { CountedKind } from './co-occurrence';

/** One of the shop's events that names a product, as analytics keeps it. */
export interface ScannedEvent {
  id: number;
  kind: CountedKind;
  /** The shop's device id, or `s<shopperId>` for a purchase. */
  visitor: string;
  sessionId: string | null;
  productId: number;
  orderId: number | null;
  occurredAt: Date;
}

/** What recommendations read of the shop's events (analytics' service; its tables are its own). */
export interface RecommendationEvents {
  /** The events naming a product after `afterId`, in id order, at most `limit`, none older than `since`. */
  scanEvents(ctx: TenantContext, q: { afterId: number; limit: number; since?: Date }): Promise<ScannedEvent[]>;
  /** These visitors' latest product events, newest first. */
  recentProducts(
    ctx: TenantContext,
    visitors: string[],
    limit: number,
  ): Promise<Array<{ productId: number; kind: CountedKind; occurredAt: Date }>>;
}

/** A product the shop sells, as a build needs it. */
export interface ProductOnSale {
  id: number;
  categoryId: number;
  salesCount: number;
}

/** What recommendations read of the catalog (its service). */
export interface RecommendationCatalog {
  /** A page of the products on sale, by id after `afterId`. */
  onSale(ctx: TenantContext, q: { afterId: number; limit: number }): Promise<ProductOnSale[]>;
  /** Those of these products that are on sale. */
  onSaleOf(ctx: TenantContext, ids: number[]): Promise<ProductOnSale[]>;
  /** The cards of those of these products that are on sale, by id (the catalog's cache). */
  cards(ctx: TenantContext, ids: number[]): Promise<Map<number, ProductCard>>;
}
