/**
 * Local copies of small constant lists from @shopfleet/contracts. Importing the values from the
 * contracts would pull their zod schemas into the bundle, so they are repeated here; `listOf` makes
 * the type checker fail when a copy and the contract's type drift apart (a value missing or extra).
 */
import type {
  DocumentFieldSpec,
  DocumentStatus,
  EndpointInput,
  MerchantRole,
  RejectReason,
  SubjectType,
  TenantStatus,
  platformApi,
} from '@shopfleet/contracts';

type Missing<T, A extends readonly T[]> = Exclude<T, A[number]>;

/** A list holding exactly the members of T: a missing member is a type error at the call. */
function listOf<T>() {
  return <const A extends readonly T[]>(values: A & ([Missing<T, A>] extends [never] ? unknown : { missing: Missing<T, A> })): A =>
    values;
}

/** contracts SUBJECT_TYPES */
export const SUBJECT_TYPES = listOf<SubjectType>()(['enterprise', 'individual']);

/** contracts REJECT_REASONS */
export const REJECT_REASONS = listOf<RejectReason>()([
  'unreadable',
  'incomplete',
  'expired',
  'mismatch',
  'wrong_document',
  'not_authentic',
  'other',
]);

/** contracts DOCUMENT_STATUSES */
export const DOCUMENT_STATUSES = listOf<DocumentStatus>()(['draft', 'pending', 'approved', 'rejected', 'superseded']);

/** contracts MERCHANT_ROLES */
export const MERCHANT_ROLES = listOf<MerchantRole>()(['owner', 'staff']);

/** contracts TENANT_STATUSES */
export const TENANT_STATUSES = listOf<TenantStatus>()(['pending_review', 'active', 'suspended']);

/** contracts DOCUMENT_FIELD_KINDS */
export const DOCUMENT_FIELD_KINDS = listOf<DocumentFieldSpec['kind']>()(['text', 'creditCode', 'idNumber', 'date']);

export type ReviewQueueStatus = EndpointInput<typeof platformApi.reviewQueue>['query']['status'];
/** The review queue's status filter (contracts reviewQueueQuerySchema.status). */
export const REVIEW_QUEUE_STATUSES = listOf<ReviewQueueStatus>()(['pending', 'approved', 'rejected']);

/** contracts QUALIFICATION_FILE_MAX_BYTES */
export const QUALIFICATION_FILE_MAX_BYTES = 10 * 1024 * 1024;

/** The files the server takes for a document (contracts qualificationFileSchema.contentType). */
export const QUALIFICATION_FILE_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export const QUALIFICATION_FILE_ACCEPT = '.jpg,.jpeg,.png,.pdf';

/** At most this many files for a document without page labels (contracts createDocumentBodySchema.fileIds). */
export const MAX_DOCUMENT_FILES = 10;

/** contracts phoneSchema: a mainland China mobile number. */
export const PHONE_PATTERN = /^1[3-9]\d{9}$/;

/** contracts codeSchema: codes of categories and document types. */
export const CODE_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;

/** contracts documentFieldSpecSchema.key */
export const FIELD_KEY_PATTERN = /^[a-zA-Z][a-zA-Z0-9]{0,39}$/;
