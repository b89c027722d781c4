import type { OrderSettings, ShippingTemplate, ShippingTemplateInput } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { parseJsonColumn } from '../../kernel/db/rows';

interface TemplateRow {
  id: number;
  name: string;
  base_fee_fen: number;
  free_above_fen: number | null;
  rules: unknown;
  excluded_regions: unknown;
  is_default: number | boolean;
  updated_at: Date;
}

const toTemplate = (r: TemplateRow): ShippingTemplate => ({
  id: Number(r.id),
  name: r.name,
  baseFeeFen: Number(r.base_fee_fen),
  freeAboveFen: r.free_above_fen === null ? null : Number(r.free_above_fen),
  rules: (parseJsonColumn(r.rules) as ShippingTemplate['rules']) ?? [],
  excludedRegions: (parseJsonColumn(r.excluded_regions) as string[]) ?? [],
  isDefault: Boolean(r.is_default),
  updatedAt: r.updated_at.toISOString(),
});

const templateRow = (input: Omit<ShippingTemplateInput, 'isDefault'>, isDefault: boolean) => ({
  name: input.name,
  base_fee_fen: input.baseFeeFen,
  free_above_fen: input.freeAboveFen,
  rules: JSON.stringify(input.rules),
  excluded_regions: JSON.stringify(input.excludedRegions),
  is_default: isDefault,
  updated_at: new Date(),
});

/** `shipping_templates` and `order_settings`: a shop's freight templates, and its payment window and auto-confirm days. */
export function freightTemplatesRepository(db: Database) {
  const templates = (ctx: TenantContext) => db.scope(ctx).table('shipping_templates');
  return {
    /** The shop's templates, the default first. */
    async list(ctx: TenantContext): Promise<ShippingTemplate[]> {
      return (
        (await templates(ctx).orderBy([{ column: 'is_default', order: 'desc' }, { column: 'id' }])) as TemplateRow[]
      ).map(toTemplate);
    },

    async byId(ctx: TenantContext, id: number): Promise<ShippingTemplate | null> {
      const r = (await templates(ctx).where({ id }).first()) as TemplateRow | undefined;
      return r ? toTemplate(r) : null;
    },

    async byDefault(ctx: TenantContext): Promise<ShippingTemplate | null> {
      const r = (await templates(ctx).where({ is_default: true }).first()) as TemplateRow | undefined;
      return r ? toTemplate(r) : null;
    },

    /** Which templates exist and which is the default, their rows locked until the context's transaction ends. */
    async lockAll(ctx: TenantContext): Promise<Array<{ id: number; isDefault: boolean }>> {
      const rows = (await templates(ctx).forUpdate().select('id', 'is_default')) as Array<{
        id: number;
        is_default: number | boolean;
      }>;
      return rows.map((r) => ({ id: Number(r.id), isDefault: Boolean(r.is_default) }));
    },

    async clearDefault(ctx: TenantContext): Promise<void> {
      await templates(ctx).update({ is_default: false });
    },

    async insert(
      ctx: TenantContext,
      input: Omit<ShippingTemplateInput, 'isDefault'>,
      isDefault: boolean,
    ): Promise<number> {
      return db.scope(ctx).insert('shipping_templates', templateRow(input, isDefault));
    },

    async update(
      ctx: TenantContext,
      id: number,
      input: Omit<ShippingTemplateInput, 'isDefault'>,
      isDefault: boolean,
    ): Promise<void> {
      await templates(ctx).where({ id }).update(templateRow(input, isDefault));
    },

    async remove(ctx: TenantContext, id: number): Promise<void> {
      await templates(ctx).where({ id }).delete();
    },

    async settings(ctx: TenantContext): Promise<OrderSettings | null> {
      const r = (await db.scope(ctx).table('order_settings').first()) as
        { payment_window_minutes: number; auto_confirm_days: number } | undefined;
      return r
        ? { paymentWindowMinutes: Number(r.payment_window_minutes), autoConfirmDays: Number(r.auto_confirm_days) }
        : null;
    },

    async saveSettings(ctx: TenantContext, s: OrderSettings): Promise<void> {
      await db.scope(ctx).upsert(
        'order_settings',
        {
          payment_window_minutes: s.paymentWindowMinutes,
          auto_confirm_days: s.autoConfirmDays,
          updated_at: new Date(),
        },
        ['payment_window_minutes', 'auto_confirm_days', 'updated_at'],
      );
    },
  };
}

export type FreightTemplatesRepository = ReturnType<typeof freightTemplatesRepository>;
