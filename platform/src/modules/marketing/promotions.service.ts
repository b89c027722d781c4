import type {
  CopyPromotionBody,
  CouponDisplayStatus,
  Page,
  ProductPromotion,
  Promotion,
  PromotionInput,
  PromotionKind,
} from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { Transactions } from '../../kernel/db/database';
import { retryOnDeadlock } from '../../kernel/db/retry';
import { ConflictError, NotFoundError, ValidationError, issue } from '../../kernel/errors';
import type { AuditService } from '../audit';
import type { Queues } from '../../kernel/queue';
import type { VersionedCache } from '../../kernel/versioned-cache';
import type { CatalogService } from '../catalog';
import { schedulePromotionEdges } from './marketing.jobs';
import { NO_FIGURES, type CampaignOrdersRepository } from './campaign-orders.repository';
import { periodStatus } from './coupons.service';
import { covers, timedUnitOff } from './offers';
import type { NewPromotion, PromotionsRepository, StoredPromotion } from './promotions.repository';

export interface PromotionsDeps {
  repo: PromotionsRepository;
  campaigns: CampaignOrdersRepository;
  tx: Transactions;
  /** The products a 限时折扣 prices: they exist, and their SKUs' prices (a 限时价 is below them). */
  catalog: Pick<CatalogService, 'productPlaces'>;
  /** The catalog's cache, renewed when what it shows of promotions changes (written, stopped, started, ended). */
  cache: Pick<VersionedCache, 'bump'>;
  queues: Queues;
  audit: AuditService;
  now?: () => Date;
}

const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Promotions: 满减/满折 (tiers over a product scope) and 限时折扣 (a price or a percent off per product or SKU), each
 * over a period, stopped early at will, copied to a new period. Checkout prices them fresh (./offers.ts); the shop shows
 * them through the catalog's cache, which is told at each write and at each start and end.
 */
