import { z } from 'zod';
import { isoDateTime } from './common';
import { CHARGE_MODES, ORDER_SETTINGS_LIMITS, SHIPPING_LIMITS } from './shipping.constants';

/**
 * A region in a shipping rule: a division code prefix of GB/T 2260 — 2 digits for a province, 4 for
 * a city, 6 for a district. The most specific matching rule of a template wins.
 */
export const regionPrefixSchema = z.string().regex(/^(\d{2}|\d{4}|\d{6})$/, 'a division code of 2, 4 or 6 digits');

const feeFen = z.number().int().min(0).max(SHIPPING_LIMITS.feeFenMax);
const units = z.number().int().min(1).max(SHIPPING_LIMITS.unitsMax);

/**
 * A rate (首件/首重/首体积 + 续件/续重/续体积) and its free-shipping condition (包邮条件), in the template's mode's
 * units (pieces, grams, cm³): the first `firstUnits` cost `firstFeeFen` (charged even below them), then each
 * `additionalUnits` begun cost `additionalFeeFen` (rounded up: 1.2 kg past the first is 2 steps of 1 kg).
 * Free when every condition set holds: the items total (before discounts) reaches `freeAboveFen`, and the units
 * reach `freeMinUnits`; neither set: never free. A flat fee is `firstFeeFen` with the defaults (1 unit, then 0).
 */
const rateFields = {
  firstUnits: units.default(1),
  firstFeeFen: feeFen,
  additionalUnits: units.default(1),
  additionalFeeFen: feeFen.default(0),
  freeAboveFen: feeFen.nullable().default(null),
  freeMinUnits: units.nullable().default(null),
};

/** A rate and its free condition for some regions: the rule of the longest matching region prefix replaces the template's own. */
export const shippingRuleSchema = z.strictObject({
  regions: z.array(regionPrefixSchema).min(1).max(SHIPPING_LIMITS.regionsMax),
  ...rateFields,
});
export type ShippingRule = z.infer<typeof shippingRuleSchema>;

export const shippingTemplateInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(SHIPPING_LIMITS.nameMax),
  /** What it charges by: pieces, weight (g) or volume (cm³). */
  chargeMode: z.enum(CHARGE_MODES).default('piece'),
  /** The rate and free condition where no rule matches (默认运费). */
  ...rateFields,
  rules: z.array(shippingRuleSchema).max(SHIPPING_LIMITS.rulesMax).default([]),
  /** Regions the shop does not deliver to: checkout there is refused. */
  excludedRegions: z.array(regionPrefixSchema).max(SHIPPING_LIMITS.regionsMax).default([]),
  isDefault: z.boolean().default(false),
});
export type ShippingTemplateInput = z.infer<typeof shippingTemplateInputSchema>;

const rateSchema = z.object({
  firstUnits: z.number().int(),
  firstFeeFen: z.number().int(),
  additionalUnits: z.number().int(),
  additionalFeeFen: z.number().int(),
  freeAboveFen: z.number().int().nullable(),
  freeMinUnits: z.number().int().nullable(),
});
/** A rate and its free condition, as a template and each of its rules hold them. */
export type ShippingRate = z.infer<typeof rateSchema>;

export const shippingTemplateSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    chargeMode: z.enum(CHARGE_MODES),
    ...rateSchema.shape,
    rules: z.array(z.object({ regions: z.array(z.string()), ...rateSchema.shape })),
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
