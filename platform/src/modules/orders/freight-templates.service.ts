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

export interface ShippingQuote {
  feeFen: number;
  templateId: number | null;
}

/** The rule of a template for a district code: the longest matching prefix wins (district over city over province). */
export function quote(
  template: Pick<ShippingTemplate, 'baseFeeFen' | 'freeAboveFen' | 'rules' | 'excludedRegions'>,
  regionCode: string,
  itemsTotalFen: number,
): number | null {
  const matches = (prefix: string) => regionCode.startsWith(prefix);
  if (template.excludedRegions.some(matches)) return null;
  let best: { length: number; feeFen: number; freeAboveFen: number | null } | null = null;
  for (const rule of template.rules) {
    for (const prefix of rule.regions) {
      if (matches(prefix) && (!best || prefix.length > best.length))
        best = { length: prefix.length, feeFen: rule.feeFen, freeAboveFen: rule.freeAboveFen };
    }
  }
  const fee = best ? best.feeFen : template.baseFeeFen;
  const freeAbove = best && best.freeAboveFen !== null ? best.freeAboveFen : template.freeAboveFen;
  return freeAbove !== null && itemsTotalFen >= freeAbove ? 0 : fee;
}

/**
 * A shop's freight templates (运费模板) (a flat fee, free above an amount, by region; regions it does not
 * deliver to) and its order settings (payment window, auto-confirm days). The default template prices
 * every order; a shop without templates ships free.
 */
export function freightTemplatesService(deps: {
  repo: FreightTemplatesRepository;
  tx: Transactions;
  audit: AuditService;
  cache: VersionedCache;
  defaults: OrderSettings;
}) {
  const { repo } = deps;

  /** What checkout reads on every order, from the cache: the shop's settings and default template. */
  async function pricing(ctx: TenantContext): Promise<{ settings: OrderSettings; template: ShippingTemplate | null }> {
    const text = await deps.cache.json(ctx.tenantId, 'pricing', async () => {
      const [settings, template] = await Promise.all([repo.settings(ctx), repo.byDefault(ctx)]);
      return { settings: settings ?? { ...deps.defaults }, template };
    });
    return JSON.parse(text) as { settings: OrderSettings; template: ShippingTemplate | null };
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

    async remove(ctx: TenantContext, id: number): Promise<void> {
      const template = await repo.byId(ctx, id);
      if (!template) throw new NotFoundError('FREIGHT_TEMPLATE_NOT_FOUND');
      if (template.isDefault)
        throw new ConflictError({
          reason: 'SHIPPING_TEMPLATE_IS_DEFAULT',
          message: 'Make another template the default before deleting this one',
        });
      await repo.remove(ctx, id);
      await deps.cache.bump(ctx.tenantId);
      await deps.audit.record(ctx, {
        action: 'shipping.template.delete',
        targetType: 'shipping_template',
        targetId: id,
      });
    },

    /** The fee of a delivery to a district for this items total; null when the shop does not deliver there. */
    async feeFor(ctx: TenantContext, regionCode: string, itemsTotalFen: number): Promise<number | null> {
      const { template } = await pricing(ctx);
      return template ? quote(template, regionCode, itemsTotalFen) : 0;
    },

    async settings(ctx: TenantContext): Promise<OrderSettings> {
      return (await pricing(ctx)).settings;
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
