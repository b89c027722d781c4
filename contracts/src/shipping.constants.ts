/** Most shipping templates of one shop. */
export const SHIPPING_TEMPLATES_MAX = 20;

/**
 * What a freight template charges by (计费方式): the pieces of an order, their weight (grams: each SKU's
 * `weightGrams`), or their volume (cubic centimetres: each SKU's `volumeCm3`). The console shows weight in kg
 * and volume in m³; the server counts whole grams and cm³.
 */
export const CHARGE_MODES = ['piece', 'weight', 'volume'] as const;
export type ChargeMode = (typeof CHARGE_MODES)[number];

/** Limits of shippingTemplateInputSchema. */
export const SHIPPING_LIMITS = {
  templatesMax: SHIPPING_TEMPLATES_MAX,
  nameMax: 40,
  /** A fee or a free-above amount: 0 to 100 000 yuan. */
  feeFenMax: 100_000_00,
  /**
   * The units of a rate (first units, each additional units, free from units) in the template's mode: pieces,
   * grams or cm³; at least 1, at most 100 000 000 (100 t, 100 m³).
   */
  unitsMax: 100_000_000,
  rulesMax: 50,
  regionsMax: 400,
} as const;

/** Limits of orderSettingsSchema. */
export const ORDER_SETTINGS_LIMITS = {
  paymentWindowMinutesMin: 5,
  paymentWindowMinutesMax: 1440,
  autoConfirmDaysMin: 3,
  autoConfirmDaysMax: 30,
} as const;

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
