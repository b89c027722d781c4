import type { Knex } from 'knex';
import type { DocumentStatus, RejectReason } from '@shopfleet/contracts';
import { TenantScope } from '../../kernel/db/tenant-scope';
import { parseJsonColumn } from '../../kernel/db/rows';
import { platformTable } from '../../kernel/db/platform-db';

export interface DocumentFileRow {
  id: number;
  documentId: number | null;
  position: number;
  label: string | null;
  storageKey: string;
  contentType: 'image/jpeg' | 'image/png' | 'application/pdf';
  size: number;
  pages: number;
  createdAt: Date;
}

export interface DocumentRow {
  id: number;
  tenantId: number;
  typeCode: string;
  status: DocumentStatus;
  /** Field values, sensitive ones already masked. */
  fields: Record<string, string>;
  sensitiveEnc: string | null;
  validFrom: string | null;
  validTo: string | null;
  longTerm: boolean;
  submittedAt: Date | null;
  reviewedAt: Date | null;
  rejectReason: RejectReason | null;
  rejectNote: string | null;
  remindedAt: Date | null;
  expiryNoticedAt: Date | null;
  createdAt: Date;
}

/** A DATE column as YYYY-MM-DD, whatever the driver hands back. */
function dateOnly(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

const toDocument = (r: Record<string, unknown>): DocumentRow => ({
  id: Number(r.id),
  tenantId: Number(r.tenant_id),
  typeCode: String(r.type_code),
  status: r.status as DocumentStatus,
  fields: (parseJsonColumn(r.fields) as Record<string, string>) ?? {},
  sensitiveEnc: (r.sensitive_enc as string | null) ?? null,
  validFrom: dateOnly(r.valid_from),
  validTo: dateOnly(r.valid_to),
  longTerm: Boolean(r.long_term),
  submittedAt: (r.submitted_at as Date | null) ?? null,
  reviewedAt: (r.reviewed_at as Date | null) ?? null,
  rejectReason: (r.reject_reason as RejectReason | null) ?? null,
  rejectNote: (r.reject_note as string | null) ?? null,
  remindedAt: (r.reminded_at as Date | null) ?? null,
  expiryNoticedAt: (r.expiry_noticed_at as Date | null) ?? null,
  createdAt: r.created_at as Date,
});

const toFile = (r: Record<string, unknown>): DocumentFileRow => ({
  id: Number(r.id),
  documentId: r.document_id === null ? null : Number(r.document_id),
  position: Number(r.position),
  label: (r.label as string | null) ?? null,
  storageKey: String(r.storage_key),
  contentType: r.content_type as DocumentFileRow['contentType'],
  size: Number(r.size),
  pages: Number(r.pages),
  createdAt: r.created_at as Date,
});

export interface NewDocument {
  typeCode: string;
  status: 'draft' | 'pending';
  fields: Record<string, string>;
  sensitiveEnc: string | null;
  validFrom: string | null;
  validTo: string | null;
  longTerm: boolean;
  submittedAt: Date | null;
}

/** Qualification documents and their files: tenant-owned, every query through the tenant scope. */
export function documentsRepository(knex: Knex) {
  return {
    async insertFile(scope: TenantScope, f: { storageKey: string; contentType: string; size: number; pages: number; sha256: string }): Promise<number> {
      return scope.insert('qualification_files', { storage_key: f.storageKey, content_type: f.contentType, size: f.size, pages: f.pages, sha256: f.sha256 });
    },

    async file(scope: TenantScope, id: number): Promise<DocumentFileRow | null> {
      const r = await scope.table('qualification_files').where({ id }).first();
      return r ? toFile(r) : null;
    },

    async filesByIds(scope: TenantScope, ids: number[]): Promise<DocumentFileRow[]> {
      return ((await scope.table('qualification_files').whereIn('id', ids)) as Array<Record<string, unknown>>).map(toFile);
    },

    async filesOf(scope: TenantScope, documentIds: number[]): Promise<DocumentFileRow[]> {
      if (documentIds.length === 0) return [];
      return ((await scope.table('qualification_files').whereIn('document_id', documentIds).orderBy(['document_id', 'position'])) as Array<Record<string, unknown>>).map(toFile);
    },

    /** Attaches unattached files to a document in order; false if any was taken meanwhile. */
    async attachFiles(scope: TenantScope, documentId: number, files: Array<{ id: number; label: string | null }>): Promise<boolean> {
      for (const [position, f] of files.entries()) {
        const changed = await scope.table('qualification_files').where({ id: f.id }).whereNull('document_id').update({ document_id: documentId, position, label: f.label });
        if (changed !== 1) return false;
      }
      return true;
    },

    async insertDocument(scope: TenantScope, d: NewDocument): Promise<number> {
      return scope.insert('qualification_documents', {
        type_code: d.typeCode,
        status: d.status,
        fields: JSON.stringify(d.fields),
        sensitive_enc: d.sensitiveEnc,
        valid_from: d.validFrom,
        valid_to: d.validTo,
        long_term: d.longTerm,
        submitted_at: d.submittedAt,
      });
    },

    async document(scope: TenantScope, id: number, opts: { forUpdate?: boolean } = {}): Promise<DocumentRow | null> {
      const q = scope.table('qualification_documents').where({ id });
      if (opts.forUpdate) q.forUpdate();
      const r = await q.first();
      return r ? toDocument(r) : null;
    },

    /** Every version of every document, newest first. */
    async documents(scope: TenantScope): Promise<DocumentRow[]> {
      return ((await scope.table('qualification_documents').orderBy('id', 'desc')) as Array<Record<string, unknown>>).map(toDocument);
    },

    async versionsOf(scope: TenantScope, typeCode: string): Promise<DocumentRow[]> {
      return ((await scope.table('qualification_documents').where({ type_code: typeCode }).orderBy('id', 'desc')) as Array<Record<string, unknown>>).map(toDocument);
    },

    /** Moves a document from one status to another; false when it was no longer in `from`. */
    async transition(scope: TenantScope, id: number, from: DocumentStatus[], patch: Record<string, unknown> & { status: DocumentStatus }): Promise<boolean> {
      const changed = await scope
        .table('qualification_documents')
        .where({ id })
        .whereIn('status', from)
        .update({ ...patch, updated_at: knex.fn.now(3) });
      return changed === 1;
    },

    async setFlags(scope: TenantScope, id: number, flags: { reminded_at?: Date; expiry_noticed_at?: Date }): Promise<void> {
      await scope.table('qualification_documents').where({ id }).update(flags);
    },

    // ---- the reviewers' queue: a platform-level projection, written with the document it mirrors ----

    async enqueueReview(trx: Knex.Transaction, q: { documentId: number; tenantId: number; typeCode: string; categoryCode: string | null; submittedAt: Date }): Promise<void> {
      await platformTable(trx, 'review_queue')
        .insert({ document_id: q.documentId, tenant_id: q.tenantId, type_code: q.typeCode, category_code: q.categoryCode, status: 'pending', submitted_at: q.submittedAt })
        .onConflict('document_id')
        .merge(['status', 'submitted_at', 'decided_at']);
    },

    async markReview(trx: Knex.Transaction, documentId: number, status: 'approved' | 'rejected' | 'superseded'): Promise<void> {
      await platformTable(trx, 'review_queue').where({ document_id: documentId }).update({ status, decided_at: knex.fn.now(3) });
    },

    async reviewQueue(filter: { status: string; categoryCode?: string; submittedBefore?: Date; page: number; pageSize: number }) {
      const base = () => {
        const q = platformTable(knex, 'review_queue', 'q').where('q.status', filter.status);
        if (filter.categoryCode) q.where('q.category_code', filter.categoryCode);
        if (filter.submittedBefore) q.where('q.submitted_at', '<=', filter.submittedBefore);
        return q;
      };
      const [rows, counted] = await Promise.all([
        base()
          .select('q.document_id', 'q.type_code', 'q.status', 'q.submitted_at', 'q.tenant_id')
          .orderBy([{ column: 'q.submitted_at', order: 'asc' }, { column: 'q.document_id', order: 'asc' }])
          .limit(filter.pageSize)
          .offset((filter.page - 1) * filter.pageSize),
        base().count({ total: '*' }),
      ]);
      return { rows: rows as Array<Record<string, unknown>>, counted };
    },
  };
}

export type DocumentsRepository = ReturnType<typeof documentsRepository>;
