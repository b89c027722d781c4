import { z } from 'zod';
import { MERCHANT_ROLES } from './permissions';
import { SMS_CODE_PATTERN } from './common.constants';
import { isoDateTime, pageQuerySchema, phoneSchema, slugSchema } from './common';
import { TENANT_STATUSES } from './shop.constants';
import {
  CODE_PATTERN,
  DOCUMENT_FIELD_KINDS,
  DOCUMENT_STATUSES,
  DOCUMENT_TYPE_LIMITS,
  FIELD_KEY_PATTERN,
  MAX_DOCUMENT_FILES,
  QUALIFICATION_FILE_TYPES,
  REJECT_REASONS,
  REVIEW_QUEUE_STATUSES,
  SUBJECT_TYPES,
} from './onboarding.constants';

const codeSchema = z.string().regex(CODE_PATTERN, 'lowercase letters, digits and underscores, starting with a letter');

// ---- platform-managed reference data -------------------------------------------------------------

export const businessCategorySchema = z
  .object({ code: z.string(), nameZh: z.string(), nameEn: z.string(), sort: z.number().int(), active: z.boolean() })
  .meta({ id: 'BusinessCategory' });
export type BusinessCategory = z.infer<typeof businessCategorySchema>;

export const createBusinessCategoryBodySchema = z.strictObject({
  code: codeSchema,
  nameZh: z.string().trim().min(1).max(40),
  nameEn: z.string().trim().min(1).max(60),
  sort: z.number().int().min(0).max(10_000).default(100),
});
export const updateBusinessCategoryBodySchema = z
  .strictObject({
    nameZh: z.string().trim().min(1).max(40).optional(),
    nameEn: z.string().trim().min(1).max(60).optional(),
    sort: z.number().int().min(0).max(10_000).optional(),
    active: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to update', params: { reason: 'NOTHING_TO_UPDATE' } });
export const categoryCodeParamsSchema = z.strictObject({ code: codeSchema });

export const documentFieldSpecSchema = z.strictObject({
  key: z.string().regex(FIELD_KEY_PATTERN),
  labelZh: z.string().min(1).max(40),
  labelEn: z.string().min(1).max(60),
  kind: z.enum(DOCUMENT_FIELD_KINDS),
  required: z.boolean(),
  /** Stored encrypted and shown masked. */
  sensitive: z.boolean().default(false),
});
export type DocumentFieldSpec = z.infer<typeof documentFieldSpecSchema>;

export const documentTypeSchema = z
  .object({
    code: z.string(),
    nameZh: z.string(),
    nameEn: z.string(),
    fields: z.array(documentFieldSpecSchema),
    /** Labels of the files the document needs, in order (e.g. front, back); empty: one or more pages. */
    pageLabels: z.array(z.string()),
    /** The document has a validity period (valid-from, valid-to or long-term). */
    hasValidity: z.boolean(),
    active: z.boolean(),
  })
  .meta({ id: 'DocumentType' });
export type DocumentType = z.infer<typeof documentTypeSchema>;

export const createDocumentTypeBodySchema = z.strictObject({
  code: codeSchema,
  nameZh: z.string().trim().min(1).max(40),
  nameEn: z.string().trim().min(1).max(80),
  fields: z.array(documentFieldSpecSchema).max(DOCUMENT_TYPE_LIMITS.fieldsMax),
  pageLabels: z
    .array(z.string().trim().min(1).max(DOCUMENT_TYPE_LIMITS.pageLabelMax))
    .max(DOCUMENT_TYPE_LIMITS.pageLabelsMax)
    .default([]),
  hasValidity: z.boolean().default(true),
});
export const updateDocumentTypeBodySchema = z
  .strictObject({
    nameZh: z.string().trim().min(1).max(40).optional(),
    nameEn: z.string().trim().min(1).max(80).optional(),
    fields: z.array(documentFieldSpecSchema).max(DOCUMENT_TYPE_LIMITS.fieldsMax).optional(),
    pageLabels: z
      .array(z.string().trim().min(1).max(DOCUMENT_TYPE_LIMITS.pageLabelMax))
      .max(DOCUMENT_TYPE_LIMITS.pageLabelsMax)
      .optional(),
    hasValidity: z.boolean().optional(),
    active: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to update', params: { reason: 'NOTHING_TO_UPDATE' } });
export const documentTypeParamsSchema = z.strictObject({ code: codeSchema });

/**
 * A requirement rule: tenants matching subject type and/or category need the document type.
 * A null subject or category matches any.
 */
export const requirementRuleSchema = z
  .object({
    id: z.number().int(),
    documentTypeCode: z.string(),
    subjectType: z.enum(SUBJECT_TYPES).nullable(),
    categoryCode: z.string().nullable(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'RequirementRule' });
export type RequirementRule = z.infer<typeof requirementRuleSchema>;

export const createRequirementRuleBodySchema = z
  .strictObject({
    documentTypeCode: codeSchema,
    subjectType: z.enum(SUBJECT_TYPES).nullable().default(null),
    categoryCode: codeSchema.nullable().default(null),
  })
  .refine((b) => b.subjectType !== null || b.categoryCode !== null, {
    message: 'a rule names a subject type, a category, or both',
    params: { reason: 'RULE_NEEDS_SUBJECT_OR_CATEGORY' },
  });

// ---- sign-up and invitations ----------------------------------------------------------------------

export const slugAvailabilityQuerySchema = z.strictObject({ slug: z.string().max(64) });
export const slugAvailabilitySchema = z.object({
  slug: z.string(),
  available: z.boolean(),
  /** Why not: `invalid` (characters or length), `taken` or `reserved`. */
  reason: z.enum(['invalid', 'taken', 'reserved']).optional(),
});

export const signupSmsBodySchema = z.strictObject({ phone: phoneSchema });

export const signupBodySchema = z.strictObject({
  shopName: z.string().trim().min(2).max(60),
  slug: slugSchema,
  subjectType: z.enum(SUBJECT_TYPES),
  categoryCode: codeSchema,
  contactName: z.string().trim().min(1).max(40),
  contactPhone: phoneSchema,
  /** The code sent to contactPhone: a verified phone is part of every application. */
  smsCode: z.string().regex(SMS_CODE_PATTERN, 'the six-digit code'),
  email: z.email().max(254),
  password: z.string().min(10, 'at least 10 characters').max(200),
});
export type SignupBody = z.infer<typeof signupBodySchema>;

export const createInvitationBodySchema = z
  .strictObject({
    email: z.email().max(254).optional(),
    phone: phoneSchema.optional(),
    role: z.enum(MERCHANT_ROLES),
  })
  .refine((b) => b.email !== undefined || b.phone !== undefined, {
    message: 'an email or a phone',
    params: { reason: 'EMAIL_OR_PHONE_REQUIRED' },
  });

export const invitationSchema = z
  .object({
    id: z.number().int(),
    email: z.string().nullable(),
    phoneMasked: z.string().nullable(),
    role: z.enum(MERCHANT_ROLES),
    status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
    expiresAt: isoDateTime,
    createdAt: isoDateTime,
    /** Only in the answer to the create call: the link to hand over if the message does not arrive. */
    acceptUrl: z.string().optional(),
  })
  .meta({ id: 'Invitation' });
export type Invitation = z.infer<typeof invitationSchema>;

export const invitationTokenParamsSchema = z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{30,64}$/) });
export const invitationPreviewSchema = z.object({
  shopName: z.string(),
  shopSlug: z.string(),
  role: z.enum(MERCHANT_ROLES),
  email: z.string().nullable(),
  /** The invitee already has an account: accepting asks for its password instead of creating one. */
  hasAccount: z.boolean(),
});
export const acceptInvitationBodySchema = z.strictObject({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(40),
  password: z.string().min(10).max(200),
});

// ---- documents ------------------------------------------------------------------------------------

export const qualificationFileSchema = z
  .object({
    id: z.number().int(),
    contentType: z.enum(QUALIFICATION_FILE_TYPES),
    size: z.number().int(),
    /** Pages of a PDF; 1 for an image. */
    pages: z.number().int(),
    label: z.string().nullable(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'QualificationFile' });
export type QualificationFile = z.infer<typeof qualificationFileSchema>;

export const qualificationDocumentSchema = z
  .object({
    id: z.number().int(),
    typeCode: z.string(),
    status: z.enum(DOCUMENT_STATUSES),
    /** Field values; sensitive ones masked. */
    fields: z.record(z.string(), z.string()),
    validFrom: z.string().nullable(),
    validTo: z.string().nullable(),
    longTerm: z.boolean(),
    files: z.array(qualificationFileSchema),
    submittedAt: isoDateTime.nullable(),
    reviewedAt: isoDateTime.nullable(),
    rejectReason: z.enum(REJECT_REASONS).nullable(),
    rejectNote: z.string().nullable(),
    /** The valid-to date has passed. */
    expired: z.boolean(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'QualificationDocument' });
export type QualificationDocument = z.infer<typeof qualificationDocumentSchema>;

export const createDocumentBodySchema = z.strictObject({
  typeCode: codeSchema,
  /** Uploaded files (POST /qualifications/files), in the order of the type's page labels. */
  fileIds: z.array(z.number().int().positive()).min(1).max(MAX_DOCUMENT_FILES),
  fields: z.record(z.string().max(40), z.string().trim().max(200)).default({}),
  validFrom: z.iso.date().optional(),
  validTo: z.iso.date().optional(),
  longTerm: z.boolean().default(false),
});
export type CreateDocumentBody = z.infer<typeof createDocumentBodySchema>;

export const signedUrlSchema = z.object({ url: z.string(), expiresAt: isoDateTime });

export const checklistItemSchema = z.object({
  documentType: documentTypeSchema,
  /** The current version of this document, if any was uploaded. */
  current: qualificationDocumentSchema.nullable(),
  /** Earlier versions, newest first, with their decisions. */
  history: z.array(qualificationDocumentSchema),
});

/**
 * Where the merchant's application stands, derived on the server from the tenant and its documents;
 * the console's banner, steps, buttons and toasts all read this one value.
 * - not_started: nothing uploaded, nothing submitted;
 * - incomplete: some required document is not uploaded yet;
 * - ready_to_submit: every required document is there and some wait as drafts to be submitted;
 * - in_review: everything is with the reviewers (a re-uploaded document goes straight there);
 * - changes_requested: a reviewer rejected a document; upload a new version;
 * - approved: the shop is active;
 * - suspended: the shop is suspended (a document expired, or by hand).
 */
export const ONBOARDING_STATES = [
  'not_started',
  'incomplete',
  'ready_to_submit',
  'in_review',
  'changes_requested',
  'approved',
  'suspended',
] as const;
export type OnboardingState = (typeof ONBOARDING_STATES)[number];

export const onboardingSchema = z
  .object({
    tenant: z.object({
      id: z.number().int(),
      slug: z.string(),
      name: z.string(),
      status: z.enum(TENANT_STATUSES),
      subjectType: z.enum(SUBJECT_TYPES).nullable(),
      categoryCode: z.string().nullable(),
      submittedAt: isoDateTime.nullable(),
      suspensionReason: z.string().nullable(),
    }),
    phoneVerified: z.boolean(),
    checklist: z.array(checklistItemSchema),
    state: z.enum(ONBOARDING_STATES),
    /** The state is ready_to_submit: every required document is there and drafts wait to be submitted. */
    canSubmit: z.boolean(),
  })
  .meta({ id: 'Onboarding' });

/** The first steps of an approved shop, in order; each is done when the shop's data says so. */
export const FIRST_STEPS = ['products', 'payment', 'appearance', 'release'] as const;
export type FirstStep = (typeof FIRST_STEPS)[number];

export const firstStepsSchema = z
  .object({
    steps: z.array(z.object({ key: z.enum(FIRST_STEPS), done: z.boolean() })),
    allDone: z.boolean(),
  })
  .meta({ id: 'FirstSteps' });
export type FirstSteps = z.infer<typeof firstStepsSchema>;
export type Onboarding = z.infer<typeof onboardingSchema>;

// ---- review ---------------------------------------------------------------------------------------

export const reviewQueueQuerySchema = pageQuerySchema.extend({
  status: z.enum(REVIEW_QUEUE_STATUSES).default('pending'),
  categoryCode: codeSchema.optional(),
  /** Only documents waiting (since submission) at least this many hours. */
  minAgeHours: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 365)
    .optional(),
});

export const reviewQueueItemSchema = z
  .object({
    documentId: z.number().int(),
    typeCode: z.string(),
    status: z.enum(DOCUMENT_STATUSES),
    submittedAt: isoDateTime.nullable(),
    tenant: z.object({
      id: z.number().int(),
      slug: z.string(),
      name: z.string(),
      categoryCode: z.string().nullable(),
      subjectType: z.enum(SUBJECT_TYPES).nullable(),
      status: z.enum(TENANT_STATUSES),
    }),
  })
  .meta({ id: 'ReviewQueueItem' });
export type ReviewQueueItem = z.infer<typeof reviewQueueItemSchema>;

export const reviewDocumentSchema = qualificationDocumentSchema
  .extend({
    tenant: reviewQueueItemSchema.shape.tenant,
    documentType: documentTypeSchema,
    /** Earlier versions of the same document, newest first. */
    history: z.array(qualificationDocumentSchema),
  })
  .meta({ id: 'ReviewDocument' });

export const rejectBodySchema = z
  .strictObject({ reason: z.enum(REJECT_REASONS), note: z.string().trim().max(500).default('') })
  .refine((b) => b.reason !== 'other' || b.note.length > 0, {
    message: 'say what is wrong when the reason is other',
    path: ['note'],
    params: { reason: 'REJECT_NOTE_REQUIRED' },
  });
export const approveBodySchema = z.strictObject({ note: z.string().trim().max(500).optional() });

export const revealSchema = z.object({ fields: z.record(z.string(), z.string()) });

export const tenantStatusChangeBodySchema = z.strictObject({ reason: z.string().trim().min(2).max(500) });

export const tenantDetailSchema = z
  .object({
    id: z.number().int(),
    slug: z.string(),
    name: z.string(),
    status: z.enum(TENANT_STATUSES),
    subjectType: z.enum(SUBJECT_TYPES).nullable(),
    categoryCode: z.string().nullable(),
    contactName: z.string().nullable(),
    contactPhoneMasked: z.string().nullable(),
    submittedAt: isoDateTime.nullable(),
    suspensionReason: z.string().nullable(),
    suspendedKind: z.enum(['manual', 'expiry']).nullable(),
    createdAt: isoDateTime,
    documents: z.array(qualificationDocumentSchema),
  })
  .meta({ id: 'TenantDetail' });
export type TenantDetail = z.infer<typeof tenantDetailSchema>;
