export const SUBJECT_TYPES = ['enterprise', 'individual'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

/** Codes of business categories and document types. */
export const CODE_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;

/** Kinds of fields a document carries; each kind is validated its own way (ID numbers by checksum). */
export const DOCUMENT_FIELD_KINDS = ['text', 'creditCode', 'idNumber', 'date'] as const;
/** The key of a document type's field. */
export const FIELD_KEY_PATTERN = /^[a-zA-Z][a-zA-Z0-9]{0,39}$/;
/** Limits of a document type: its fields, and the labels of its files (pages). */
export const DOCUMENT_TYPE_LIMITS = { fieldsMax: 12, pageLabelsMax: 6, pageLabelMax: 20 } as const;

export const DOCUMENT_STATUSES = ['draft', 'pending', 'approved', 'rejected', 'superseded'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const REJECT_REASONS = [
  'unreadable',
  'incomplete',
  'expired',
  'mismatch',
  'wrong_document',
  'not_authentic',
  'other',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const QUALIFICATION_FILE_MAX_BYTES = 10 * 1024 * 1024;
/** The files a document is made of. */
export const QUALIFICATION_FILE_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
/** At most this many files for one document. */
export const MAX_DOCUMENT_FILES = 10;

/** The review queue's status filter. */
export const REVIEW_QUEUE_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type ReviewQueueStatus = (typeof REVIEW_QUEUE_STATUSES)[number];
