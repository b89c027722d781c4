import type {
  DocumentStatus,
  DocumentType,
  OnboardingState,
  QualificationDocument,
  RequirementRule,
  SubjectType,
  TenantStatus,
} from '@shopfleet/contracts';
import { iso, isoOrNull } from '../../kernel/db/rows';
import type { DocumentFileRow, DocumentRow } from './documents.repository';

/** The document types a tenant of this subject type and category needs, by the platform's rules. */
export function requiredTypes(
  rules: RequirementRule[],
  types: DocumentType[],
  tenant: { subjectType: SubjectType | null; categoryCode: string | null },
): DocumentType[] {
  const codes = new Set(
    rules
      .filter(
        (r) =>
          (r.subjectType === null || r.subjectType === tenant.subjectType) &&
          (r.categoryCode === null || r.categoryCode === tenant.categoryCode),
      )
      .map((r) => r.documentTypeCode),
  );
  return types.filter((t) => t.active && codes.has(t.code));
}

/** The calendar day (UTC+8, where the documents are issued) of an instant, as YYYY-MM-DD. */
export { chinaDay } from '../../kernel/china-time';

/** Whole days from `today` to `day` (both YYYY-MM-DD); negative once past. */
export function daysUntil(day: string, today: string): number {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

export function isExpired(doc: Pick<DocumentRow, 'validTo' | 'longTerm'>, today: string): boolean {
  return !doc.longTerm && doc.validTo !== null && doc.validTo < today;
}

export function toDocumentView(doc: DocumentRow, files: DocumentFileRow[], today: string): QualificationDocument {
  return {
    id: doc.id,
    typeCode: doc.typeCode,
    status: doc.status,
    fields: doc.fields,
    validFrom: doc.validFrom,
    validTo: doc.validTo,
    longTerm: doc.longTerm,
    files: files
      .filter((f) => f.documentId === doc.id)
      .map((f) => ({
        id: f.id,
        contentType: f.contentType,
        size: f.size,
        pages: f.pages,
        label: f.label,
        createdAt: iso(f.createdAt),
      })),
    submittedAt: isoOrNull(doc.submittedAt),
    reviewedAt: isoOrNull(doc.reviewedAt),
    rejectReason: doc.rejectReason,
    rejectNote: doc.rejectNote,
    expired: isExpired(doc, today),
    createdAt: iso(doc.createdAt),
  };
}

/**
 * A document type is satisfied when its newest approved version is still valid. (A newer version
 * under review does not undo an approval that is still good.)
 */
export function satisfied(versions: DocumentRow[], today: string): boolean {
  const approved = versions.find((v) => v.status === 'approved');
  return approved !== undefined && !isExpired(approved, today);
}

/**
 * The one state of an application, from the tenant's status and the current version of each required
 * document (null: not uploaded). A rejection asks for changes before anything else; a missing document
 * keeps the application incomplete; drafts wait to be submitted; otherwise it is with the reviewers.
 */
export function onboardingState(
  tenant: { status: TenantStatus; submitted: boolean },
  current: Array<DocumentStatus | null>,
): OnboardingState {
  if (tenant.status === 'active') return 'approved';
  if (tenant.status === 'suspended') return 'suspended';
  if (current.some((s) => s === 'rejected')) return 'changes_requested';
  if (current.some((s) => s === null))
    return !tenant.submitted && current.every((s) => s === null) ? 'not_started' : 'incomplete';
  if (current.some((s) => s === 'draft')) return 'ready_to_submit';
  return 'in_review';
}
