import { z } from 'zod';
import { isoDateTime } from './common';
import { ORDER_SETTINGS_LIMITS, SHIPPING_LIMITS } from './shipping.constants';

/**
 * A region in a shipping rule: a division code prefix of GB/T 2260 — 2 digits for a province, 4 for
 * a city, 6 for a district. The most specific matching rule of a template wins.
 */
export const regionPrefixSchema = z.string().regex(/^(\d{2}|\d{4}|\d{6})$/, 'a division code of 2, 4 or 6 digits');

const feeFen = z.number().int().min(0).max(SHIPPING_LIMITS.feeFenMax);

export const shippingRuleSchema = z.strictObject({
  regions: z.array(regionPrefixSchema).min(1).max(SHIPPING_LIMITS.regionsMax),
  feeFen,
  /** Free when the items total reaches this; null: the template's threshold applies. */
  freeAboveFen: feeFen.nullable().default(null),
});
export type ShippingRule = z.infer<typeof shippingRuleSchema>;

export const shippingTemplateInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(SHIPPING_LIMITS.nameMax),
  /** The fee where no rule matches. */
  baseFeeFen: feeFen,
  /** Free shipping when the items total reaches this; null: never free. */
  freeAboveFen: feeFen.nullable().default(null),
  rules: z.array(shippingRuleSchema).max(SHIPPING_LIMITS.rulesMax).default([]),
  /** Regions the shop does not deliver to: checkout there is refused. */
  excludedRegions: z.array(regionPrefixSchema).max(SHIPPING_LIMITS.regionsMax).default([]),
  isDefault: z.boolean().default(false),
});
export type ShippingTemplateInput = z.infer<typeof shippingTemplateInputSchema>;

export const shippingTemplateSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    baseFeeFen: z.number().int(),
    freeAboveFen: z.number().int().nullable(),
    rules: z.array(
      z.object({ regions: z.array(z.string()), feeFen: z.number().int(), freeAboveFen: z.number().int().nullable() }),
    ),
    excludedRegions: z.array(z.string()),
    isDefault: z.boolean(),
    updatedAt: isoDateTime,
  })
  .meta({ id: 'ShippingTemplate' });
export type ShippingTemplate = z.infer<typeof shippingTemplateSchema>;

/** Order settings of a shop: the payment window and when a shipped order is confirmed for the shopper. */
export const orderSettingsSchema = z
  .object({
    paymentWindowMinutes: z
      .number()
      .int()
      .min(ORDER_SETTINGS_LIMITS.paymentWindowMinutesMin)
      .max(ORDER_SETTINGS_LIMITS.paymentWindowMinutesMax),
    autoConfirmDays: z
      .number()
      .int()
      .min(ORDER_SETTINGS_LIMITS.autoConfirmDaysMin)
      .max(ORDER_SETTINGS_LIMITS.autoConfirmDaysMax),
  })
  .meta({ id: 'OrderSettings' });
export const orderSettingsInputSchema = z.strictObject(orderSettingsSchema.shape);
export type OrderSettings = z.infer<typeof orderSettingsSchema>;
