import { z } from 'zod';
import { isoDateTime } from './common';
import { CARRIER_CODES } from './shipping.constants';
import { PARCEL_STATES, PRINT_IDS_PATTERN, PRINT_KINDS, TRACKING_STATUSES } from './logistics.constants';

export const printOrdersQuerySchema = z.strictObject({
  kind: z.enum(PRINT_KINDS),
  /** Order ids, comma-separated (1 to 100): one PDF with a page per order, in this order. */
  ids: z.string().regex(PRINT_IDS_PATTERN, 'order ids, comma-separated, at most 100'),
});

/** A parcel's progress: the tracking provider's route when there is one, and always the number and the carrier's page. */
export const orderTrackingSchema = z
  .object({
    carrier: z.enum(CARRIER_CODES),
    carrierName: z.string(),
    trackingNo: z.string(),
    /** The carrier's public tracking page for this number (what the console and the shop link to without a provider). */
    carrierUrl: z.string(),
    status: z.enum(TRACKING_STATUSES),
    /** Where the parcel stands (`live` only). */
    state: z.enum(PARCEL_STATES).nullable(),
    /** The route, newest first (`live` only; empty otherwise). */
    checkpoints: z.array(
      z.object({
        at: isoDateTime,
        text: z.string(),
        location: z.string().nullable(),
      }),
    ),
    /** When the provider was asked (a cached answer keeps its time); null without a provider. */
    checkedAt: isoDateTime.nullable(),
  })
  .meta({ id: 'OrderTracking' });
export type OrderTracking = z.infer<typeof orderTrackingSchema>;
