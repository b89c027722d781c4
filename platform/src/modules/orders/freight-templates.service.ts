import { LRUCache } from 'lru-cache';
import {
  SHIPPING_TEMPLATES_MAX,
  type OrderSettings,
  type ShippingTemplate,
  type ShippingTemplateInput,
} from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { ConflictError, NotFoundError } from '../../kernel/errors';
import type { Transactions } from '../../kernel/db/database';
import type { VersionedCache } from '../../kernel/versioned-cache';
import type { AuditService } from '../audit';
import type { FreightTemplatesRepository } from './freight-templates.repository';
import { quoteFreight, type FreightLine, type FreightQuote } from './freight-quote';

/** Who uses a template (the catalog's products), asked before the template is deleted. */
export interface FreightTemplateUsers {
  /** How many of the shop's products (not deleted) ship by this template. */
  productsUsing(ctx: TenantContext, templateId: number): Promise<number>;
}

/** What checkout reads on every order, from the cache. */
interface Pricing {
  settings: OrderSettings;
  /** Every template of the shop, the default first. */
  templates: ShippingTemplate[];
}

/**
 * A shop's freight templates (运费模板): each charges by piece, weight or volume — first units and a fee, then each
 * additional units begun and a fee — with a free-shipping condition (amount and/or units), per region, and regions it
 * does not deliver to; products choose one, or ship by the shop's default. And the shop's order settings (payment
 * window, auto-confirm days). A shop without templates ships free. See freight-quote.ts for how an order is priced.
 */
export function freightTemplatesService(deps: {
  repo: FreightTemplatesRepository;
  tx: Transactions;
  audit: AuditService;
  cache: VersionedCache;
  defaults: OrderSettings;
  /** The products of a template (catalog), bound once the catalog is built. */
  users: FreightTemplateUsers;
}) {
  const { repo } = deps;
  /** The last text read per shop and its parsed value: an order parses its shop's templates only when they changed. */
  const parsed = new LRUCache<number, { text: string; value: Pricing }>({ max: 10_000 });

  /**
   * What checkout reads on every order, from the cache: the shop's settings and all its templates, in one read. The
   * key names the shape (`v2`: every template, no longer the default alone) so that entries cached before are never
   * read as the new one. The value is shared: read it, never change it.
   */
  async function pricing(ctx: TenantContext): Promise<Pricing> {
    const text = await deps.cache.json(ctx.tenantId, 'pricing.v2', async () => {
      const [settings, templates] = await Promise.all([repo.settings(ctx), repo.list(ctx)]);
      return { settings: settings ?? { ...deps.defaults }, templates } satisfies Pricing;
    });
    const seen = parsed.get(ctx.tenantId);
    if (seen && seen.text === text) return seen.value;
    const value = JSON.parse(text) as Pricing;
    parsed.set(ctx.tenantId, { text, value });
    return value;
  }

  async function write(ctx: TenantContext, id: number | null, input: ShippingTemplateInput): Promise<ShippingTemplate> {
    const savedId = await deps.tx.transaction(ctx, async (tctx) => {
      const existing = await repo.lockAll(tctx);
      // The first template is the default whatever was asked; the default stays one until another takes over.
      const makeDefault =
        input.isDefault || existing.length === 0 || (id !== null && existing.some((e) => e.id === id && e.isDefault));
      if (makeDefault) await repo.clearDefault(tctx);
      if (id === null) {
        if (existing.length >= SHIPPING_TEMPLATES_MAX)
          throw new ConflictError({
            reason: 'SHIPPING_TEMPLATES_FULL',
            params: { max: SHIPPING_TEMPLATES_MAX },
            message: `A shop has at most ${SHIPPING_TEMPLATES_MAX} shipping templates`,
          });
        return repo.insert(tctx, input, makeDefault);
      }
      if (!existing.some((e) => e.id === id)) throw new NotFoundError('FREIGHT_TEMPLATE_NOT_FOUND');
      await repo.update(tctx, id, input, makeDefault);
      return id;
    });
    await deps.cache.bump(ctx.tenantId);
    await deps.audit.record(ctx, {
      action: id === null ? 'shipping.template.create' : 'shipping.template.update',
      targetType: 'shipping_template',
      targetId: savedId,
    });
    return (await repo.byId(ctx, savedId))!;
  }

  return {
    list: (ctx: TenantContext): Promise<ShippingTemplate[]> => repo.list(ctx),
    create: (ctx: TenantContext, input: ShippingTemplateInput) => write(ctx, null, input),
    update: (ctx: TenantContext, id: number, input: ShippingTemplateInput) => write(ctx, id, input),

    /** Whether the shop has this template (a product may ship by it); another shop's is not found. Read, not cached. */
    async exists(ctx: TenantContext, id: number): Promise<boolean> {
      return (await repo.byId(ctx, id)) !== null;
    },

    /**
     * Deletes a template that is neither the default nor used by a product (409 naming how many use it), so that
     * products always say what they ship by. A product saved with the template while it is deleted still prices:
     * checkout prices a template the shop no longer has as the default (freight-quote.ts).
     */
    async remove(ctx: TenantContext, id: number): Promise<void> {
      const template = await repo.byId(ctx, id);
      if (!template) throw new NotFoundError('FREIGHT_TEMPLATE_NOT_FOUND');
      if (template.isDefault)
        throw new ConflictError({
          reason: 'SHIPPING_TEMPLATE_IS_DEFAULT',
          message: 'Make another template the default before deleting this one',
        });
      const count = await deps.users.productsUsing(ctx, id);
      if (count > 0)
        throw new ConflictError({
          reason: 'SHIPPING_TEMPLATE_IN_USE',
          params: { count },
          message: `${count} products ship by this template; choose another template for them first`,
        });
      await repo.remove(ctx, id);
      await deps.cache.bump(ctx.tenantId);
      await deps.audit.record(ctx, {
        action: 'shipping.template.delete',
        targetType: 'shipping_template',
        targetId: id,
      });
    },

    /**
     * The freight of an order's lines to a district, from the cached templates (one read per order, whatever its
     * lines): grouped by template, combined as freight-quote.ts says; or the lines that cannot go there.
     */
    async quote<L extends FreightLine>(
      ctx: TenantContext,
      regionCode: string,
      lines: readonly L[],
    ): Promise<FreightQuote<L>> {
      return quoteFreight((await pricing(ctx)).templates, regionCode, lines);
    },

    async settings(ctx: TenantContext): Promise<OrderSettings> {
      return { ...(await pricing(ctx)).settings };
    },

    async updateSettings(ctx: TenantContext, input: OrderSettings): Promise<OrderSettings> {
      await repo.saveSettings(ctx, input);
      await deps.cache.bump(ctx.tenantId);
      await deps.audit.record(ctx, { action: 'order.settings.update', data: { ...input } });
      return this.settings(ctx);
    },
  };
}

export type FreightTemplatesService = ReturnType<typeof freightTemplatesService>;
