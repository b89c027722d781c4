import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { CATALOG_JOBS, QUEUES, productInputSchema, type ImportJob, type ImportProductsPayload, type JobFailure, type ProductInput } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { ConflictError, NotFoundError } from '../../kernel/errors';
import { describeJobFailure, jobFailureOf } from '../../kernel/job-failure';
import { TenantScope } from '../../kernel/db/tenant-scope';
import { iso, isoOrNull, parseJsonColumn } from '../../kernel/db/rows';
import type { Queues } from '../../kernel/queue';
import type { Storage } from '../../kernel/storage/s3';
import type { VersionedCache } from '../../kernel/versioned-cache';
import type { AuditService } from '../audit';
import { toProductRow, type CatalogRepository, type CategoryRow } from './catalog.repository';
import { pathOf, type CatalogService } from './catalog.service';
import type { ImagesService } from './images.service';
import { normalizeProduct } from './product-rules';
import { readImportFile, sniffImportFormat, writeImportFile, type ImportFormat, type ImportRow } from './import-file';

const MAX_REPORTED_ERRORS = 500;

/** The job of an import's run: the first run keeps the id imports always had. */
const jobIdOf = (tenantId: number, importId: number, runs: number) => (runs <= 1 ? `import-${tenantId}-${importId}` : `import-${tenantId}-${importId}-r${runs}`);
const BATCH = 200;

interface RowError {
  row: number;
  spuCode: string | null;
  message: string;
}

export interface ImportDeps {
  knex: Knex;
  repo: CatalogRepository;
  catalog: CatalogService;
  images: ImagesService;
  storage: Storage;
  queues: Queues;
  cache: VersionedCache;
  audit: AuditService;
  now?: () => Date;
}

const list = (v: string | undefined) => (v ? v.split('|').map((x) => x.trim()).filter(Boolean) : []);

function pairs(v: string | undefined, row: number, column: string): Array<[string, string]> {
  return list(v).map((p) => {
    const i = p.indexOf(':');
    if (i <= 0 || i === p.length - 1) throw new RowProblem(row, `${column}: "${p}" is not name:value`);
    return [p.slice(0, i).trim(), p.slice(i + 1).trim()];
  });
}

class RowProblem extends Error {
  constructor(
    readonly row: number,
    message: string,
  ) {
    super(message);
  }
}

function wholeNumber(v: string | undefined, row: number, column: string, optional = false): number | null {
  if (!v) {
    if (optional) return null;
    throw new RowProblem(row, `${column} is required`);
  }
  if (!/^\d+$/.test(v)) throw new RowProblem(row, `${column}: "${v}" is not a whole number${column.endsWith('_fen') ? ' of fen' : ''}`);
  return Number(v);
}

/**
 * Imports products from CSV or XLSX as a queued job: one row per SKU, rows with the same spu_code form
 * one product, upserted by spu_code. A product any of whose rows is wrong is rejected whole, and each of
 * its rows is reported with the reason; nothing of it is written. Categories are found by their path
 * of names and created when missing.
 */
