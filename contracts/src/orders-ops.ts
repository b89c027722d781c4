import { z } from 'zod';
import { idSchema } from './common';
import { addressInputSchema } from './cart';
import { CARRIER_CODES } from './shipping.constants';
import {
  ORDER_FLAGS,
  ORDER_OPS_LIMITS,
  ORDER_PRICE_MIN_FEN,
  ORDER_STATUSES,
  SHIP_OUTCOMES,
  TRACKING_NO_PATTERN,
} from './orders.constants';
import { merchantOrderFilterSchema } from './orders';

/** The merchant's daily order operations: counts by state, price and address changes, bulk shipping. */

/** The filters of the list without its state: the counts of every state tab under them. */
export const orderCountsQuerySchema = merchantOrderFilterSchema.omit({ status: true });

/** How many orders each state tab holds (under the list's other filters), and all of them. */
export const orderCountsSchema = z
  .object({
    all: z.number().int(),
    byStatus: z.object(
      Object.fromEntries(ORDER_STATUSES.map((s) => [s, z.number().int()])) as {
        [S in (typeof ORDER_STATUSES)[number]]: z.ZodNumber;
      },
    ),
  })
  .meta({ id: 'OrderCounts' });
export type OrderCounts = z.infer<typeof orderCountsSchema>;

/**
 * A new price for an unpaid order: its new total (at least 1 fen), optionally a new shipping fee (not above the
 * total), and why. The goods may go down, never above what checkout priced them at.
 */
export const changeOrderPriceBodySchema = z
  .strictObject({
    totalFen: z.number().int().min(ORDER_PRICE_MIN_FEN).max(100_000_000_00),
    shippingFen: z.number().int().min(0).max(100_000_00).optional(),
    reason: z.string().trim().min(1).max(ORDER_OPS_LIMITS.priceReasonMax),
  })
  .refine((b) => b.shippingFen === undefined || b.shippingFen <= b.totalFen, {
    message: 'the shipping fee cannot be more than the total',
    params: { reason: 'SHIPPING_ABOVE_TOTAL' },
    path: ['shippingFen'],
  });
export type ChangeOrderPriceBody = z.infer<typeof changeOrderPriceBodySchema>;

/** Where the parcel goes now, as the shopper asked, and why. */
export const changeOrderAddressBodySchema = addressInputSchema.omit({ isDefault: true }).extend({
  reason: z.string().trim().max(ORDER_OPS_LIMITS.addressReasonMax).default(''),
});
export type ChangeOrderAddressBody = z.infer<typeof changeOrderAddressBodySchema>;

export const orderFlagSchema = z.enum(ORDER_FLAGS);

const shipment = {
  carrier: z.enum(CARRIER_CODES),
  trackingNo: z.string().trim().regex(TRACKING_NO_PATTERN, '6 to 40 letters, digits or hyphens'),
};

/** Orders shipped together: one carrier and tracking number each. */
export const bulkShipBodySchema = z.strictObject({
  items: z
    .array(z.strictObject({ orderId: idSchema, ...shipment }))
    .min(1)
    .max(ORDER_OPS_LIMITS.bulkShipMax)
    .refine((items) => new Set(items.map((i) => i.orderId)).size === items.length, {
      message: 'each order once',
      params: { reason: 'ORDERS_REPEATED' },
    }),
});
export type BulkShipBody = z.infer<typeof bulkShipBodySchema>;

/** One order of a bulk shipment, or one row of a shipment import (`row`: its number in the file), and what became of it. */
export const shipReportRowSchema = z.object({
  row: z.number().int().nullable(),
  orderId: z.number().int().nullable(),
  orderNo: z.string(),
  carrier: z.string(),
  trackingNo: z.string(),
  outcome: z.enum(SHIP_OUTCOMES),
  /** For `not_paid` and `already_shipped`: the order's state. */
  status: z.string().nullable(),
});
export type ShipReportRow = z.infer<typeof shipReportRowSchema>;

export const shipReportSchema = z
  .object({
    rows: z.array(shipReportRowSchema),
    shipped: z.number().int(),
    unchanged: z.number().int(),
    failed: z.number().int(),
  })
  .meta({ id: 'ShipReport' });
export type ShipReport = z.infer<typeof shipReportSchema>;
