import { z } from 'zod';
import { WECHAT_APPID_PATTERN } from './common.constants';
import { isoDateTime } from './common';
import { jobFailureSchema } from './jobs';
import {
  CODE_UPLOAD_KEY_LENGTH,
  WECHAT_APP_SECRET_PATTERN,
  BULK_RELEASE_LIMITS,
  BULK_RELEASE_STATUSES,
  BULK_TARGET_PHASES,
  BULK_TARGET_STATES,
  GRAY_PERCENTAGE,
  TEMPLATE_DESCRIPTION_MAX,
  TEMPLATE_VERSION_PATTERN,
} from './miniapp.constants';

/** The shop's mini-program as authorized to the platform's WeChat third-party platform. */
export const wechatAuthorizationSchema = z
  .object({
    authorized: z.boolean(),
    appid: z.string().nullable(),
    /** The permission sets the merchant granted (18 = code management, needed to release). */
    funcInfo: z.array(z.number().int()),
    authorizedAt: isoDateTime.nullable(),
    /** The platform's third-party platform is configured at all. */
    available: z.boolean(),
  })
  .meta({ id: 'WechatAuthorization' });
export type WechatAuthorization = z.infer<typeof wechatAuthorizationSchema>;

export const authorizationLinkBodySchema = z.strictObject({
  /** pc: WeChat's authorization page scanned with the admin's phone; mobile: opened in WeChat on the phone. */
  device: z.enum(['pc', 'mobile']).default('pc'),
});
export const authorizationLinkSchema = z.object({ url: z.string(), expiresAt: isoDateTime });

// ---- template versions and tenant packages ------------------------------------------------------

export const templateVersionSchema = z
  .object({
    id: z.number().int(),
    version: z.string(),
    contentHash: z.string(),
    status: z.enum(['building', 'ready', 'failed']),
    description: z.string(),
    buildMs: z.number().int().nullable(),
    createdAt: isoDateTime,
    builtAt: isoDateTime.nullable(),
    /** Shops that have a package of this version. */
    tenants: z.number().int(),
    /** Shops whose mini-program runs this version now (released, or gray to a share of users). */
    live: z.number().int(),
    /** The platforms its build produced (mp-weixin, what shops' packages are made from; h5, the web shop). */
    outputs: z.array(z.enum(['mp-weixin', 'h5', 'mp-alipay'])),
    /** Why the build gave up (status failed); the build log has the details. A retry builds again. */
    failure: jobFailureSchema.nullable(),
  })
  .meta({ id: 'TemplateVersion' });
export type TemplateVersion = z.infer<typeof templateVersionSchema>;

export const createTemplateVersionBodySchema = z.strictObject({
  /** Semantic version, also the mini-program's user_version. */
  version: z.string().regex(TEMPLATE_VERSION_PATTERN, 'a version like 1.4.2'),
  description: z.string().trim().max(TEMPLATE_DESCRIPTION_MAX).default(''),
});

export const templateVersionLogSchema = z.object({ log: z.string() });

/** A shop whose mini-program runs a version now. */
export const templateVersionShopSchema = z
  .object({
    tenantId: z.number().int(),
    tenantName: z.string(),
    slug: z.string(),
    appid: z.string(),
    releaseId: z.number().int(),
    status: z.enum(['released', 'gray']),
    grayPercentage: z.number().int().nullable(),
    releasedAt: isoDateTime,
  })
  .meta({ id: 'TemplateVersionShop' });
export type TemplateVersionShop = z.infer<typeof templateVersionShopSchema>;

export const tenantPackageSchema = z
  .object({
    id: z.number().int(),
    version: z.string(),
    sizeBytes: z.number().int(),
    buildMs: z.number().int(),
    createdAt: isoDateTime,
    /** A short-lived link to download the zip (the mini-program project, ready for the developer tools). */
    downloadUrl: z.string(),
  })
  .meta({ id: 'TenantPackage' });
export type TenantPackage = z.infer<typeof tenantPackageSchema>;

// ---- releases to WeChat ----------------------------------------------------------------------------

/**
 * Where a release stands. In flight: pending → domains_set → privacy_set → committed (trial QR code)
 * → submitted ⇄ audit_delayed → audit_passed → gray → released. Ended: released, audit_failed,
 * failed (a step could not succeed; the reason says why), cancelled, rolled_back.
 */
export const RELEASE_STATUSES = [
  'pending',
  'domains_set',
  'privacy_set',
  'committed',
  'submitted',
  'audit_delayed',
  'audit_passed',
  'gray',
  'released',
  'audit_failed',
  'failed',
  'cancelled',
  'rolled_back',
] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

