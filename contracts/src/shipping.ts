import { z } from 'zod';
import { isoDateTime } from './common';

/**
 * A region in a shipping rule: a division code prefix of GB/T 2260 — 2 digits for a province, 4 for
 * a city, 6 for a district. The most specific matching rule of a template wins.
 */
export const regionPrefixSchema = z.string().regex(/^(\d{2}|\d{4}|\d{6})$/, 'a division code of 2, 4 or 6 digits');

const feeFen = z.number().int().min(0).max(100_000_00);

export const shippingRuleSchema = z.strictObject({
  regions: z.array(regionPrefixSchema).min(1).max(400),
  feeFen,
  /** Free when the items total reaches this; null: the template's threshold applies. */
  freeAboveFen: feeFen.nullable().default(null),
});
export type ShippingRule = z.infer<typeof shippingRuleSchema>;

export const shippingTemplateInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(40),
  /** The fee where no rule matches. */
  baseFeeFen: feeFen,
  /** Free shipping when the items total reaches this; null: never free. */
  freeAboveFen: feeFen.nullable().default(null),
  rules: z.array(shippingRuleSchema).max(50).default([]),
  /** Regions the shop does not deliver to: checkout there is refused. */
  excludedRegions: z.array(regionPrefixSchema).max(400).default([]),
  isDefault: z.boolean().default(false),
});
export type ShippingTemplateInput = z.infer<typeof shippingTemplateInputSchema>;

export const shippingTemplateSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    baseFeeFen: z.number().int(),
    freeAboveFen: z.number().int().nullable(),
    rules: z.array(z.object({ regions: z.array(z.string()), feeFen: z.number().int(), freeAboveFen: z.number().int().nullable() })),
    excludedRegions: z.array(z.string()),
    isDefault: z.boolean(),
    updatedAt: isoDateTime,
  })
  .meta({ id: 'ShippingTemplate' });
export type ShippingTemplate = z.infer<typeof shippingTemplateSchema>;

export const SHIPPING_TEMPLATES_MAX = 20;

/** Order settings of a shop: the payment window and when a shipped order is confirmed for the shopper. */
export const orderSettingsSchema = z
  .object({
    paymentWindowMinutes: z.number().int().min(5).max(1440),
    autoConfirmDays: z.number().int().min(3).max(30),
  })
  .meta({ id: 'OrderSettings' });
export const orderSettingsInputSchema = z.strictObject(orderSettingsSchema.shape);
export type OrderSettings = z.infer<typeof orderSettingsSchema>;

/** Carriers by the delivery_id codes of WeChat's delivery company list (what the order-shipping API takes as express_company). */
export const CARRIERS = {
  SF: '顺丰速运',
  ZTO: '中通快递',
  YTO: '圆通速递',
  STO: '申通快递',
  YD: '韵达速递',
  JTSD: '极兔速递',
  JD: '京东物流',
  EMS: '中国邮政 EMS',
  DBL: '德邦快递',
} as const;
export type CarrierCode = keyof typeof CARRIERS;
export const CARRIER_CODES = Object.keys(CARRIERS) as [CarrierCode, ...CarrierCode[]];
