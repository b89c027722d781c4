import { z } from 'zod';
import { idSchema, isoDateTime } from './common';
import {
  AFTER_SALES_KINDS,
  AFTER_SALES_LIMITS,
  AFTER_SALES_REASONS,
  AFTER_SALES_STATUSES,
} from './after-sales.constants';
import { CARRIER_CODES } from './shipping.constants';
import { IDEMPOTENCY_KEY_PATTERN, TRACKING_NO_PATTERN } from './orders.constants';

const note = z.string().trim().max(AFTER_SALES_LIMITS.noteMax);
const photoIds = z
  .array(idSchema)
  .max(AFTER_SALES_LIMITS.photosMax)
  .refine((l) => new Set(l).size === l.length, { message: 'each photo once', params: { reason: 'PHOTOS_REPEATED' } })
  .default([]);
const parcel = z.strictObject({
  carrier: z.enum(CARRIER_CODES),
  trackingNo: z.string().trim().regex(TRACKING_NO_PATTERN, '6 to 40 letters, digits or hyphens'),
});

/** A shopper's request on one line of an order: what, how many, why; the amount is the server's (what they paid). */
export const afterSalesRequestBodySchema = z.strictObject({
  orderId: idSchema,
  skuId: idSchema,
  quantity: z.number().int().min(1).max(10_000),
  kind: z.enum(AFTER_SALES_KINDS),
  reason: z.enum(AFTER_SALES_REASONS),
  description: z.string().trim().max(AFTER_SALES_LIMITS.descriptionMax).default(''),
  /** Photos uploaded through the shop's after-sales photo endpoint. */
  photoIds,
});
export type AfterSalesRequestBody = z.infer<typeof afterSalesRequestBodySchema>;

/** A request's optional Idempotency-Key: retried with the same key, it answers with the case the first one opened. */
export const afterSalesRequestHeadersSchema = z.object({
  'idempotency-key': z.string().regex(IDEMPOTENCY_KEY_PATTERN, '8 to 64 letters, digits, - or _').optional().meta({
    description: 'A key the client makes for this request, sent again unchanged when retrying',
    pattern: IDEMPOTENCY_KEY_PATTERN.source,
  }),
});

export const afterSalesQuoteQuerySchema = z.strictObject({
  orderId: z.coerce.number().int().min(1),
  skuId: z.coerce.number().int().min(1),
  quantity: z.coerce.number().int().min(1).max(10_000),
});

/** What a request of some units of a line would refund, and how many of its units can still be asked for. */
export const afterSalesQuoteSchema = z
  .object({ amountFen: z.number().int(), unitsLeft: z.number().int(), kinds: z.array(z.enum(AFTER_SALES_KINDS)) })
  .meta({ id: 'AfterSalesQuote' });
export type AfterSalesQuote = z.infer<typeof afterSalesQuoteSchema>;

export const approveAfterSalesBodySchema = z.strictObject({
  /** For a return or an exchange: where the goods go back (the shop's default return address when absent). */
  returnAddressId: idSchema.optional(),
  note: note.default(''),
});
export const refuseAfterSalesBodySchema = z.strictObject({
  note: note.min(1),
  photoIds,
});
export const shipBackBodySchema = parcel;
export const reshipBodySchema = parcel;

export const afterSalesListQuerySchema = z.strictObject({
  status: z.enum(AFTER_SALES_STATUSES).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

const shipment = z.object({ carrier: z.enum(CARRIER_CODES), trackingNo: z.string(), at: isoDateTime });

export const returnAddressInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(30),
  phone: z
    .string()
    .trim()
    .regex(/^[0-9+\-() ]{5,20}$/, 'a phone number'),
  regionCode: z.string().regex(/^\d{6}$/, 'a 6-digit district code'),
  province: z.string().trim().min(1).max(20),
  city: z.string().trim().min(1).max(20),
  district: z.string().trim().min(1).max(20),
  detail: z.string().trim().min(1).max(120),
  isDefault: z.boolean().default(false),
});
export type ReturnAddressInput = z.infer<typeof returnAddressInputSchema>;

export const returnAddressSchema = returnAddressInputSchema
  .extend({ id: z.number().int(), isDefault: z.boolean() })
  .meta({ id: 'ReturnAddress' });
export type ReturnAddress = z.infer<typeof returnAddressSchema>;

/** A case as its shopper and the merchant see it: the line, the request, where it stands, and its history. */
export const afterSalesCaseSchema = z
  .object({
    id: z.number().int(),
    caseNo: z.string(),
    orderId: z.number().int(),
    orderNo: z.string(),
    skuId: z.number().int(),
    title: z.string(),
    specValues: z.array(z.string()),
    imageUrl: z.string().nullable(),
    quantity: z.number().int(),
    kind: z.enum(AFTER_SALES_KINDS),
    status: z.enum(AFTER_SALES_STATUSES),
    reason: z.enum(AFTER_SALES_REASONS),
    description: z.string(),
    photoUrls: z.array(z.string()),
    /** What it refunds (refund only, return and refund): what those units paid. 0 for an exchange. */
    amountFen: z.number().int(),
    /** Where the goods go back, once approved (returns and exchanges). */
    returnAddress: returnAddressSchema.omit({ id: true, isDefault: true }).nullable(),
    returnShipment: shipment.nullable(),
    replacementShipment: shipment.nullable(),
    /** When the current step's deadline passes (what then happens depends on the step), or null. */
    deadlineAt: isoDateTime.nullable(),
    refundId: z.number().int().nullable(),
    history: z.array(
      z.object({
        type: z.string(),
        fromStatus: z.enum(AFTER_SALES_STATUSES).nullable(),
        toStatus: z.enum(AFTER_SALES_STATUSES),
        actorType: z.string(),
        note: z.string(),
        photoUrls: z.array(z.string()),
        at: isoDateTime,
      }),
    ),
    createdAt: isoDateTime,
  })
  .meta({ id: 'AfterSalesCase' });
export type AfterSalesCase = z.infer<typeof afterSalesCaseSchema>;

/** The merchant's 售后 menu counts, per state. */
export const afterSalesCountsSchema = z
  .object({ counts: z.record(z.enum(AFTER_SALES_STATUSES), z.number().int()) })
  .meta({ id: 'AfterSalesCounts' });

/** A shop's after-sales timers, in days (each 1–60; the after-completion window 0–90). */
export const afterSalesSettingsSchema = z
  .strictObject({
    autoApproveDays: z.number().int().min(1).max(60),
    returnShipDays: z.number().int().min(1).max(60),
    receiveConfirmDays: z.number().int().min(1).max(60),
    afterCompletionDays: z.number().int().min(0).max(90),
  })
  .meta({ id: 'AfterSalesSettings' });
export type AfterSalesSettings = z.infer<typeof afterSalesSettingsSchema>;
