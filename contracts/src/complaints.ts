import { z } from 'zod';
import { idSchema, isoDateTime } from './common';
import {
  COMPLAINT_DECISIONS,
  COMPLAINT_LIMITS,
  COMPLAINT_REASONS,
  COMPLAINT_REPLY_STATES,
  COMPLAINT_SIDES,
  COMPLAINT_SOURCES,
  COMPLAINT_STATUSES,
} from './after-sales.constants';
import { afterSalesCaseSchema } from './after-sales';
import { ORDER_STATUSES } from './orders.constants';

const statement = z.string().trim().min(1).max(COMPLAINT_LIMITS.statementMax);
const photoIds = z
  .array(idSchema)
  .max(COMPLAINT_LIMITS.photosMax)
  .refine((l) => new Set(l).size === l.length, { message: 'each photo once', params: { reason: 'PHOTOS_REPEATED' } })
  .default([]);

/** A shopper's complaint (投诉) about an order, or about one of its after-sales cases the merchant refused or closed. */
export const complaintBodySchema = z.strictObject({
  orderId: idSchema,
  /** The case complained about: one the merchant refused (the request or the returned goods), or one that closed. */
  caseId: idSchema.optional(),
  reason: z.enum(COMPLAINT_REASONS),
  statement,
  /** Photos uploaded through the shop's after-sales photo endpoint. */
  photoIds,
  /** What the shopper asks to have back, in fen (at most what the order has left to refund). */
  requestedFen: z.number().int().min(1).max(100_000_000).optional(),
});
export type ComplaintBody = z.infer<typeof complaintBodySchema>;

/** A statement added to an open complaint (the shopper's or the merchant's), with photos. */
export const complaintStatementBodySchema = z.strictObject({ statement, photoIds });

const decisionNote = z.string().trim().min(1).max(COMPLAINT_LIMITS.decisionNoteMax);

/** The platform's decision: refund an amount (at most what the order has left), or refuse; each with its reason. */
export const complaintDecisionBodySchema = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('refund'), amountFen: z.number().int().min(1), note: decisionNote }),
  z.strictObject({ decision: z.literal('refuse'), note: decisionNote }),
]);
export type ComplaintDecisionBody = z.infer<typeof complaintDecisionBodySchema>;

export const complaintListQuerySchema = z.strictObject({
  status: z.enum(COMPLAINT_STATUSES).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const arbitrationQueueQuerySchema = z.strictObject({
  status: z.enum(COMPLAINT_STATUSES).default('open'),
  source: z.enum(COMPLAINT_SOURCES).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

/** A complaint as both sides and the platform see it: what it is about, every statement, and the decision. */
export const complaintSchema = z
  .object({
    id: z.number().int(),
    complaintNo: z.string(),
    source: z.enum(COMPLAINT_SOURCES),
    status: z.enum(COMPLAINT_STATUSES),
    reason: z.enum(COMPLAINT_REASONS),
    orderId: z.number().int().nullable(),
    orderNo: z.string().nullable(),
    caseId: z.number().int().nullable(),
    caseNo: z.string().nullable(),
    /** What the shopper asks to have back, in fen, if they said. */
    requestedFen: z.number().int().nullable(),
    statements: z.array(
      z.object({
        side: z.enum(COMPLAINT_SIDES),
        body: z.string(),
        photoUrls: z.array(z.string()),
        at: isoDateTime,
      }),
    ),
    decision: z
      .object({
        decision: z.enum(COMPLAINT_DECISIONS),
        /** What the decision refunded, in fen (0 when refused). */
        amountFen: z.number().int(),
        note: z.string(),
        refundId: z.number().int().nullable(),
        at: isoDateTime,
      })
      .nullable(),
    /** A WeChat Pay complaint's own side: its id, its state there, and where our answer to it stands. */
    wechatpay: z
      .object({
        complaintId: z.string(),
        state: z.string(),
        problem: z.string(),
        replyState: z.enum(COMPLAINT_REPLY_STATES).nullable(),
      })
      .nullable(),
    /** The shopper has news (a decision) they have not opened yet. */
    unread: z.boolean(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Complaint' });
export type Complaint = z.infer<typeof complaintSchema>;

/** A complaint in the platform's queue: the shop it is against, and the complaint. */
export const arbitrationItemSchema = z
  .object({ tenantId: z.number().int(), shopName: z.string(), complaint: complaintSchema })
  .meta({ id: 'ArbitrationItem' });
export type ArbitrationItem = z.infer<typeof arbitrationItemSchema>;

/** What the platform decides from: the complaint, the case with its history, and the order's money. */
export const arbitrationDetailSchema = arbitrationItemSchema
  .extend({
    case: afterSalesCaseSchema.nullable(),
    order: z
      .object({
        id: z.number().int(),
        orderNo: z.string(),
        status: z.enum(ORDER_STATUSES),
        payableFen: z.number().int(),
        refundedFen: z.number().int(),
        /** The most a refund decision can give back now. */
        refundableFen: z.number().int(),
        /** What the case's units paid, when the complaint is about a case: a refund of exactly this refunds them. */
        caseUnitsFen: z.number().int().nullable(),
      })
      .nullable(),
  })
  .meta({ id: 'ArbitrationDetail' });
export type ArbitrationDetail = z.infer<typeof arbitrationDetailSchema>;

export const complaintCountsSchema = z
  .object({ open: z.number().int(), unread: z.number().int() })
  .meta({ id: 'ComplaintCounts' });
export type ComplaintCounts = z.infer<typeof complaintCountsSchema>;
