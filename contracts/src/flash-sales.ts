import { z } from 'zod';
import { idSchema, isoDateTime } from './common';
import { BUYER_REMARK_MAX } from './orders.constants';
import {
  COUPON_DISPLAY_STATUSES,
  FLASH_LIMITS,
  FLASH_SESSION_STATUSES,
  FLASH_SHOP_STATES,
} from './marketing.constants';

const at = z.iso.datetime({ offset: true });
const name = z.string().trim().min(1).max(FLASH_LIMITS.nameMax);
const windowMinutes = z.number().int().min(FLASH_LIMITS.windowMinutesMin).max(FLASH_LIMITS.windowMinutesMax);

/** One SKU of a session: its flash price (below the SKU's price), the stock set aside for it, and the per-shopper limit. */
export const flashItemInputSchema = z.strictObject({
  skuId: idSchema,
  flashPriceFen: z.number().int().min(1).max(100_000_000),
  stock: z.number().int().min(1).max(FLASH_LIMITS.stockMax),
  perShopperLimit: z.number().int().min(1).max(FLASH_LIMITS.perShopperMax),
});
export type FlashItemInput = z.infer<typeof flashItemInputSchema>;

/** What is wrong with a session's period (none: nothing): reversed, or longer than `sessionHoursMax`. */
export function flashPeriodProblem(startsAt: string, endsAt: string): string | null {
  const ms = Date.parse(endsAt) - Date.parse(startsAt);
  if (ms <= 0) return 'the session ends after it starts';
  if (ms > FLASH_LIMITS.sessionHoursMax * 3_600_000) return `a session lasts at most ${FLASH_LIMITS.sessionHoursMax} h`;
  return null;
}

/**
 * A session (场次) as the merchant sets it up: its period, the payment window of its orders, and its SKUs. Setting it up
 * takes each item's stock from its SKU at once (409 FLASH_STOCK_SHORT when the SKU has less).
 */
export const flashSessionInputSchema = z
  .strictObject({
    name,
    startsAt: at,
    endsAt: at,
    paymentWindowMinutes: windowMinutes.default(5),
    items: z
      .array(flashItemInputSchema)
      .min(1)
      .max(FLASH_LIMITS.itemsMax)
      .refine((items) => new Set(items.map((i) => i.skuId)).size === items.length, {
        message: 'each SKU once',
        params: { reason: 'FLASH_SKU_REPEATED' },
      }),
  })
  .superRefine((b, ctx) => {
    const problem = flashPeriodProblem(b.startsAt, b.endsAt);
    if (problem)
      ctx.addIssue({
        code: 'custom',
        path: ['endsAt'],
        message: problem,
        params: { reason: 'FLASH_PERIOD_INVALID', hours: FLASH_LIMITS.sessionHoursMax },
      });
  });
export type FlashSessionInput = z.infer<typeof flashSessionInputSchema>;

/** Before its start only: a session's name, period and payment window (its items and stock are fixed once set up). */
export const updateFlashSessionBodySchema = z
  .strictObject({
    name: name.optional(),
    startsAt: at.optional(),
    endsAt: at.optional(),
    paymentWindowMinutes: windowMinutes.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'change something', params: { reason: 'NOTHING_TO_UPDATE' } });
export type UpdateFlashSessionBody = z.infer<typeof updateFlashSessionBodySchema>;