/** The params of an event's or note's code (`RELEASE_EVENTS`): numbers and text, WeChat's words as they came. */
const noteParamsSchema = z.record(z.string(), z.union([z.string(), z.number()]));

/**
 * Why a release or an upload stopped: the stored code (`wechat:<errcode>`, `stopped`, a job failure code),
 * the English sentence, and the reason to say it by — a `ReleaseNoteCode` with its params (null on a row
 * from before the codes: then the message is all there is).
 */
const stoppedErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  reason: z.string().nullable(),
  params: noteParamsSchema,
});

/**
 * A step of a release's timeline: what happened as a code (`RELEASE_EVENTS`, or an error reason or job
 * failure code when it says why the release stopped) with its params, and the English message, kept as
 * the fallback (the only text of events recorded before the codes, whose code is null).
 */
export const releaseEventSchema = z.object({
  status: z.enum(RELEASE_STATUSES),
  code: z.string().nullable(),
  params: noteParamsSchema,
  message: z.string(),
  createdAt: isoDateTime,
});

export const miniappReleaseSchema = z
  .object({
    id: z.number().int(),
    templateVersionId: z.number().int(),
    version: z.string(),
    appid: z.string(),
    status: z.enum(RELEASE_STATUSES),
    inFlight: z.boolean(),
    autoRelease: z.boolean(),
    grayPercentage: z.number().int().nullable(),
    auditId: z.number().int().nullable(),
    /** WeChat's reason when the audit failed, and the media ids of its screenshots. */
    auditReason: z.string().nullable(),
    auditScreenshots: z.array(z.string()),
    /** A short-lived link to the trial version's QR code, once the code is committed. */
    trialQrcodeUrl: z.string().nullable(),
    /**
     * Why the release stopped (status failed), as WeChat or the platform put it: `wechat:<errcode>`, or a
     * JobFailure code (JOB_STALLED…) when the step's job gave up. A failed release can be retried.
     */
    error: stoppedErrorSchema.nullable(),
    createdAt: isoDateTime,
    submittedAt: isoDateTime.nullable(),
    auditedAt: isoDateTime.nullable(),
    releasedAt: isoDateTime.nullable(),
    events: z.array(releaseEventSchema),
  })
  .meta({ id: 'MiniappRelease' });
export type MiniappRelease = z.infer<typeof miniappReleaseSchema>;

export const startReleaseBodySchema = z.strictObject({
  /** The template version to release; the newest built one when absent. */
  templateVersionId: z.number().int().positive().optional(),
  /** Release as soon as the audit passes, instead of waiting for the merchant's click. */
  autoRelease: z.boolean().default(false),
});

export const publishReleaseBodySchema = z.strictObject({
  /** Release to this share of users first (1–99, raised later); all users when absent. */
  grayPercentage: z.number().int().min(GRAY_PERCENTAGE.min).max(GRAY_PERCENTAGE.max).optional(),
});

export const auditQuotaSchema = z
  .object({
    rest: z.number().int(),
    limit: z.number().int(),
    speedupRest: z.number().int(),
    speedupLimit: z.number().int(),
    /** When WeChat was asked (the answer is cached for a minute). */
    checkedAt: isoDateTime,
  })
  .meta({ id: 'AuditQuota' });
export type AuditQuota = z.infer<typeof auditQuotaSchema>;

// ---- bulk releases (platform staff) ---------------------------------------------------------------

export const bulkReleaseProgressSchema = z.object({
  total: z.number().int(),
  waiting: z.number().int(),
  inFlight: z.number().int(),
  released: z.number().int(),
  /** Audited and waiting for the merchant's release click (bulk releases without auto release). */
  auditPassed: z.number().int(),
  failed: z.number().int(),
  refused: z.number().int(),
  skipped: z.number().int(),
});

export const bulkReleaseSchema = z
  .object({
    id: z.number().int(),
    templateVersionId: z.number().int(),
    version: z.string(),
    status: z.enum(BULK_RELEASE_STATUSES),
    concurrency: z.number().int(),
    autoRelease: z.boolean(),
    canary: bulkReleaseProgressSchema,
    rest: bulkReleaseProgressSchema,
    /** Why its dispatcher gave up (status failed). */
    failure: jobFailureSchema.nullable(),
    createdAt: isoDateTime,
    finishedAt: isoDateTime.nullable(),
  })
  .meta({ id: 'BulkRelease' });
export type BulkRelease = z.infer<typeof bulkReleaseSchema>;

