import type { Knex } from 'knex';
import { SHIPPING_TEMPLATES_MAX, type OrderSettings, type ShippingTemplate, type ShippingTemplateInput } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { ConflictError, NotFoundError } from '../../kernel/errors';
import { TenantScope } from '../../kernel/db/tenant-scope';
import { iso, parseJsonColumn } from '../../kernel/db/rows';
import type { VersionedCache } from '../../kernel/versioned-cache';
import type { AuditService } from '../audit';

export interface ShippingQuote {
  feeFen: number;
  templateId: number | null;
}

/** The rule of a template for a district code: the longest matching prefix wins (district over city over province). */
export function quote(template: Pick<ShippingTemplate, 'baseFeeFen' | 'freeAboveFen' | 'rules' | 'excludedRegions'>, regionCode: string, itemsTotalFen: number): number | null {
  const matches = (prefix: string) => regionCode.startsWith(prefix);
  if (template.excludedRegions.some(matches)) return null;
  let best: { length: number; feeFen: number; freeAboveFen: number | null } | null = null;
  for (const rule of template.rules) {
    for (const prefix of rule.regions) {
      if (matches(prefix) && (!best || prefix.length > best.length)) best = { length: prefix.length, feeFen: rule.feeFen, freeAboveFen: rule.freeAboveFen };
    }
  }
  const fee = best ? best.feeFen : template.baseFeeFen;
  const freeAbove = best && best.freeAboveFen !== null ? best.freeAboveFen : template.freeAboveFen;
  return freeAbove !== null && itemsTotalFen >= freeAbove ? 0 : fee;
}

function toTemplate(r: Record<string, unknown>): ShippingTemplate {
  return {
    id: Number(r.id),
    name: String(r.name),
    baseFeeFen: Number(r.base_fee_fen),
    freeAboveFen: r.free_above_fen === null ? null : Number(r.free_above_fen),
    rules: (parseJsonColumn(r.rules) as ShippingTemplate['rules']) ?? [],
    excludedRegions: (parseJsonColumn(r.excluded_regions) as string[]) ?? [],
    isDefault: Boolean(r.is_default),
    updatedAt: iso(r.updated_at as Date),
  };
}

/**
 * A shop's shipping templates (a flat fee, free above an amount, by region; regions it does not
 * deliver to) and its order settings (payment window, auto-confirm days). The default template prices
 * every order; a shop without templates ships free.
 */
export function shippingService(deps: { knex: Knex; audit: AuditService; cache: VersionedCache; defaults: OrderSettings }) {
  const scopeOf = (ctx: TenantContext, trx?: Knex.Transaction) => new TenantScope(trx ?? deps.knex, ctx.tenantId);

  /** What checkout reads on every order, from the cache: the shop's settings and default template. */
  async function pricing(ctx: TenantContext): Promise<{ settings: OrderSettings; template: ShippingTemplate | null }> {
    const text = await deps.cache.json(ctx.tenantId, 'pricing', async () => {
      const [row, tpl] = await Promise.all([scopeOf(ctx).table('order_settings').first(), scopeOf(ctx).table('shipping_templates').where({ is_default: true }).first()]);
      return {
        settings: row ? { paymentWindowMinutes: Number(row.payment_window_minutes), autoConfirmDays: Number(row.auto_confirm_days) } : { ...deps.defaults },
        template: tpl ? toTemplate(tpl) : null,
      };
    });
    return JSON.parse(text) as { settings: OrderSettings; template: ShippingTemplate | null };
  }

  async function write(ctx: TenantContext, id: number | null, input: ShippingTemplateInput): Promise<ShippingTemplate> {
    const row = {
      name: input.name,
      base_fee_fen: input.baseFeeFen,
      free_above_fen: input.freeAboveFen,
      rules: JSON.stringify(input.rules),
      excluded_regions: JSON.stringify(input.excludedRegions),
      updated_at: new Date(),
    };
    const savedId = await deps.knex.transaction(async (trx) => {
      const scope = scopeOf(ctx, trx);
      const existing = (await scope.table('shipping_templates').forUpdate().select('id', 'is_default')) as Array<{ id: number; is_default: number }>;
      // The first template is the default whatever was asked; the default stays one until another takes over.
      const makeDefault = input.isDefault || existing.length === 0 || (id !== null && existing.some((e) => Number(e.id) === id && e.is_default));
      if (makeDefault) await scope.table('shipping_templates').update({ is_default: false });
      if (id === null) {
        if (existing.length >= SHIPPING_TEMPLATES_MAX) throw new ConflictError({ reason: 'SHIPPING_TEMPLATES_FULL', params: { max: SHIPPING_TEMPLATES_MAX }, message: `A shop has at most ${SHIPPING_TEMPLATES_MAX} shipping templates` });
        return scope.insert('shipping_templates', { ...row, is_default: makeDefault });
      }
      if (!existing.some((e) => Number(e.id) === id)) throw new NotFoundError('FREIGHT_TEMPLATE_NOT_FOUND');
      await scope.table('shipping_templates').where({ id }).update({ ...row, is_default: makeDefault });
      return id;
    });
    await deps.cache.bump(ctx.tenantId);
    await deps.audit.record(ctx, { action: id === null ? 'shipping.template.create' : 'shipping.template.update', targetType: 'shipping_template', targetId: savedId });
    return toTemplate(await scopeOf(ctx).table('shipping_templates').where({ id: savedId }).first());
  }

  return {
    async list(ctx: TenantContext): Promise<ShippingTemplate[]> {
      const rows = (await scopeOf(ctx).table('shipping_templates').orderBy([{ column: 'is_default', order: 'desc' }, { column: 'id' }])) as Array<Record<string, unknown>>;
      return rows.map(toTemplate);
    },
    create: (ctx: TenantContext, input: ShippingTemplateInput) => write(ctx, null, input),
    update: (ctx: TenantContext, id: number, input: ShippingTemplateInput) => write(ctx, id, input),

    async remove(ctx: TenantContext, id: number): Promise<void> {
      const row = await scopeOf(ctx).table('shipping_templates').where({ id }).first();
      if (!row) throw new NotFoundError('FREIGHT_TEMPLATE_NOT_FOUND');
      if (row.is_default) throw new ConflictError({ reason: 'SHIPPING_TEMPLATE_IS_DEFAULT', message: 'Make another template the default before deleting this one' });
      await scopeOf(ctx).table('shipping_templates').where({ id }).delete();
      await deps.cache.bump(ctx.tenantId);
      await deps.audit.record(ctx, { action: 'shipping.template.delete', targetType: 'shipping_template', targetId: id });
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
      await scopeOf(ctx).upsert('order_settings', { payment_window_minutes: input.paymentWindowMinutes, auto_confirm_days: input.autoConfirmDays, updated_at: new Date() }, ['payment_window_minutes', 'auto_confirm_days', 'updated_at']);
      await deps.cache.bump(ctx.tenantId);
      await deps.audit.record(ctx, { action: 'order.settings.update', data: { ...input } });
      return this.settings(ctx);
    },
  };
}

export type ShippingService = ReturnType<typeof shippingService>;
