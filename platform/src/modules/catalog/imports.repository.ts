import type { ImportJob, ImportRowError, JobFailure } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { iso, isoOrNull, parseJsonColumn } from '../../kernel/db/rows';

/** An import as stored: what the merchant sees of it (its job), the file it reads and how many runs it had. */
export interface StoredImport extends ImportJob {
  storageKey: string;
  runs: number;
}

interface ImportRow {
  id: number;
  format: ImportJob['format'];
  file_name: string;
  storage_key: string;
  status: ImportJob['status'];
  total_rows: number;
  processed_rows: number;
  created_products: number;
  updated_products: number;
  rejected_rows: number;
  errors: unknown;
  failure_reason: string | null;
  failure_code: JobFailure['code'] | null;
  failure_params: unknown;
  checkpoint_row: number;
  runs: number;
  created_at: Date;
  finished_at: Date | null;
}

const toImport = (r: ImportRow): StoredImport => ({
  id: Number(r.id),
  format: r.format,
  fileName: String(r.file_name),
  storageKey: String(r.storage_key),
  status: r.status,
  totalRows: Number(r.total_rows),
  processedRows: Number(r.processed_rows),
  createdProducts: Number(r.created_products),
  updatedProducts: Number(r.updated_products),
  rejectedRows: Number(r.rejected_rows),
  errors: (parseJsonColumn(r.errors) as ImportRowError[] | null) ?? [],
  failureReason: r.failure_reason ?? null,
  failure: r.failure_code
    ? { code: r.failure_code, params: (parseJsonColumn(r.failure_params) as JobFailure['params'] | null) ?? {} }
    : null,
  checkpointRow: Number(r.checkpoint_row),
  runs: Number(r.runs),
  createdAt: iso(r.created_at),
  finishedAt: isoOrNull(r.finished_at),
});

/** The counts an import's run has reached. */
export interface ImportProgress {
  processedRows: number;
  createdProducts: number;
  updatedProducts: number;
  rejectedRows: number;
}

/** `catalog_imports`: product imports, their counts, checkpoint and rejected rows. */
export function importsRepository(db: Database) {
  const imports = (ctx: TenantContext) => db.scope(ctx).table('catalog_imports');
  return {
    async byId(ctx: TenantContext, id: number): Promise<StoredImport | null> {
      const r = (await imports(ctx).where({ id }).first()) as ImportRow | undefined;
      return r ? toImport(r) : null;
    },

    /** The shop's latest imports, newest first. */
    async latest(ctx: TenantContext, limit: number): Promise<StoredImport[]> {
      return ((await imports(ctx).orderBy('id', 'desc').limit(limit)) as ImportRow[]).map(toImport);
    },

    /** Records a new import (queued); returns its id. */
    async insert(
      ctx: TenantContext,
      i: {
        format: ImportJob['format'];
        fileName: string;
        storageKey: string;
        totalRows: number;
        createdBy: number | null;
        at: Date;
      },
    ): Promise<number> {
      return db.scope(ctx).insert('catalog_imports', {
        format: i.format,
        file_name: i.fileName,
        storage_key: i.storageKey,
        total_rows: i.totalRows,
        created_by: i.createdBy,
        updated_at: i.at,
      });
    },

    async markRunning(ctx: TenantContext, id: number, at: Date): Promise<void> {
      await imports(ctx).where({ id }).update({ status: 'running', updated_at: at });
    },

    /** Moves the checkpoint with the counts (and the errors kept, when they changed). */
    async saveProgress(
      ctx: TenantContext,
      id: number,
      p: ImportProgress & { checkpointRow: number; errors: ImportRowError[] | null },
      at: Date,
    ): Promise<void> {
      await imports(ctx)
        .where({ id })
        .update({
          checkpoint_row: p.checkpointRow,
          processed_rows: p.processedRows,
          created_products: p.createdProducts,
          updated_products: p.updatedProducts,
          rejected_rows: p.rejectedRows,
          ...(p.errors ? { errors: JSON.stringify(p.errors) } : {}),
          updated_at: at,
        });
    },

    async finish(
      ctx: TenantContext,
      id: number,
      p: ImportProgress & { errors: ImportRowError[] },
      at: Date,
    ): Promise<void> {
      await imports(ctx)
        .where({ id })
        .update({
          status: 'done',
          processed_rows: p.processedRows,
          created_products: p.createdProducts,
          updated_products: p.updatedProducts,
          rejected_rows: p.rejectedRows,
          errors: JSON.stringify(p.errors),
          finished_at: at,
          updated_at: at,
        });
    },

    /** Ends a queued or running import as failed; false when it was neither. */
    async fail(ctx: TenantContext, id: number, failure: JobFailure, reason: string, at: Date): Promise<boolean> {
      const changed = await imports(ctx)
        .where({ id })
        .whereIn('status', ['queued', 'running'])
        .update({
          status: 'failed',
          failure_code: failure.code,
          failure_params: JSON.stringify(failure.params),
          failure_reason: reason,
          finished_at: at,
          updated_at: at,
        });
      return changed > 0;
    },

    /** Queues a failed import again as its next run; false when it was not failed. */
    async requeueFailed(ctx: TenantContext, id: number, at: Date): Promise<boolean> {
      const changed = await imports(ctx)
        .where({ id, status: 'failed' })
        .update({
          status: 'queued',
          runs: db.knex.raw('runs + 1'),
          failure_code: null,
          failure_params: null,
          failure_reason: null,
          finished_at: null,
          updated_at: at,
        });
      return changed > 0;
    },

    /** Queued or running imports untouched since `before`. */
    async openSince(ctx: TenantContext, before: Date): Promise<Array<{ id: number; runs: number }>> {
      const rows = (await imports(ctx)
        .whereIn('status', ['queued', 'running'])
        .where((w) =>
          w
            .where('updated_at', '<=', before)
            .orWhere((n) => n.whereNull('updated_at').where('created_at', '<=', before)),
        )
        .select('id', 'runs')) as Array<Pick<ImportRow, 'id' | 'runs'>>;
      return rows.map((r) => ({ id: Number(r.id), runs: Number(r.runs) }));
    },
  };
}

export type ImportsRepository = ReturnType<typeof importsRepository>;
