import type { RejectReason } from './onboarding.constants';
import type { MerchantPermission } from './permissions';

/**
 * How a param of a notification's text is said:
 * - `text`: words a person typed (a reviewer's note, the platform's reason), shown as they are;
 * - `number`: a count (days);
 * - `date`: a calendar date as `YYYY-MM-DD`, written the reader's way;
 * - `documentType`: a qualification document type with both its names (`DocumentTypeName`), said in the reader's language;
 * - `rejectReason`: a `REJECT_REASONS` code, said by the text the console has for it.
 */
export const NOTIFICATION_PARAM_KINDS = ['text', 'number', 'date', 'documentType', 'rejectReason'] as const;
export type NotificationParamKind = (typeof NOTIFICATION_PARAM_KINDS)[number];

/** A document type as a notification names it: its code and its names, so any reader can say it without a lookup. */
export interface DocumentTypeName {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** The value a param of each kind carries. */
export interface NotificationParamValues {
  text: string;
  number: number;
  date: string;
  documentType: DocumentTypeName;
  rejectReason: RejectReason;
}

/**
 * What a notification says: stable codes the console renders in the reader's language
 * (`notificationTexts.<code>.title` and `.body`), each with its params and the kind of each param. The
 * server stores the code and params beside a Chinese title and body, which are the text of the email and
 * the SMS that go out and the only text of rows written before the codes. A unit test checks every code
 * has both texts in zh-CN and en, using no param the code does not declare.
 */
export const NOTIFICATION_TEXTS = {
  // ---- the shop ----------------------------------------------------------------------------------
  /** Every required document is approved: the shop opens. */
  SHOP_ACTIVATED: {},
  /** Renewed documents are approved: a shop suspended because one lapsed opens again. */
  SHOP_REINSTATED_DOCUMENTS_APPROVED: {},
  /** Platform staff suspended the shop, with their reason. */
  SHOP_SUSPENDED_BY_PLATFORM: { reason: 'text' },
  /** Platform staff reinstated the shop, with their reason. */
  SHOP_REINSTATED_BY_PLATFORM: { reason: 'text' },
  /** A required document lapsed more than `graceDays` ago: no orders and no releases until a renewal is approved. */
  SHOP_SUSPENDED_DOCUMENT_LAPSED: { document: 'documentType', graceDays: 'number' },

  // ---- a qualification document -------------------------------------------------------------------
  DOCUMENT_APPROVED: { document: 'documentType' },
  DOCUMENT_REJECTED: { document: 'documentType', reason: 'rejectReason' },
  /** Rejected, and the reviewer said more in a note. */
  DOCUMENT_REJECTED_WITH_NOTE: { document: 'documentType', reason: 'rejectReason', note: 'text' },
  /** The approved document's valid-to date is near. */
  DOCUMENT_EXPIRING: { document: 'documentType', validTo: 'date' },
  /** The valid-to date has passed: renew within `graceDays`, or the shop is suspended. */
  DOCUMENT_EXPIRED: { document: 'documentType', validTo: 'date', graceDays: 'number' },

  // ---- complaints ---------------------------------------------------------------------------------
  /** A shopper (or WeChat Pay) filed a complaint against the shop: state the shop's side. */
  COMPLAINT_FILED: { complaintNo: 'text', orderNo: 'text' },
  /** The platform decided a complaint: a refund of `amount` (yuan, as ¥12.34) went back to the shopper. */
  COMPLAINT_DECIDED_REFUND: { complaintNo: 'text', amount: 'text', note: 'text' },
  /** The platform decided a complaint for the shop: refused. */
  COMPLAINT_DECIDED_REFUSED: { complaintNo: 'text', note: 'text' },

  // ---- the shop's day: live alerts (the bell, a sound and the tab's count while the console is open) --------------
  /** A shopper paid an order of `amount` (yuan, as ¥12.34): ship it. */
  ORDER_PAID: { orderNo: 'text', amount: 'text' },
  /** A shopper asked for after-sales (a case) on an order. */
  AFTER_SALES_REQUESTED: { caseNo: 'text', orderNo: 'text' },
  /** A shopper reviewed an order, `rating` the lowest of its lines' stars. */
  REVIEW_POSTED: { orderNo: 'text', rating: 'number' },
} as const satisfies Record<string, Record<string, NotificationParamKind>>;

export type NotificationTextCode = keyof typeof NOTIFICATION_TEXTS;
export const NOTIFICATION_TEXT_CODES = Object.keys(NOTIFICATION_TEXTS) as NotificationTextCode[];
export type NotificationTextParams<C extends NotificationTextCode> = {
  -readonly [P in keyof (typeof NOTIFICATION_TEXTS)[C]]: NotificationParamValues[(typeof NOTIFICATION_TEXTS)[C][P] &
    NotificationParamKind];
};

/**
 * The live alerts: each code with the permission a reader needs to see it (in the bell, and over the alerts socket).
 * A staff member without it hears nothing of it; the notifications of other codes are everyone's in the shop.
 */
export const LIVE_ALERTS = {
  ORDER_PAID: 'order:order:read',
  AFTER_SALES_REQUESTED: 'aftersale:case:read',
  REVIEW_POSTED: 'review:review:manage',
} as const satisfies Partial<Record<NotificationTextCode, MerchantPermission>>;
export type LiveAlertCode = keyof typeof LIVE_ALERTS;

/** The console's alerts WebSocket (ADR 0020), on the API's HTTP server beside the chat's. */
export const ALERTS_WS_PATH = '/ws/alerts';
