import type { DocumentStatus, RejectReason, ReviewQueueItem } from '@shopfleet/contracts';
import type { RequestContext, TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { parseJsonColumn, totalOf } from '../../kernel/db/rows';
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

interface StoredDocumentRow {
  id: number;
  tenant_id: number;
  type_code: string;
  status: DocumentStatus;
  fields: unknown;
  sensitive_enc: string | null;
  valid_from: Date | string | null;
  valid_to: Date | string | null;
  long_term: number | boolean;
  submitted_at: Date | null;
  reviewed_at: Date | null;
  reject_reason: RejectReason | null;
  reject_note: string | null;
  reminded_at: Date | null;
  expiry_noticed_at: Date | null;
  created_at: Date;
}

interface FileRow {
  id: number;
  document_id: number | null;
  position: number;
  label: string | null;
  storage_key: string;
  content_type: DocumentFileRow['contentType'];
  size: number;
  pages: number;
  created_at: Date;
}

interface ReviewQueueRow {
  document_id: number;
  type_code: string;
  status: ReviewQueueEntry['status'];
  submitted_at: Date | null;
  tenant_id: number;
}

/** A document in the reviewers' queue (across shops). */
export interface ReviewQueueEntry {
  documentId: number;
  tenantId: number;
  typeCode: string;
  status: ReviewQueueItem['status'];
  submittedAt: Date | null;
}

const toDocument = (r: StoredDocumentRow): DocumentRow => ({
  id: Number(r.id),
  tenantId: Number(r.tenant_id),
  typeCode: String(r.type_code),
  status: r.status,
  fields: (parseJsonColumn(r.fields) as Record<string, string>) ?? {},
  sensitiveEnc: r.sensitive_enc ?? null,
  validFrom: dateOnly(r.valid_from),
  validTo: dateOnly(r.valid_to),
  longTerm: Boolean(r.long_term),
  submittedAt: r.submitted_at ?? null,
  reviewedAt: r.reviewed_at ?? null,
  rejectReason: r.reject_reason ?? null,
  rejectNote: r.reject_note ?? null,
  remindedAt: r.reminded_at ?? null,
  expiryNoticedAt: r.expiry_noticed_at ?? null,
  createdAt: r.created_at,
});

const toFile = (r: FileRow): DocumentFileRow => ({
  id: Number(r.id),
  documentId: r.document_id === null ? null : Number(r.document_id),
  position: Number(r.position),
  label: r.label ?? null,
  storageKey: String(r.storage_key),
  contentType: r.content_type,
  size: Number(r.size),
  pages: Number(r.pages),
  createdAt: r.created_at,
});

const toQueueEntry = (r: ReviewQueueRow): ReviewQueueEntry => ({
  documentId: Number(r.document_id),
  tenantId: Number(r.tenant_id),
  typeCode: String(r.type_code),
  status: r.status,
  submittedAt: r.submitted_at ?? null,
});

/** What a move of a document's status writes with it. */
export interface DocumentMove {
  status: DocumentStatus;
  submittedAt?: Date;
  reviewedAt?: Date;
  reviewedBy?: number | null;
  rejectReason?: RejectReason | null;
  rejectNote?: string | null;
}

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

/**
 * Qualification documents and their files (`qualification_documents`, `qualification_files`, tenant-owned,
 * through the context's tenant scope), and the reviewers' queue (`review_queue`, a platform table).
 */
export function documentsRepository(db: Database) {
  const files = (ctx: TenantContext) => db.scope(ctx).table('qualification_files');
  const documents = (ctx: TenantContext) => db.scope(ctx).table('qualification_documents');
  return {
    async insertFile(
      ctx: TenantContext,
      f: { storageKey: string; contentType: string; size: number; pages: number; sha256: string },
    ): Promise<number> {
      return db.scope(ctx).insert('qualification_files', {
        storage_key: f.storageKey,
        content_type: f.contentType,
        size: f.size,
        pages: f.pages,
        sha256: f.sha256,
      });
    },

    async file(ctx: TenantContext, id: number): Promise<DocumentFileRow | null> {
      const r = (await files(ctx).where({ id }).first()) as FileRow | undefined;
      return r ? toFile(r) : null;
    },

    async filesByIds(ctx: TenantContext, ids: number[]): Promise<DocumentFileRow[]> {
      return ((await files(ctx).whereIn('id', ids)) as FileRow[]).map(toFile);
    },

    async filesOf(ctx: TenantContext, documentIds: number[]): Promise<DocumentFileRow[]> {
      if (documentIds.length === 0) return [];
      return (
        (await files(ctx).whereIn('document_id', documentIds).orderBy(['document_id', 'position'])) as FileRow[]
      ).map(toFile);
    },

    /** Attaches unattached files to a document in order; false if any was taken meanwhile. */
    async attachFiles(
      ctx: TenantContext,
      documentId: number,
      attached: Array<{ id: number; label: string | null }>,
    ): Promise<boolean> {
      for (const [position, f] of attached.entries()) {
        const changed = await files(ctx)
          .where({ id: f.id })
          .whereNull('document_id')
          .update({ document_id: documentId, position, label: f.label });
        if (changed !== 1) return false;
      }
      return true;
    },

    async insertDocument(ctx: TenantContext, d: NewDocument): Promise<number> {
      return db.scope(ctx).insert('qualification_documents', {
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

    async document(ctx: TenantContext, id: number, opts: { forUpdate?: boolean } = {}): Promise<DocumentRow | null> {
      const q = documents(ctx).where({ id });
      if (opts.forUpdate) q.forUpdate();
      const r = (await q.first()) as StoredDocumentRow | undefined;
      return r ? toDocument(r) : null;
    },

    /** Every version of every document, newest first. */
    async documents(ctx: TenantContext): Promise<DocumentRow[]> {
      return ((await documents(ctx).orderBy('id', 'desc')) as StoredDocumentRow[]).map(toDocument);
    },

    async versionsOf(ctx: TenantContext, typeCode: string): Promise<DocumentRow[]> {
      return ((await documents(ctx).where({ type_code: typeCode }).orderBy('id', 'desc')) as StoredDocumentRow[]).map(
        toDocument,
      );
    },

    /** Moves a document from one status to another; false when it was no longer in `from`. */
    async transition(ctx: TenantContext, id: number, from: DocumentStatus[], move: DocumentMove): Promise<boolean> {
      const row: Record<string, unknown> = { status: move.status, updated_at: db.knex.fn.now(3) };
      if (move.submittedAt !== undefined) row.submitted_at = move.submittedAt;
      if (move.reviewedAt !== undefined) row.reviewed_at = move.reviewedAt;
      if (move.reviewedBy !== undefined) row.reviewed_by = move.reviewedBy;
      if (move.rejectReason !== undefined) row.reject_reason = move.rejectReason;
      if (move.rejectNote !== undefined) row.reject_note = move.rejectNote;
      const changed = await documents(ctx).where({ id }).whereIn('status', from).update(row);
      return changed === 1;
    },

    async setFlags(
      ctx: TenantContext,
      id: number,
      flags: { remindedAt?: Date; expiryNoticedAt?: Date },
    ): Promise<void> {
      const row: Record<string, unknown> = {};
      if (flags.remindedAt !== undefined) row.reminded_at = flags.remindedAt;
      if (flags.expiryNoticedAt !== undefined) row.expiry_noticed_at = flags.expiryNoticedAt;
      await documents(ctx).where({ id }).update(row);
    },

    // ---- the reviewers' queue: a platform-level projection, written with the document it mirrors ----

    async enqueueReview(
      ctx: RequestContext,
      q: { documentId: number; tenantId: number; typeCode: string; categoryCode: string | null; submittedAt: Date },
    ): Promise<void> {
      await platformTable(db.conn(ctx), 'review_queue')
        .insert({
          document_id: q.documentId,
          tenant_id: q.tenantId,
          type_code: q.typeCode,
          category_code: q.categoryCode,
          status: 'pending',
          submitted_at: q.submittedAt,
        })
        .onConflict('document_id')
        .merge(['status', 'submitted_at', 'decided_at']);
    },

    async markReview(
      ctx: RequestContext,
      documentId: number,
      status: 'approved' | 'rejected' | 'superseded',
    ): Promise<void> {
      await platformTable(db.conn(ctx), 'review_queue')
        .where({ document_id: documentId })
        .update({ status, decided_at: db.knex.fn.now(3) });
    },

    /**
     * The documents waiting for review: how many, when the oldest was submitted, and the median submission (of two middle
     * ones, the instant between them). Read through the (status, submitted_at) index: a count and two short seeks.
     */
    async pendingSubmissions(
      ctx: RequestContext,
    ): Promise<{ waiting: number; oldest: Date | null; median: Date | null }> {
      const pending = () => platformTable(db.conn(ctx), 'review_queue').where({ status: 'pending' });
      const waiting = totalOf(await pending().count({ total: '*' }));
      if (waiting === 0) return { waiting, oldest: null, median: null };
      const middle = (await pending()
        .orderBy('submitted_at', 'asc')
        .offset(Math.floor((waiting - 1) / 2))
        .limit(waiting % 2 === 0 ? 2 : 1)
        .pluck('submitted_at')) as Date[];
      const oldest = (await pending().orderBy('submitted_at', 'asc').first('submitted_at')) as { submitted_at: Date };
      const at = middle.map((d) => new Date(d).getTime());
      return {
        waiting,
        oldest: new Date(oldest.submitted_at),
        median: new Date(Math.round(at.reduce((a, b) => a + b, 0) / at.length)),
      };
    },

    /** A page of the queue across shops, oldest submission first, and how many it holds. */
    async reviewQueue(
      ctx: RequestContext,
      filter: { status: string; categoryCode?: string; submittedBefore?: Date; page: number; pageSize: number },
    ): Promise<{ rows: ReviewQueueEntry[]; total: number }> {
      const base = () => {
        const q = platformTable(db.conn(ctx), 'review_queue', 'q').where('q.status', filter.status);
        if (filter.categoryCode) q.where('q.category_code', filter.categoryCode);
        if (filter.submittedBefore) q.where('q.submitted_at', '<=', filter.submittedBefore);
        return q;
      };
      const [rows, counted] = await Promise.all([
        base()
          .select('q.document_id', 'q.type_code', 'q.status', 'q.submitted_at', 'q.tenant_id')
          .orderBy([
            { column: 'q.submitted_at', order: 'asc' },
            { column: 'q.document_id', order: 'asc' },
          ])
          .limit(filter.pageSize)
          .offset((filter.page - 1) * filter.pageSize),
        base().count({ total: '*' }),
      ]);
      return { rows: (rows as ReviewQueueRow[]).map(toQueueEntry), total: totalOf(counted) };
    },
  };
}

export type DocumentsRepository = ReturnType<typeof documentsRepository>;