export function promotionsService(deps: PromotionsDeps) {
  const now = deps.now ?? (() => new Date());
  const { repo } = deps;

  /** The shop's catalog cache renewed now, and at each of `edges` still to come (a start, an end). */
  async function promotionsChanged(ctx: TenantContext, edges: Date[]): Promise<void> {
    await deps.cache.bump(ctx.tenantId);
    await schedulePromotionEdges(deps.queues, ctx, edges, now());
  }

  async function views(ctx: TenantContext, list: StoredPromotion[]): Promise<Promotion[]> {
    const at = now();
    const byKind = new Map<PromotionKind, number[]>();
    for (const p of list) byKind.set(p.kind, [...(byKind.get(p.kind) ?? []), p.id]);
    const figures = new Map(
      (await Promise.all([...byKind].map(([kind, ids]) => deps.campaigns.figures(ctx, kind, ids)))).flatMap((m) => [
        ...m,
      ]),
    );
    return list.map((p) => ({
      id: p.id,
      kind: p.kind,
      name: p.name,
      startsAt: p.startsAt.toISOString(),
      endsAt: p.endsAt.toISOString(),
      status: p.status,
      displayStatus: periodStatus(p.status, p.startsAt, p.endsAt, at),
      basis: p.basis,
      tiers: p.tiers,
      scope: p.scope,
      scopeIds: p.scopeIds,
      excludedProductIds: p.excludedProductIds,
      tag: p.tag,
      items: p.items,
      figures: figures.get(p.id) ?? NO_FIGURES,
      createdAt: p.createdAt.toISOString(),
    }));
  }

  const viewOf = async (ctx: TenantContext, p: StoredPromotion) => (await views(ctx, [p]))[0]!;

  async function mustGet(ctx: TenantContext, id: number): Promise<StoredPromotion> {
    const p = await repo.byId(ctx, id);
    if (!p) throw new NotFoundError('PROMOTION_NOT_FOUND');
    return p;
  }

  /**
   * A 限时折扣's items against the catalog: each product exists, each SKU is one of it, each 限时价 is below the price of
   * every SKU it applies to, and no product is in another 限时折扣 over part of the same period.
   */
  async function checkTimed(ctx: TenantContext, p: NewPromotion, except?: number): Promise<void> {
    const places = await deps.catalog.productPlaces(
      ctx,
      p.items.map((i) => i.productId),
    );
    const issues = p.items.flatMap((item, i) => {
      const place = places.get(item.productId);
      const skus = place?.skus.filter((s) => item.skuId === null || s.skuId === item.skuId) ?? [];
      const params = { productId: item.productId };
      if (!place || skus.length === 0)
        return [
          issue(`body.timedDiscount.items.${i}.productId`, {
            reason: 'PROMOTION_PRODUCT_UNKNOWN',
            params,
            message: `no product ${item.productId} with that SKU`,
          }),
        ];
      if (item.priceFen !== null && skus.some((s) => timedUnitOff(item, s.priceFen) === 0))
        return [
          issue(`body.timedDiscount.items.${i}.priceFen`, {
            reason: 'PROMOTION_PRICE_NOT_BELOW',
            params,
            message: 'the price must be below every SKU it applies to',
          }),
        ];
      return [];
    });
    if (issues.length) throw new ValidationError({ reason: 'INVALID_INPUT', message: 'invalid body' }, { issues });
    const busy = await repo.busyProducts(
      ctx,
      p.items.map((i) => i.productId),
      p.startsAt,
      p.endsAt,
      except,
    );
    if (busy.length)
      throw new ConflictError(
        {
          reason: 'PROMOTION_PRODUCT_BUSY',
          params: { productId: busy[0]! },
          message: `Product ${busy[0]} is in another timed discount over the same period`,
        },
        { productIds: busy },
      );
  }

  async function insert(ctx: TenantContext, p: NewPromotion, action: string, data?: unknown): Promise<number> {
    // Two 限时折扣 of one product written at once must not both pass the overlap check: it runs with the shop's
    // 限时折扣 locked (a deadlock between two such writers is retried, and the second then sees the first).
    const id = await retryOnDeadlock(() =>
      deps.tx.transaction(ctx, async (tctx) => {
        if (p.kind === 'timed_discount') {
          await repo.lockTimed(tctx);
          await checkTimed(tctx, p);
        }
        const created = await repo.insert(tctx, p);
        await deps.audit.record(tctx, { action, targetType: 'promotion', targetId: created, data });
        return created;
      }),
    );
    await promotionsChanged(ctx, [p.startsAt, p.endsAt]);
    return id;
  }

  return {
    /** A promotion of the shop started or ended (the scheduled job): its catalog cache is renewed. */
    edgePassed: (tenantId: number): Promise<void> => deps.cache.bump(tenantId),

    async create(ctx: TenantContext, input: PromotionInput): Promise<Promotion> {
      const p: NewPromotion =
        input.kind === 'full_reduction'
          ? {
              kind: 'full_reduction',
              name: input.fullReduction.name,
              startsAt: new Date(input.fullReduction.startsAt),
              endsAt: new Date(input.fullReduction.endsAt),
              basis: input.fullReduction.basis,
              tiers: input.fullReduction.tiers.map((t) => ({
                threshold: t.threshold,
                amountOffFen: t.amountOffFen ?? null,
                discountPercent: t.discountPercent ?? null,
              })),
              scope: input.fullReduction.scope,
              scopeIds: input.fullReduction.scopeIds,
              excludedProductIds: input.fullReduction.excludedProductIds,
              tag: '',
              items: [],
            }
          : {
              kind: 'timed_discount',
              name: input.timedDiscount.name,
              startsAt: new Date(input.timedDiscount.startsAt),
              endsAt: new Date(input.timedDiscount.endsAt),
              basis: null,
              tiers: [],
              scope: 'products',
              scopeIds: [...new Set(input.timedDiscount.items.map((i) => i.productId))],
              excludedProductIds: [],
              tag: input.timedDiscount.tag,
              items: input.timedDiscount.items.map((i) => ({
                productId: i.productId,
                skuId: i.skuId ?? null,
                priceFen: i.priceFen ?? null,
                discountPercent: i.discountPercent ?? null,
              })),
            };
      return viewOf(ctx, await mustGet(ctx, await insert(ctx, p, 'promotion.create')));
    },

    async list(
      ctx: TenantContext,
      q: { kind: PromotionKind; status?: CouponDisplayStatus; page: number; pageSize: number },
    ): Promise<Page<Promotion>> {
      const { rows, total } = await repo.list(ctx, { ...q, now: now() });
      return { items: await views(ctx, rows), page: q.page, pageSize: q.pageSize, total };
    },

    async get(ctx: TenantContext, id: number): Promise<Promotion> {
      return viewOf(ctx, await mustGet(ctx, id));
    },

    async rename(ctx: TenantContext, id: number, name: string): Promise<Promotion> {
      await deps.tx.transaction(ctx, async (tctx) => {
        const p = await mustGet(tctx, id);
        await repo.rename(tctx, id, name);
        await deps.audit.record(tctx, {
          action: 'promotion.update',
          targetType: 'promotion',
          targetId: id,
          data: { from: { name: p.name }, to: { name } },
        });
      });
      await promotionsChanged(ctx, []);
      return viewOf(ctx, await mustGet(ctx, id));
    },

    /** Stops a promotion early: orders priced after do not get it, and the shop stops showing it. Twice is a no-op. */
    async stop(ctx: TenantContext, id: number): Promise<Promotion> {
      const stopped = await deps.tx.transaction(ctx, async (tctx) => {
        await mustGet(tctx, id);
        const changed = await repo.stop(tctx, id);
        if (changed) await deps.audit.record(tctx, { action: 'promotion.stop', targetType: 'promotion', targetId: id });
        return changed;
      });
      if (stopped) await promotionsChanged(ctx, []);
      return viewOf(ctx, await mustGet(ctx, id));
    },

    /** A new promotion with the same rules over a new period, checked as a new one is (a 限时折扣's products are free then). */
    async copy(ctx: TenantContext, id: number, body: CopyPromotionBody): Promise<Promotion> {
      const p = await mustGet(ctx, id);
      const copyId = await insert(
        ctx,
        { ...p, name: body.name ?? p.name, startsAt: new Date(body.startsAt), endsAt: new Date(body.endsAt) },
        'promotion.copy',
        { from: id },
      );
      return viewOf(ctx, await mustGet(ctx, copyId));
    },

    /**
     * What products show of the promotions running now (the catalog's cards and pages, cached): each SKU's 限时价, the
     * lowest of them with the tag, and the 满减 the product counts towards. Products with neither are absent.
     */
    async shown(
      ctx: TenantContext,
      productIds: number[],
    ): Promise<Map<number, { promotion: ProductPromotion; skuTimedPrices: Map<number, number> }>> {
      const at = now();
      const [places, reductions, timed] = await Promise.all([
        deps.catalog.productPlaces(ctx, productIds),
        repo.runningReductions(ctx, at),
        repo.runningTimedItems(ctx, productIds, at),
      ]);
      const shown = new Map<number, { promotion: ProductPromotion; skuTimedPrices: Map<number, number> }>();
      for (const place of places.values()) {
        const items = timed.filter((t) => t.productId === place.productId);
        const skuTimedPrices = new Map<number, number>();
        for (const sku of place.skus) {
          const item = items.find((t) => t.skuId === sku.skuId) ?? items.find((t) => t.skuId === null);
          const off = item ? timedUnitOff(item, sku.priceFen) : 0;
          if (off > 0) skuTimedPrices.set(sku.skuId, sku.priceFen - off);
        }
        const reduction = reductions.find((r) => covers(r, place));
        if (skuTimedPrices.size === 0 && !reduction) continue;
        const first = items[0];
        shown.set(place.productId, {
          skuTimedPrices,
          promotion: {
            timedPriceFen: skuTimedPrices.size ? Math.min(...skuTimedPrices.values()) : null,
            timedTag: first && skuTimedPrices.size ? first.tag || null : null,
            timedEndsAt: first && skuTimedPrices.size ? isoOrNull(first.endsAt) : null,
            fullReduction: reduction
              ? { id: reduction.id, name: reduction.name, basis: reduction.basis!, tiers: reduction.tiers }
              : null,
          },
        });
      }
      return shown;
    },
  };
}

export type PromotionsService = ReturnType<typeof promotionsService>;