export function importService(deps: ImportDeps) {
  const now = deps.now ?? (() => new Date());
  const scopeOf = (ctx: TenantContext, trx?: Knex.Transaction) => new TenantScope(trx ?? deps.knex, ctx.tenantId);

  function toJob(r: Record<string, unknown>): ImportJob {
    return {
      id: Number(r.id),
      format: r.format as ImportFormat,
      fileName: String(r.file_name),
      status: r.status as ImportJob['status'],
      totalRows: Number(r.total_rows),
      processedRows: Number(r.processed_rows),
      createdProducts: Number(r.created_products),
      updatedProducts: Number(r.updated_products),
      rejectedRows: Number(r.rejected_rows),
      errors: (parseJsonColumn(r.errors) as RowError[] | null) ?? [],
      failureReason: (r.failure_reason as string | null) ?? null,
      failure: r.failure_code ? { code: r.failure_code as JobFailure['code'], params: (parseJsonColumn(r.failure_params) as JobFailure['params'] | null) ?? {} } : null,
      checkpointRow: Number(r.checkpoint_row),
      createdAt: iso(r.created_at as Date),
      finishedAt: isoOrNull(r.finished_at as Date | null),
    };
  }

  /** Each run of an import is its own job: the first keeps the id it always had. */
  async function enqueue(ctx: TenantContext, importId: number, runs: number): Promise<void> {
    await deps.queues
      .get(QUEUES.catalogImports)
      .add(CATALOG_JOBS.importProducts, { tenantId: ctx.tenantId, importId } satisfies ImportProductsPayload, { jobId: jobIdOf(ctx.tenantId, importId, runs), attempts: 1 });
  }

  async function job(ctx: TenantContext, id: number): Promise<ImportJob> {
    const r = await scopeOf(ctx).table('catalog_imports').where({ id }).first();
    if (!r) throw new NotFoundError('Import');
    return toJob(r);
  }

  /** Finds or creates the categories of a `Root/Child/Leaf` path of names; returns the leaf id. */
  async function categoryFor(ctx: TenantContext, trx: Knex.Transaction, cache: Map<string, number>, categories: Map<number, CategoryRow>, path: string, row: number): Promise<number> {
    const names = path.split('/').map((n) => n.trim()).filter(Boolean);
    if (names.length === 0 || names.length > 3) throw new RowProblem(row, `category_path: "${path}" must be 1 to 3 names separated by /`);
    if (names.some((n) => n.length > 40)) throw new RowProblem(row, 'category_path: a name is longer than 40 characters');
    let parent: number | null = null;
    for (const [i, name] of names.entries()) {
      const key = `${parent ?? ''}/${name}`;
      let id = cache.get(key);
      if (id === undefined) {
        const siblings = [...categories.values()].filter((c) => c.parent_id === parent);
        const found = siblings.find((c) => c.name === name);
        if (found) id = found.id;
        else {
          const sort = siblings.length ? Math.max(...siblings.map((c) => c.sort)) + 1 : 0;
          id = await scopeOf(ctx, trx).insert('categories', { name, parent_id: parent, level: i + 1, sort });
          categories.set(id, { id, parent_id: parent, name, level: i + 1, sort, icon_image_id: null });
        }
        cache.set(key, id);
      }
      parent = id;
    }
    return parent!;
  }

  /** Builds one product's input from its rows, or throws the first problem found. */
  function productFrom(rows: ImportRow[], categoryId: number, imageIds: number[]): ProductInput {
    const first = rows[0]!;
    const specNames: string[] = [];
    const specValues = new Map<string, string[]>();
    const skus = rows.map((r) => {
      const pairsOfRow = pairs(r.spec_values, r._row, 'spec_values');
      for (const [name, value] of pairsOfRow) {
        if (!specValues.has(name)) {
          specNames.push(name);
          specValues.set(name, []);
        }
        if (!specValues.get(name)!.includes(value)) specValues.get(name)!.push(value);
      }
      const byName = new Map(pairsOfRow);
      return {
        row: r._row,
        names: pairsOfRow.map(([n]) => n),
        byName,
        code: r.sku_code || undefined,
        priceFen: wholeNumber(r.price_fen, r._row, 'price_fen')!,
        originalPriceFen: wholeNumber(r.original_price_fen, r._row, 'original_price_fen', true),
        stock: wholeNumber(r.stock, r._row, 'stock')!,
      };
    });
    for (const s of skus) {
      if (s.names.length !== specNames.length || s.names.some((n) => !specNames.includes(n))) {
        throw new RowProblem(s.row, `spec_values must name the same specs on every row of ${first.spu_code} (${specNames.join(', ') || 'none'})`);
      }
    }
    const status = first.status || 'draft';
    return {
      title: first.title ?? '',
      subtitle: first.subtitle ?? '',
      brand: first.brand ?? '',
      tags: list(first.tags),
      descriptionHtml: first.description ?? '',
      categoryId,
      imageIds,
      attributes: Object.fromEntries(pairs(first.attributes, first._row, 'attributes')),
      specs: specNames.map((name) => ({ name, values: specValues.get(name)! })),
      skus: skus.map((s) => ({ specValues: specNames.map((n) => s.byName.get(n)!), code: s.code, priceFen: s.priceFen, originalPriceFen: s.originalPriceFen, stock: s.stock })),
      status: status as ProductInput['status'],
    };
  }

  return {
    job,

    async list(ctx: TenantContext): Promise<ImportJob[]> {
      return ((await scopeOf(ctx).table('catalog_imports').orderBy('id', 'desc').limit(20)) as Array<Record<string, unknown>>).map(toJob);
    },

    /**
     * Accepts a file: its format is read from the bytes, its header checked at once (a wrong file is a
     * 400, not a failed job), then it is stored privately and the import is queued.
     */
    async start(ctx: TenantContext, file: { buffer: Buffer; originalName: string }): Promise<ImportJob> {
      const format = sniffImportFormat(file.buffer);
      const { rows } = await readImportFile(file.buffer, format);
      const key = `tenants/${ctx.tenantId}/imports/${randomUUID()}.${format}`;
      await deps.storage.put({ visibility: 'private', key, body: file.buffer, contentType: format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
      const id = await scopeOf(ctx).insert('catalog_imports', {
        format,
        file_name: file.originalName.slice(0, 200) || `import.${format}`,
        storage_key: key,
        total_rows: rows.length,
        created_by: ctx.actor.type === 'merchant' ? ctx.actor.userId : null,
        updated_at: now(),
      });
      await deps.audit.record(ctx, { action: 'catalog.import.started', targetType: 'catalog_import', targetId: id, data: { format, rows: rows.length } });
      await enqueue(ctx, id, 1);
      return job(ctx, id);
    },

    /**
     * Runs an import (the worker calls this), from its checkpoint: products go in batches, each batch
     * committed with the import's counts and checkpoint in one transaction, so a run that stops (its
     * worker killed, Redis lost) and runs again writes no product twice and skips none. A finished
     * import is left as it is.
     */
    async run(ctx: TenantContext, importId: number): Promise<ImportJob> {
      const scope = scopeOf(ctx);
      const record = await scope.table('catalog_imports').where({ id: importId }).first();
      if (!record) throw new NotFoundError('Import');
      if (record.status === 'done' || record.status === 'failed') return toJob(record);
      await scope.table('catalog_imports').where({ id: importId }).update({ status: 'running', updated_at: now() });
      const bytes = await deps.storage.getBuffer('private', String(record.storage_key));
      const { rows } = await readImportFile(bytes, record.format as ImportFormat);
      // Products in the order of their first row; a row without spu_code is rejected on its own.
      const units = new Map<string, ImportRow[]>();
      for (const r of rows) {
        const key = r.spu_code ? `spu:${r.spu_code}` : `row:${r._row}`;
        units.set(key, [...(units.get(key) ?? []), r]);
      }
      const checkpoint = Number(record.checkpoint_row);
      const todo = [...units.values()].filter((unitRows) => unitRows[0]!._row > checkpoint);
      // What the runs before this one wrote stays counted; the errors kept are the first reported.
      const reported = (parseJsonColumn(record.errors) as RowError[] | null) ?? [];
      const errors: RowError[] = [...reported];
      const rejectedBefore = Number(record.rejected_rows) - reported.length;
      let created = Number(record.created_products);
      let updated = Number(record.updated_products);
      let processed = Number(record.processed_rows);
      const categoryCache = new Map<string, number>();
      for (let i = 0; i < todo.length; i += BATCH) {
        const batch = todo.slice(i, i + BATCH);
        const products = batch.filter((unitRows) => unitRows[0]!.spu_code).map((unitRows) => [unitRows[0]!.spu_code!, unitRows] as const);
        await deps.knex.transaction(async (trx) => {
          const txScope = scopeOf(ctx, trx);
          const categories = await deps.catalog.categoryMap(ctx, trx);
          // Facets and search terms are written once for the whole batch.
          const indexed: Array<Parameters<CatalogRepository['reindex']>[1][number]> = [];
          const existingBySpu = new Map(
            products.length
              ? ((await txScope.table('products').whereIn('spu_code', products.map(([spu]) => spu)).select('*')) as Array<Record<string, unknown>>).map((r) => [String(r.spu_code), toProductRow(r)])
              : [],
          );
          let batchCreated = 0;
          let batchUpdated = 0;
          const batchErrors: RowError[] = [];
          for (const groupRows of batch) {
            const spuCode = groupRows[0]!.spu_code;
            if (!spuCode) {
              batchErrors.push({ row: groupRows[0]!._row, spuCode: null, message: 'spu_code is required' });
              continue;
            }
            try {
              if (spuCode.length > 64) throw new RowProblem(groupRows[0]!._row, 'spu_code is longer than 64 characters');
              const categoryId = await categoryFor(ctx, trx, categoryCache, categories, groupRows[0]!.category_path ?? '', groupRows[0]!._row);
              const urls = list(groupRows[0]!.image_urls);
              if (urls.some((u) => !/^https?:\/\/\S{1,480}$/.test(u))) throw new RowProblem(groupRows[0]!._row, 'image_urls must be http(s) URLs');
              const input = productFrom(groupRows, categoryId, []);
              const parsed = productInputSchema.safeParse(input);
              if (!parsed.success) {
                const issue = parsed.error.issues[0]!;
                throw new RowProblem(groupRows[0]!._row, `${issue.path.join('.')}: ${issue.message}`);
              }
              const { product, problems } = normalizeProduct(parsed.data);
              if (problems.length) throw new RowProblem(groupRows[0]!._row, problems.map((p) => `${p.path.replace(/^body\./, '')}: ${p.message}`).join('; '));
              const imageIds = await deps.images.fromUrls(ctx, urls, trx);
              const existing = existingBySpu.get(spuCode) ?? null;
              const savedId = await deps.repo.saveProduct(txScope, { ...product, imageIds, spuCode, path: pathOf(categories, categoryId) }, existing, now(), { deferIndex: true });
              indexed.push({ id: savedId, ...product });
              if (existing) batchUpdated++;
              else batchCreated++;
            } catch (err) {
              if (!(err instanceof RowProblem)) throw err;
              for (const r of groupRows) {
                batchErrors.push({ row: r._row, spuCode, message: r._row === err.row ? err.message : `rejected with row ${err.row} of the same product` });
              }
            }
          }
          const updatedIds = new Set([...existingBySpu.values()].map((e) => e.id));
          await deps.repo.reindex(txScope, indexed.filter((p) => !updatedIds.has(p.id)), { fresh: true });
          await deps.repo.reindex(txScope, indexed.filter((p) => updatedIds.has(p.id)));
          const batchRows = batch.reduce((n, unitRows) => n + unitRows.length, 0);
          // The checkpoint moves with the products it covers, in the same transaction.
          await txScope.table('catalog_imports').where({ id: importId }).update({
            checkpoint_row: batch[batch.length - 1]![0]!._row,
            processed_rows: processed + batchRows,
            created_products: created + batchCreated,
            updated_products: updated + batchUpdated,
            rejected_rows: rejectedBefore + errors.length + batchErrors.length,
            errors: JSON.stringify([...errors, ...batchErrors].slice(0, MAX_REPORTED_ERRORS)),
            updated_at: now(),
          });
          created += batchCreated;
          updated += batchUpdated;
          processed += batchRows;
          errors.push(...batchErrors);
        });
      }
      errors.sort((a, b) => a.row - b.row);
      await scope.table('catalog_imports').where({ id: importId }).update({
        status: 'done',
        processed_rows: rows.length,
        created_products: created,
        updated_products: updated,
        rejected_rows: rejectedBefore + errors.length,
        errors: JSON.stringify(errors.slice(0, MAX_REPORTED_ERRORS)),
        finished_at: now(),
        updated_at: now(),
      });
      await deps.cache.bump(ctx.tenantId);
      return job(ctx, importId);
    },

    /**
     * An import whose job gave up (the worker calls this; so does the sweep for a lost job): it ends
     * as failed with the reason, once. The products written before stay, and are shown to shoppers.
     */
    async fail(ctx: TenantContext, importId: number, failure: JobFailure): Promise<boolean> {
      const changed = await scopeOf(ctx)
        .table('catalog_imports')
        .where({ id: importId })
        .whereIn('status', ['queued', 'running'])
        .update({ status: 'failed', failure_code: failure.code, failure_params: JSON.stringify(failure.params), failure_reason: describeJobFailure(failure).slice(0, 500), finished_at: now(), updated_at: now() });
      if (!changed) return false;
      ctx.log.warn({ importId, failure }, 'import failed');
      await deps.cache.bump(ctx.tenantId);
      return true;
    },

    /** Runs a failed import again from its checkpoint, as a new job; an import that is not failed is a 409. */
    async retry(ctx: TenantContext, importId: number): Promise<ImportJob> {
      const current = await job(ctx, importId);
      const changed = await scopeOf(ctx)
        .table('catalog_imports')
        .where({ id: importId, status: 'failed' })
        .update({ status: 'queued', runs: deps.knex.raw('runs + 1'), failure_code: null, failure_params: null, failure_reason: null, finished_at: null, updated_at: now() });
      if (!changed) throw new ConflictError(`This import is ${current.status}; only a failed import can be retried`, { status: current.status });
      const record = await scopeOf(ctx).table('catalog_imports').where({ id: importId }).first('runs');
      await deps.audit.record(ctx, { action: 'catalog.import.retried', targetType: 'catalog_import', targetId: importId, data: { fromRow: current.checkpointRow } });
      await enqueue(ctx, importId, Number(record.runs));
      return job(ctx, importId);
    },

    /**
     * Ends as failed every import of this shop that waits for a job the queue no longer has, or whose
     * job failed without the import hearing of it (a worker that died before telling it, a platform
     * stopped between recording an import and queueing it). Imports touched within `graceMs` are left.
     */
    async sweepLost(ctx: TenantContext, graceMs: number): Promise<number> {
      const open = (await scopeOf(ctx)
        .table('catalog_imports')
        .whereIn('status', ['queued', 'running'])
        .where((w) => w.where('updated_at', '<=', new Date(now().getTime() - graceMs)).orWhere((n) => n.whereNull('updated_at').where('created_at', '<=', new Date(now().getTime() - graceMs))))
        .select('id', 'runs')) as Array<{ id: number; runs: number }>;
      let ended = 0;
      for (const r of open) {
        const queued = await deps.queues.get(QUEUES.catalogImports).getJob(jobIdOf(ctx.tenantId, Number(r.id), Number(r.runs)));
        const state = queued ? await queued.getState() : 'missing';
        let failure: JobFailure | null = null;
        if (state === 'failed') failure = jobFailureOf(queued!);
        else if (state === 'missing' || state === 'completed' || state === 'unknown') failure = { code: 'JOB_LOST', params: {} };
        if (failure && (await this.fail(ctx, Number(r.id), failure))) ended++;
      }
      return ended;
    },

    /** The catalog in the import format: one row per SKU. */
    async export(ctx: TenantContext, format: ImportFormat): Promise<Buffer> {
      const scope = scopeOf(ctx);
      const categories = await deps.catalog.categoryMap(ctx);
      const products = ((await scope.table('products').whereNull('deleted_at').orderBy('id')) as Array<Record<string, unknown>>).map((r) => ({ raw: r, row: r }));
      const skus = await deps.repo.skus(scope, products.map((p) => Number(p.raw.id)));
      const imageRows = (await scope.table('catalog_images').select('id', 'key_prefix', 'external_url')) as Array<{ id: number; key_prefix: string | null; external_url: string | null }>;
      const imageUrl = new Map(imageRows.map((i) => [Number(i.id), i.external_url ?? deps.storage.publicUrl(`${i.key_prefix}/large.jpg`)]));
      const out: Array<Record<string, string | number>> = [];
      for (const { raw } of products) {
        const id = Number(raw.id);
        const specs = (parseJsonColumn(raw.specs) as Array<{ name: string }>) ?? [];
        const path = pathOf(categories, Number(raw.category_id)).map((c) => categories.get(c)!.name).join('/');
        for (const s of skus.filter((k) => k.product_id === id)) {
          out.push({
            spu_code: (raw.spu_code as string | null) ?? `P${id}`,
            title: String(raw.title),
            subtitle: String(raw.subtitle),
            brand: String(raw.brand),
            category_path: path,
            tags: ((parseJsonColumn(raw.tags) as string[]) ?? []).join('|'),
            description: String(raw.description_html),
            image_urls: ((parseJsonColumn(raw.image_ids) as number[]) ?? []).flatMap((i) => (imageUrl.has(i) ? [imageUrl.get(i)!] : [])).join('|'),
            attributes: Object.entries((parseJsonColumn(raw.attributes) as Record<string, string>) ?? {}).map(([k, v]) => `${k}:${v}`).join('|'),
            status: String(raw.status),
            sku_code: s.code ?? '',
            spec_values: specs.map((sp, i) => `${sp.name}:${s.spec_values[i]}`).join('|'),
            price_fen: s.price_fen,
            original_price_fen: s.original_price_fen ?? '',
            stock: s.stock,
          });
        }
      }
      return writeImportFile(out, format);
    },
  };
}

export type ImportService = ReturnType<typeof importService>;
