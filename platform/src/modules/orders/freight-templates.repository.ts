import type {
  ChargeMode,
  OrderSettings,
  ShippingRule,
  ShippingTemplate,
  ShippingTemplateInput,
} from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { parseJsonColumn } from '../../kernel/db/rows';

interface TemplateRow {
  id: number;
  name: string;
  charge_mode: ChargeMode;
  first_units: number;
  first_fee_fen: number;
  additional_units: number;
  additional_fee_fen: number;
  free_above_fen: number | null;
  free_min_units: number | null;
  rules: unknown;
  excluded_regions: unknown;
  is_default: number | boolean;
  updated_at: Date;
}

const orNull = (v: number | null | undefined) => (v === null || v === undefined ? null : Number(v));

/** A rule as stored in the `rules` JSON: the input's camelCase fields, checked on the way in. */
const toRule = (r: ShippingRule): ShippingTemplate['rules'][number] => ({
  regions: r.regions,
  firstUnits: Number(r.firstUnits),
  firstFeeFen: Number(r.firstFeeFen),
  additionalUnits: Number(r.additionalUnits),
  additionalFeeFen: Number(r.additionalFeeFen),
  freeAboveFen: orNull(r.freeAboveFen),
  freeMinUnits: orNull(r.freeMinUnits),
});

const toTemplate = (r: TemplateRow): ShippingTemplate => ({
  id: Number(r.id),
  name: r.name,
  chargeMode: r.charge_mode,
  firstUnits: Number(r.first_units),
  firstFeeFen: Number(r.first_fee_fen),
  additionalUnits: Number(r.additional_units),
  additionalFeeFen: Number(r.additional_fee_fen),
  freeAboveFen: orNull(r.free_above_fen),
  freeMinUnits: orNull(r.free_min_units),
  rules: ((parseJsonColumn(r.rules) as ShippingRule[] | null) ?? []).map(toRule),
  excludedRegions: (parseJsonColumn(r.excluded_regions) as string[]) ?? [],
  isDefault: Boolean(r.is_default),
  updatedAt: r.updated_at.toISOString(),
});

const templateRow = (input: Omit<ShippingTemplateInput, 'isDefault'>, isDefault: boolean) => ({
  name: input.name,
  charge_mode: input.chargeMode,
  first_units: input.firstUnits,
  first_fee_fen: input.firstFeeFen,
  additional_units: input.additionalUnits,
  additional_fee_fen: input.additionalFeeFen,
  free_above_fen: input.freeAboveFen,
  free_min_units: input.freeMinUnits,
  rules: JSON.stringify(input.rules.map(toRule)),
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
