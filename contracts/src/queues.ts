import { z } from 'zod';

/** Queue names are nouns; job names verb-noun. Producers and processors both import these. */
export const QUEUES = {
  maintenance: 'maintenance',
  qualifications: 'qualifications',
  catalogImports: 'catalog-imports',
  orderTimeouts: 'order-timeouts',
  payments: 'payments',
  /** Template builds: the shared template built once per version, and each shop's package made from a build. */
  templateBuilds: 'template-builds',
  /** Each shop's release through WeChat: one job per step, rate-limited for WeChat. */
  submissions: 'mp-submissions',
  /** Uploads with a merchant's own code-upload key (miniprogram-ci): one at a time, each compiles and packs. */
  codeUploads: 'mp-code-uploads',
  /** After-sales deadlines: a case's step timing out, and the sweeper for lost jobs. */
  afterSales: 'after-sales',
  /** Customer service: telling a shopper of a reply they have not read (a WeChat subscribe message). */
  support: 'support',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const MAINTENANCE_JOBS = {
  purgeExpiredTokens: 'purge-expired-tokens',
  /** A promotion starts or ends: the shop's catalog cache is renewed so its prices and tags show it. */
  promotionEdge: 'promotion-edge',
  /** A flash-sale session's end: the stock it set aside and did not sell goes back to the SKUs. */
  flashEnd: 'flash-end',
  /** Every 30 s: flash-sale gates (Redis) checked against MySQL and mended; sessions past their end returned. */
  flashReconcile: 'flash-reconcile',
  /** A group's time is up: it forms (virtual fill) or fails, and its orders are closed (the paid refunded). */
  groupEnd: 'group-end',
  /** Every minute: groups whose end job was lost, and failed groups with members still to settle. */
  groupSweep: 'group-sweep',
  /** Every 10 minutes: orders whose after-sales window has passed release their frozen points. */
  pointsRelease: 'points-release',
  /** Every hour: batches of points past their validity expire. */
  pointsExpire: 'points-expire',
  /** Every 10 minutes: attributed orders whose after-sales window has passed release their frozen commission. */
  commissionRelease: 'commission-release',
  /** Every 10 minutes: withdrawals being paid by WeChat Pay's transfer, asked again and settled. */
  transferSync: 'transfer-sync',
  /** Every minute: each shop's hours marked by new or late events rolled up (hours, days, months over). */
  analyticsRollUp: 'analytics-roll-up',
  /** Every hour: each shop's usage of today measured (and yesterday's counts completed after midnight). */
  snapshotUsage: 'snapshot-usage',
  /** Every 5 minutes: each shop's API request counts moved from Redis into its days. */
  flushApiRequests: 'flush-api-requests',
  /** Every night: a full rebuild of recommendations queued for each shop (one `rebuild-shop-recommendations` each). */
  rebuildRecommendations: 'rebuild-recommendations',
  /** One shop's recommendations rebuilt from its events (neighbour lists and popularity). */
  rebuildShopRecommendations: 'rebuild-shop-recommendations',
  /** Every 15 minutes: each shop's recommendations moved by the events since the last run. */
  updateRecommendations: 'update-recommendations',
  /** Every minute: each shop's products whose scheduled on-sale or off-sale time has come put on or off sale. */
  productSchedules: 'product-schedules',
} as const;

export const rebuildShopRecommendationsPayloadSchema = z.strictObject({ tenantId: z.number().int().min(1) });
export type RebuildShopRecommendationsPayload = z.infer<typeof rebuildShopRecommendationsPayloadSchema>;

export const groupEndPayloadSchema = z.strictObject({
  tenantId: z.number().int().min(1),
  groupId: z.number().int().min(1),
});
export type GroupEndPayload = z.infer<typeof groupEndPayloadSchema>;

export const flashEndPayloadSchema = z.strictObject({
  tenantId: z.number().int().min(1),
  sessionId: z.number().int().min(1),
});
export type FlashEndPayload = z.infer<typeof flashEndPayloadSchema>;

export const promotionEdgePayloadSchema = z.strictObject({ tenantId: z.number().int().min(1) });
export type PromotionEdgePayload = z.infer<typeof promotionEdgePayloadSchema>;

export const purgeExpiredTokensPayloadSchema = z.strictObject({
  /** Tokens that expired or were revoked before this instant are deleted. ISO date-time. */
  before: z.string().optional(),
});
export type PurgeExpiredTokensPayload = z.infer<typeof purgeExpiredTokensPayloadSchema>;

export const QUALIFICATION_JOBS = {
  checkExpiry: 'check-expiry',
} as const;

export const checkExpiryPayloadSchema = z.strictObject({
  /** The instant to judge expiry at (ISO date-time); now when absent. Lets tests run the job under a set clock. */
  now: z.iso.datetime().optional(),
});
export type CheckExpiryPayload = z.infer<typeof checkExpiryPayloadSchema>;

export const CATALOG_JOBS = {
  importProducts: 'import-products',
  /** Fails the imports that wait for a job the queue no longer has (every few minutes). */
  sweepLostImports: 'sweep-lost-imports',
} as const;

export const sweepLostImportsPayloadSchema = z.strictObject({
  /** Imports touched within this many seconds are left alone (their job may be on its way). */
  graceSeconds: z.number().int().nonnegative().optional(),
});
export type SweepLostImportsPayload = z.infer<typeof sweepLostImportsPayloadSchema>;

export const importProductsPayloadSchema = z.strictObject({
  tenantId: z.number().int().positive(),
  importId: z.number().int().positive(),
});
export type ImportProductsPayload = z.infer<typeof importProductsPayloadSchema>;

export const AFTER_SALES_JOBS = {
  /** One case's step reached its deadline (delayed to it). */
  deadline: 'after-sales-deadline',
  /** Every case whose deadline passed, in every shop (every minute): the backstop for lost jobs. */
  sweep: 'sweep-after-sales',
  /** A decided WeChat Pay complaint: reply to the shopper and mark it done at WeChat Pay (retried until it lands). */
  complaintReply: 'wechatpay-complaint-reply',
  /** WeChat Pay's complaints of the last days, listed (every 30 minutes): the backstop for lost notifications. */
  complaintSync: 'wechatpay-complaint-sync',
} as const;

export const complaintReplyPayloadSchema = z.strictObject({
  tenantId: z.number().int().positive(),
  complaintId: z.number().int().positive(),
});

export const afterSalesDeadlinePayloadSchema = z.strictObject({
  tenantId: z.number().int().positive(),
  caseId: z.number().int().positive(),
});

export const sweepAfterSalesPayloadSchema = z.strictObject({
  /** The instant to judge deadlines at (ISO); now when absent. */
  now: z.string().optional(),
});

export const SUPPORT_JOBS = {
  /** An agent's reply not read a minute later: a subscribe message, if the shopper allowed one. */
  notifyReply: 'support-notify-reply',
} as const;

export const supportNotifyPayloadSchema = z.strictObject({
  tenantId: z.number().int().positive(),
  conversationId: z.number().int().positive(),
  seq: z.number().int().positive(),
});

export const ORDER_JOBS = {
  closeUnpaidOrder: 'close-unpaid-order',
  sweepUnpaidOrders: 'sweep-unpaid-orders',
  autoConfirmOrders: 'auto-confirm-orders',
} as const;

export const closeUnpaidOrderPayloadSchema = z.strictObject({
  tenantId: z.number().int().positive(),
  orderId: z.number().int().positive(),
});

export const sweepUnpaidOrdersPayloadSchema = z.strictObject({
  /** The instant to judge deadlines at (ISO); now when absent. */
  now: z.iso.datetime().optional(),
});

export const autoConfirmOrdersPayloadSchema = z.strictObject({
  /** The instant to judge auto-confirm dates at (ISO); now when absent. */
  now: z.iso.datetime().optional(),
});

export const PAYMENT_JOBS = {
  /** Re-sends a refund the provider did not take (network, 5xx); idempotent by refund number. */
  submitRefund: 'submit-refund',
  /** Reports a WeChat Pay order's shipping to WeChat's order-shipping API. */
  uploadShipping: 'upload-shipping',
  /** Compares a day's payments with the providers' records. */
  reconcile: 'reconcile-payments',
  /** Asks the provider about a trade whose notification has not come (UnionPay: 5, 10, 30, 60 minutes after it opened). */
  queryPayment: 'query-payment',
} as const;

export const queryPaymentPayloadSchema = z.strictObject({
  tenantId: z.number().int().positive(),
  paymentNo: z.string().regex(/^P\d{8,30}$/),
});

export const submitRefundPayloadSchema = z.strictObject({
  tenantId: z.number().int().positive(),
  refundId: z.number().int().positive(),
});

export const uploadShippingPayloadSchema = z.strictObject({
  tenantId: z.number().int().positive(),
  orderId: z.number().int().positive(),
});

export const reconcilePaymentsPayloadSchema = z.strictObject({
  /** The China-time day to reconcile (YYYY-MM-DD); yesterday when absent. */
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
});

export const RELEASE_JOBS = {
  /** Builds a template version once (uni build for mp-weixin) and stores its output. */
  buildTemplate: 'build-template',
  /** Customizes a built version for one shop (its package). */
  packageTenant: 'package-tenant',
} as const;

export const buildTemplatePayloadSchema = z.strictObject({ versionId: z.number().int().positive() });
export const packageTenantPayloadSchema = z.strictObject({
  tenantId: z.number().int().positive(),
  versionId: z.number().int().positive(),
});

/**
 * The steps of a release, in order. The first five run as one BullMQ flow (each a child of the next);
 * poll-audit and publish run on their own. Every step is idempotent: it reads where the release
 * stands and does nothing when its part is done.
 */
export const SUBMISSION_JOBS = {
  setDomains: 'set-domains',
  setPrivacy: 'set-privacy',
  commitCode: 'commit-code',
  fetchQrcode: 'fetch-qrcode',
  submitAudit: 'submit-audit',
  pollAudit: 'poll-audit',
  publish: 'publish-release',
} as const;
export type SubmissionJob = (typeof SUBMISSION_JOBS)[keyof typeof SUBMISSION_JOBS];

export const submissionPayloadSchema = z.strictObject({
  tenantId: z.number().int().positive(),
  releaseId: z.number().int().positive(),
});
export type SubmissionPayload = z.infer<typeof submissionPayloadSchema>;

/** On the submissions queue too: starts the next shops of a bulk release within its concurrency, and runs again until its phase is done. */
export const BULK_RELEASE_JOBS = {
  dispatch: 'dispatch-bulk',
} as const;

export const dispatchBulkPayloadSchema = z.strictObject({ bulkId: z.number().int().positive() });

export const CODE_UPLOAD_JOBS = {
  upload: 'upload-code',
} as const;

export const codeUploadPayloadSchema = z.strictObject({
  tenantId: z.number().int().positive(),
  uploadId: z.number().int().positive(),
});