export const bulkReleaseTargetSchema = z
  .object({
    tenantId: z.number().int(),
    tenantName: z.string(),
    phase: z.enum(BULK_TARGET_PHASES),
    state: z.enum(BULK_TARGET_STATES),
    releaseId: z.number().int().nullable(),
    releaseStatus: z.enum(RELEASE_STATUSES).nullable(),
    /** Why it was refused, or why its release failed, in English (the fallback); WeChat's words for a rejected audit. */
    note: z.string().nullable(),
    /** The note's code (`ReleaseNoteCode`) and params, to say it in the reader's language; null when the note has none. */
    noteCode: z.string().nullable(),
    noteParams: noteParamsSchema,
  })
  .meta({ id: 'BulkReleaseTarget' });
export type BulkReleaseTarget = z.infer<typeof bulkReleaseTargetSchema>;

export const createBulkReleaseBodySchema = z.strictObject({
  templateVersionId: z.number().int().positive(),
  /** Released first; the rest wait until staff continue. */
  canaryTenantIds: z.array(z.number().int().positive()).min(1).max(BULK_RELEASE_LIMITS.canaryMax),
  /** Only these shops (besides the canary); every active shop when absent. */
  tenantIds: z.array(z.number().int().positive()).max(BULK_RELEASE_LIMITS.tenantsMax).optional(),
  /** Only shops of these business categories. */
  categoryCodes: z.array(z.string().max(40)).max(BULK_RELEASE_LIMITS.categoriesMax).optional(),
  /** Releases of this batch in flight at once. */
  concurrency: z
    .number()
    .int()
    .min(BULK_RELEASE_LIMITS.concurrencyMin)
    .max(BULK_RELEASE_LIMITS.concurrencyMax)
    .default(BULK_RELEASE_LIMITS.concurrencyDefault),
  /** Release each shop as soon as its audit passes. */
  autoRelease: z.boolean().default(true),
});

export const bulkReleaseTargetsQuerySchema = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  state: z.enum(BULK_TARGET_STATES).optional(),
  phase: z.enum(BULK_TARGET_PHASES).optional(),
});

/** The direct path: a mini-program the platform is not authorized for, uploaded with its own code-upload key. */
export const codeUploadKeyInputSchema = z.strictObject({
  appid: z.string().trim().regex(WECHAT_APPID_PATTERN, 'an AppID is wx followed by 16 hex characters'),
  /** The private.<appid>.key file from mp.weixin.qq.com → 开发管理 → 开发设置 → 小程序代码上传 (PEM). */
  privateKey: z.string().trim().min(CODE_UPLOAD_KEY_LENGTH.min).max(CODE_UPLOAD_KEY_LENGTH.max),
  /** The AppSecret, so shoppers can sign in with WeChat (kept encrypted; optional when already given). */
  appSecret: z.string().trim().regex(WECHAT_APP_SECRET_PATTERN, 'an AppSecret is 32 hex characters').optional(),
});
export type CodeUploadKeyInput = z.infer<typeof codeUploadKeyInputSchema>;

export const codeUploadKeySchema = z
  .object({
    appid: z.string(),
    /** SHA-256 of the key's public half: tells keys apart; the key itself is never shown again. */
    fingerprint: z.string(),
    updatedAt: isoDateTime,
  })
  .meta({ id: 'CodeUploadKey' });
export type CodeUploadKey = z.infer<typeof codeUploadKeySchema>;

export const CODE_UPLOAD_STATUSES = ['queued', 'uploading', 'uploaded', 'failed'] as const;
export type CodeUploadStatus = (typeof CODE_UPLOAD_STATUSES)[number];

export const codeUploadSchema = z
  .object({
    id: z.number().int(),
    templateVersionId: z.number().int(),
    appid: z.string(),
    version: z.string(),
    description: z.string(),
    /** WeChat's CI robot that uploaded it: the development version shows under that robot's name. */
    robot: z.number().int(),
    status: z.enum(CODE_UPLOAD_STATUSES),
    attempts: z.number().int(),
    wechatVersion: z.string().nullable(),
    error: stoppedErrorSchema.nullable(),
    createdAt: isoDateTime,
    uploadedAt: isoDateTime.nullable(),
    /** Every state change, oldest first: requested, each attempt, a retry's cause, the outcome; code and params as a release's events. */
    events: z.array(
      z.object({
        status: z.enum(CODE_UPLOAD_STATUSES),
        code: z.string().nullable(),
        params: noteParamsSchema,
        message: z.string(),
        createdAt: isoDateTime,
      }),
    ),
  })
  .meta({ id: 'CodeUpload' });
export type CodeUpload = z.infer<typeof codeUploadSchema>;

export const startCodeUploadBodySchema = z.strictObject({
  /** The template version to upload; the newest built one when absent. */
  templateVersionId: z.number().int().positive().optional(),
  /** The version description WeChat shows (the template version's when empty). */
  description: z.string().trim().max(200).default(''),
});