export const flashSessionListQuerySchema = z.strictObject({
  status: z.enum(COUPON_DISPLAY_STATUSES).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

/** A session's SKU as the merchant sees it: what was set aside, what orders took, what was paid. */
export const flashItemSchema = z.object({
  id: z.number().int(),
  skuId: z.number().int(),
  productId: z.number().int(),
  title: z.string(),
  specValues: z.array(z.string()),
  imageUrl: z.string().nullable(),
  /** The SKU's own price now. */
  priceFen: z.number().int(),
  flashPriceFen: z.number().int(),
  /** Units set aside for the session. */
  stock: z.number().int(),
  /** Units in orders placed and not closed unpaid (paid or waiting for payment). */
  sold: z.number().int(),
  /** Units in paid orders. */
  paid: z.number().int(),
  perShopperLimit: z.number().int(),
});
export type FlashItem = z.infer<typeof flashItemSchema>;

export const flashFiguresSchema = z.object({
  orders: z.number().int(),
  paidOrders: z.number().int(),
  paidFen: z.number().int(),
  /** Distinct shoppers (or, signed out, addresses) who looked at the session. */
  visitors: z.number().int(),
});

export const flashSessionSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    startsAt: isoDateTime,
    endsAt: isoDateTime,
    paymentWindowMinutes: z.number().int(),
    status: z.enum(FLASH_SESSION_STATUSES),
    displayStatus: z.enum(COUPON_DISPLAY_STATUSES),
    /** The stock left over has gone back to the SKUs (the session ended or was stopped). */
    stockReturned: z.boolean(),
    items: z.array(flashItemSchema),
    figures: flashFiguresSchema,
    createdAt: isoDateTime,
  })
  .meta({ id: 'FlashSession' });
export type FlashSession = z.infer<typeof flashSessionSchema>;

/** The live view of a session (the console polls it): each SKU's stock left right now, and the session's figures. */
export const flashLiveSchema = z
  .object({
    sessionId: z.number().int(),
    displayStatus: z.enum(COUPON_DISPLAY_STATUSES),
    at: isoDateTime,
    items: z.array(
      z.object({
        id: z.number().int(),
        stock: z.number().int(),
        /** Units still to be had now (stock − units in live orders). */
        left: z.number().int(),
        /** Units in orders waiting for payment. */
        unpaid: z.number().int(),
        paid: z.number().int(),
        orders: z.number().int(),
      }),
    ),
    figures: flashFiguresSchema,
  })
  .meta({ id: 'FlashLive' });
export type FlashLive = z.infer<typeof flashLiveSchema>;

/** A session's SKU as a shopper sees it. */
export const shopFlashItemSchema = z.object({
  id: z.number().int(),
  productId: z.number().int(),
  skuId: z.number().int(),
  title: z.string(),
  specValues: z.array(z.string()),
  imageUrl: z.string().nullable(),
  priceFen: z.number().int(),
  flashPriceFen: z.number().int(),
  stock: z.number().int(),
  /** Units still to be had (0: sold out; it may come back when an order is not paid in time). */
  left: z.number().int(),
  perShopperLimit: z.number().int(),
});
export type ShopFlashItem = z.infer<typeof shopFlashItemSchema>;

export const shopFlashSessionSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  startsAt: isoDateTime,
  endsAt: isoDateTime,
  state: z.enum(FLASH_SHOP_STATES),
  paymentWindowMinutes: z.number().int(),
  items: z.array(shopFlashItemSchema),
});
export type ShopFlashSession = z.infer<typeof shopFlashSessionSchema>;

/** The shop's running and upcoming sessions, with the server's time for the countdowns. */
export const shopFlashSalesSchema = z
  .object({ now: isoDateTime, sessions: z.array(shopFlashSessionSchema) })
  .meta({ id: 'ShopFlashSales' });
export type ShopFlashSales = z.infer<typeof shopFlashSalesSchema>;

export const shopFlashSalesQuerySchema = z.strictObject({
  /** Only the sessions (and their items) of this product: the product page's flash mode. */
  productId: idSchema.optional(),
});

/** A signed pass to buy in one session: for this shopper only, valid from the start until `expiresAt`. */
export const flashPassSchema = z
  .object({ pass: z.string(), validFrom: isoDateTime, expiresAt: isoDateTime })
  .meta({ id: 'FlashPass' });
export type FlashPass = z.infer<typeof flashPassSchema>;

/** Buying a flash item: the pass, how many (at most the item's per-shopper limit), where it goes. */
export const flashBuyBodySchema = z.strictObject({
  pass: z.string().min(1).max(200),
  quantity: z.number().int().min(1).max(FLASH_LIMITS.perShopperMax).default(1),
  addressId: idSchema,
  remark: z.string().trim().max(BUYER_REMARK_MAX).default(''),
});
export type FlashBuyBody = z.infer<typeof flashBuyBodySchema>;
