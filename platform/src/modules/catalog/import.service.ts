import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  CATALOG_JOBS,
  IMPORT_CHINESE_HEADERS,
  IMPORT_COLUMNS,
  IMPORT_READ_COLUMNS,
  IMPORT_REPORT_HEADERS,
  IMPORT_STATUS_ALIASES,
  PRODUCT_STATUSES,
  QUEUES,
  formatImportRowError,
  productInputSchema,
  type ImportJob,
  type ImportLanguage,
  type ImportProductsPayload,
  type ImportReadColumn,
  type ImportRowError,
  type ImportRowErrorCode,
  type JobFailure,
  type ProductInput,
} from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { ConflictError, NotFoundError } from '../../kernel/errors';
import { describeJobFailure, jobFailureOf } from '../../kernel/job-failure';
import { fenOf, yuan } from '../../kernel/money';
import type { Transactions } from '../../kernel/db/database';
import type { Queues } from '../../kernel/queue';
import { writeTable } from '../../kernel/spreadsheet';
import type { Storage } from '../../kernel/storage/s3';
import type { VersionedCache } from '../../kernel/versioned-cache';
import type { AuditService } from '../audit';
import type { CatalogRepository, Category, IndexedProduct } from './catalog.repository';
import type { ImportsRepository, StoredImport } from './imports.repository';
import { pathOf, type CatalogService } from './catalog.service';
import type { ImagesService } from './images.service';
import { normalizeProduct, type Problem } from './product-rules';
import {
  checkImportFile,
  readImportGroups,
  readImportRows,
  writeImportFile,
  type ImportFormat,
  type ImportGroup,
  type ImportRow,
} from './import-file';

const MAX_REPORTED_ERRORS = 500;

/** The job of an import's run: the first run keeps the id imports always had. */
const jobIdOf = (tenantId: number, importId: number, runs: number) =>
  runs <= 1 ? `import-${tenantId}-${importId}` : `import-${tenantId}-${importId}-r${runs}`;
const BATCH = 200;

type RowError = ImportRowError;

/** The rejected rows: every one counted, the first MAX_REPORTED_ERRORS by row kept (a file may reject 200,000). */
class ErrorReport {
  /** Whether the errors kept changed since `takeChanged` last gave them out. */
  private changed = false;
  /** The row of the last error kept when the report was last trimmed full: later rows are never kept. */
  private bound = Infinity;

  /** `count` rejected rows so far, of which `kept` are the first by row (a resumed run goes on from them). */
  constructor(
    public count = 0,
    private kept: RowError[] = [],
  ) {}

  push(error: RowError): void {
    this.count++;
    // Once the report has been full, an error after the last row it kept can never be among the first.
    if (error.row > this.bound) return;
    this.kept.push(error);
    this.changed = true;
    if (this.kept.length >= 2 * MAX_REPORTED_ERRORS) this.trim();
  }

  first(): RowError[] {
    this.trim();
    return this.kept;
  }

  /** The first errors if they changed since the last call, else null: a batch rewrites them only then. */
  takeChanged(): RowError[] | null {
    if (!this.changed) return null;
    this.changed = false;
    return this.first();
  }

  private trim(): void {
    this.kept.sort((a, b) => a.row - b.row);
    this.kept.splice(MAX_REPORTED_ERRORS);
    if (this.kept.length === MAX_REPORTED_ERRORS) this.bound = this.kept[MAX_REPORTED_ERRORS - 1]!.row;
  }
}
type Params = ImportRowError['params'];

/** A row error: its code and params, and the English text as a fallback for clients without the code. */
function rowError(row: number, spuCode: string | null, code: ImportRowErrorCode, params: Params = {}): RowError {
  return { row, spuCode, code, params, message: formatImportRowError({ code, params }, 'en') };
}

export interface ImportDeps {
  repo: CatalogRepository;
  imports: ImportsRepository;
  tx: Transactions;
  catalog: CatalogService;
  images: ImagesService;
  storage: Storage;
  queues: Queues;
  cache: VersionedCache;
  audit: AuditService;
  now?: () => Date;
}

const list = (v: string | undefined) =>
  v
    ? v
        .split('|')
        .map((x) => x.trim())
        .filter(Boolean)
    : [];

function pairs(v: string | undefined, row: number, column: ImportReadColumn): Array<[string, string]> {
  return list(v).map((p) => {
    // A full-width colon (：) is what a Chinese keyboard types.
    const i = p.replace('：', ':').indexOf(':');
    if (i <= 0 || i === p.length - 1) throw new RowProblem(row, 'NOT_PAIR', { column, value: p });
    return [p.slice(0, i).trim(), p.slice(i + 1).trim()];
  });
}

class RowProblem extends Error {
  constructor(
    readonly row: number,
    readonly code: ImportRowErrorCode,
    readonly params: Params = {},
  ) {
    super(formatImportRowError({ code, params }, 'en'));
  }
}

function wholeNumber(v: string | undefined, row: number, column: ImportReadColumn, optional = false): number | null {
  if (!v) {
    if (optional) return null;
    throw new RowProblem(row, 'REQUIRED', { column });
  }
  if (!/^\d+$/.test(v))
    throw new RowProblem(row, column.endsWith('_fen') ? 'NOT_FEN' : 'NOT_WHOLE_NUMBER', { column, value: v });
  return Number(v);
}

/** Yuan as a sheet writes it ("59", "59.9", "￥1,299.00") in exact fen. */
function yuanAsFen(v: string, row: number, column: ImportReadColumn): number {
  let text = v.replace(/^[¥￥]\s*/, '');
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) text = text.replace(/,/g, '');
  const fen = fenOf(text);
  if (fen === null) throw new RowProblem(row, 'NOT_YUAN', { column, value: v });
  return fen;
}

/** A SKU's price from whichever column the file has: fen or yuan. */
function price(r: ImportRow, kind: 'price' | 'original_price', optional = false): number | null {
  const yuanText = r[`${kind}_yuan`];
  if (yuanText) return yuanAsFen(yuanText, r._row, `${kind}_yuan`);
  if (r[`${kind}_fen`] === undefined && r[`${kind}_yuan`] !== undefined) {
    if (optional) return null;
    throw new RowProblem(r._row, 'REQUIRED', { column: `${kind}_yuan` });
  }
  return wholeNumber(r[`${kind}_fen`], r._row, `${kind}_fen`, optional);
}

/** A status in English or as a Chinese sheet writes it (在售, 下架, 草稿); draft when empty. */
function statusOf(v: string | undefined, row: number): ProductInput['status'] {
  if (!v) return 'draft';
  const status = (PRODUCT_STATUSES as readonly string[]).includes(v)
    ? (v as ProductInput['status'])
    : IMPORT_STATUS_ALIASES[v];
  if (!status) throw new RowProblem(row, 'STATUS_INVALID', { value: v });
  return status;
}

/** The import column of a field of the product input (`skus.2.priceFen` is the price of the third row). */
function columnOfField(path: readonly PropertyKey[], yuanPrices: boolean): ImportReadColumn {
  const [head, , field] = path.map(String);
  const fields: Record<string, ImportReadColumn> = {
    title: 'title',
    subtitle: 'subtitle',
    brand: 'brand',
    tags: 'tags',
    descriptionHtml: 'description',
    imageIds: 'image_urls',
    attributes: 'attributes',
    specs: 'spec_values',
    status: 'status',
    specValues: 'spec_values',
    code: 'sku_code',
    priceFen: yuanPrices ? 'price_yuan' : 'price_fen',
    originalPriceFen: yuanPrices ? 'original_price_yuan' : 'original_price_fen',
    stock: 'stock',
  };
  const column = head === 'skus' ? fields[field ?? 'specValues'] : fields[head ?? ''];
  return column ?? (IMPORT_READ_COLUMNS.includes(head as ImportReadColumn) ? (head as ImportReadColumn) : 'spu_code');
}

/** The row a field of the product input came from: a SKU's own row, else the product's first row. */
function rowOfField(path: readonly PropertyKey[], rows: ImportRow[]): number {
  return path[0] === 'skus' && typeof path[1] === 'number' ? (rows[path[1]] ?? rows[0]!)._row : rows[0]!._row;
}

/** A product rule's problem as a row problem, with its code and params. */
function fromRule(p: Problem, rows: ImportRow[], yuanPrices: boolean): RowProblem {
  const path = p.path
    .replace(/^body\./, '')
    .split('.')
    .map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  const code = (p.code ?? 'INVALID') as ImportRowErrorCode;
  return new RowProblem(
    rowOfField(path, rows),
    code,
    code === 'INVALID' ? { column: columnOfField(path, yuanPrices) } : (p.params ?? {}),
  );
}

/** A schema issue of the product input as a row problem; limits of a yuan column are shown in yuan. */
function fromIssue(issue: z.core.$ZodIssue, rows: ImportRow[], yuanPrices: boolean): RowProblem {
  const column = columnOfField(issue.path, yuanPrices);
  const row = rowOfField(issue.path, rows);
  const bound = (n: unknown) => (column.endsWith('_yuan') ? yuan(Number(n)) : Number(n));
  if (issue.code === 'too_big') {
    const code =
      issue.origin === 'string'
        ? 'TOO_LONG'
        : issue.origin === 'array' || issue.origin === 'set'
          ? 'TOO_MANY'
          : 'TOO_LARGE';
    return new RowProblem(row, code, { column, max: bound(issue.maximum) });
  }
  if (issue.code === 'too_small') {
    if (issue.origin === 'string' || issue.origin === 'array') return new RowProblem(row, 'REQUIRED', { column });
    return new RowProblem(row, 'TOO_SMALL', { column, min: bound(issue.minimum) });
  }
  return new RowProblem(row, 'INVALID', { column });
}

/**
 * Imports products from CSV or XLSX as a queued job: one row per SKU, rows with the same spu_code form
 * one product, upserted by spu_code. A product any of whose rows is wrong is rejected whole, and each of
 * its rows is reported with the reason; nothing of it is written. Categories are found by their path
 * of names and created when missing.
 */
export function importService(deps: ImportDeps) {
  const now = deps.now ?? (() => new Date());

  /** What the merchant sees of an import: not the file's storage key, nor its runs. */
  function toJob({ storageKey: _key, runs: _runs, ...job }: StoredImport): ImportJob {
    return job;
  }

  /** Each run of an import is its own job: the first keeps the id it always had. */
  async function enqueue(ctx: TenantContext, importId: number, runs: number): Promise<void> {
    await deps.queues
      .get(QUEUES.catalogImports)
      .add(CATALOG_JOBS.importProducts, { tenantId: ctx.tenantId, importId } satisfies ImportProductsPayload, {
        jobId: jobIdOf(ctx.tenantId, importId, runs),
        attempts: 1,
      });
  }

  async function job(ctx: TenantContext, id: number): Promise<ImportJob> {
    const r = await deps.imports.byId(ctx, id);
    if (!r) throw new NotFoundError('IMPORT_NOT_FOUND');
    return toJob(r);
  }

  /** Finds or creates the categories of a `Root/Child/Leaf` path of names; returns the leaf id. */
  async function categoryFor(
    ctx: TenantContext,
    cache: Map<string, number>,
    categories: Map<number, Category>,
    path: string,
    row: number,
  ): Promise<number> {
    const names = path
      .split('/')
      .map((n) => n.trim())
      .filter(Boolean);
    if (names.length === 0 || names.length > 3) throw new RowProblem(row, 'CATEGORY_DEPTH', { value: path });
    if (names.some((n) => n.length > 40)) throw new RowProblem(row, 'CATEGORY_NAME_TOO_LONG', { max: 40 });
    let parent: number | null = null;
    for (const [i, name] of names.entries()) {
      const key = `${parent ?? ''}/${name}`;
      let id = cache.get(key);
      if (id === undefined) {
        const siblings = [...categories.values()].filter((c) => c.parentId === parent);
        const found = siblings.find((c) => c.name === name);
        if (found) id = found.id;
        else {
          const sort = siblings.length ? Math.max(...siblings.map((c) => c.sort)) + 1 : 0;
          const category = { parentId: parent, name, level: i + 1, sort, iconImageId: null };
          id = await deps.repo.insertCategory(ctx, category);
          categories.set(id, { id, ...category });
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
        priceFen: price(r, 'price')!,
        originalPriceFen: price(r, 'original_price', true),
        stock: wholeNumber(r.stock, r._row, 'stock')!,
      };
    });
    for (const s of skus) {
      if (s.names.length !== specNames.length || s.names.some((n) => !specNames.includes(n))) {
        throw new RowProblem(s.row, 'SPECS_DIFFER', {
          spuCode: first.spu_code ?? '',
          specs: specNames.join(', ') || '-',
        });
      }
    }
    const status = statusOf(first.status, first._row);
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
      skus: skus.map((s) => ({
        specValues: specNames.map((n) => s.byName.get(n)!),
        code: s.code,
        priceFen: s.priceFen,
        originalPriceFen: s.originalPriceFen,
        stock: s.stock,
      })),
      status,
      videoId: null,
      limits: { perOrder: null, perShopper: null },
      schedule: { onSaleAt: null, offSaleAt: null },
    };
  }

  return {
    job,

    async list(ctx: TenantContext): Promise<ImportJob[]> {
      return (await deps.imports.latest(ctx, 20)).map(toJob);
    },

    /**
     * Accepts a file: its format is read from the bytes, its header checked at once (a wrong file is a
     * 400, not a failed job), then it is stored privately and the import is queued.
     */
    async start(ctx: TenantContext, file: { buffer: Buffer; originalName: string }): Promise<ImportJob> {
      const { format, rows } = await checkImportFile(file.buffer);
      const key = `tenants/${ctx.tenantId}/imports/${randomUUID()}.${format}`;
      await deps.storage.put({
        visibility: 'private',
        key,
        body: file.buffer,
        contentType:
          format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      });
      const id = await deps.imports.insert(ctx, {
        format,
        fileName: file.originalName.slice(0, 200) || `import.${format}`,
        storageKey: key,
        totalRows: rows,
        createdBy: ctx.actor.type === 'merchant' ? ctx.actor.userId : null,
        at: now(),
      });
      await deps.audit.record(ctx, {
        action: 'catalog.import.started',
        targetType: 'catalog_import',
        targetId: id,
        data: { format, rows },
      });
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
      const record = await deps.imports.byId(ctx, importId);
      if (!record) throw new NotFoundError('IMPORT_NOT_FOUND');
      if (record.status === 'done' || record.status === 'failed') return toJob(record);
      await deps.imports.markRunning(ctx, importId, now());
      const bytes = await deps.storage.getBuffer('private', record.storageKey);
      // Products come in the order of their LAST row, each as soon as it is complete in the file; only the
      // rows of unfinished products are held. So "every product whose rows all lie at or before row R is
      // written" is what a checkpoint at R says, and a run goes on after it neither skipping nor repeating one.
      const checkpoint = record.checkpointRow;
      // What the runs before this one wrote stays counted; the errors kept are the first reported.
      const errors = new ErrorReport(record.rejectedRows, record.errors);
      let created = record.createdProducts;
      let updated = record.updatedProducts;
      let processed = record.processedRows;
      const categoryCache = new Map<string, number>();
      async function* batches(): AsyncGenerator<ImportGroup[]> {
        let batch: ImportGroup[] = [];
        for await (const group of readImportGroups(bytes, { afterRow: checkpoint })) {
          batch.push(group);
          if (batch.length === BATCH) {
            yield batch;
            batch = [];
          }
        }
        if (batch.length) yield batch;
      }
      for await (const batch of batches()) {
        const spuCodes = batch.flatMap((g) => (g.spuCode === null ? [] : [g.spuCode]));
        await deps.tx.transaction(ctx, async (tctx) => {
          const categories = await deps.catalog.categoryMap(tctx);
          // Facets and search terms are written once for the whole batch.
          const indexed: IndexedProduct[] = [];
          const existingBySpu = await deps.repo.productsBySpu(tctx, spuCodes);
          let batchCreated = 0;
          let batchUpdated = 0;
          for (const { spuCode, rows: groupRows, lastRow } of batch) {
            if (spuCode === null) {
              errors.push(rowError(lastRow, null, 'SPU_CODE_REQUIRED'));
              continue;
            }
            try {
              if (spuCode.length > 64) throw new RowProblem(groupRows[0]!._row, 'SPU_CODE_TOO_LONG', { max: 64 });
              const categoryId = await categoryFor(
                tctx,
                categoryCache,
                categories,
                groupRows[0]!.category_path ?? '',
                groupRows[0]!._row,
              );
              const urls = list(groupRows[0]!.image_urls);
              if (urls.some((u) => !/^https?:\/\/\S{1,480}$/.test(u)))
                throw new RowProblem(groupRows[0]!._row, 'IMAGE_URLS_INVALID');
              const input = productFrom(groupRows, categoryId, []);
              const parsed = productInputSchema.safeParse(input);
              const yuanPrices = groupRows[0]!.price_yuan !== undefined;
              if (!parsed.success) throw fromIssue(parsed.error.issues[0]!, groupRows, yuanPrices);
              const { product, problems } = normalizeProduct(parsed.data);
              if (problems.length) throw fromRule(problems[0]!, groupRows, yuanPrices);
              const imageIds = await deps.images.fromUrls(tctx, urls);
              const existing = existingBySpu.get(spuCode) ?? null;
              const savedId = await deps.repo.saveProduct(
                tctx,
                // A file has no columns for limits, schedules or videos: a product it updates keeps its own. Nor for
                // freight templates, weights or volumes, which the input leaves absent, so they are kept too.
                {
                  ...product,
                  rules: existing?.rules ?? product.rules,
                  videoId: existing?.videoId ?? null,
                  imageIds,
                  spuCode,
                  path: pathOf(categories, categoryId),
                },
                existing,
                now(),
                { deferIndex: true },
              );
              indexed.push({ id: savedId, ...product });
              if (existing) batchUpdated++;
              else batchCreated++;
            } catch (err) {
              if (!(err instanceof RowProblem)) throw err;
              for (const r of groupRows) {
                errors.push(
                  r._row === err.row
                    ? rowError(r._row, spuCode, err.code, err.params)
                    : rowError(r._row, spuCode, 'REJECTED_WITH_ROW', { row: err.row }),
                );
              }
            }
          }
          const updatedIds = new Set([...existingBySpu.values()].map((e) => e.id));
          await deps.repo.reindex(
            tctx,
            indexed.filter((p) => !updatedIds.has(p.id)),
            { fresh: true },
          );
          await deps.repo.reindex(
            tctx,
            indexed.filter((p) => updatedIds.has(p.id)),
          );
          const batchRows = batch.reduce((n, g) => n + g.rows.length, 0);
          // The checkpoint moves with the products it covers, in the same transaction: the batch's groups
          // come in the order of their last rows, so every product complete at or before it is written.
          // (A batch that throws ends the run: its errors pushed above are never stored.)
          await deps.imports.saveProgress(
            tctx,
            importId,
            {
              checkpointRow: batch[batch.length - 1]!.lastRow,
              processedRows: processed + batchRows,
              createdProducts: created + batchCreated,
              updatedProducts: updated + batchUpdated,
              rejectedRows: errors.count,
              errors: errors.takeChanged(),
            },
            now(),
          );
          created += batchCreated;
          updated += batchUpdated;
          processed += batchRows;
        });
      }
      await deps.imports.finish(
        ctx,
        importId,
        {
          processedRows: processed,
          createdProducts: created,
          updatedProducts: updated,
          rejectedRows: errors.count,
          errors: errors.first(),
        },
        now(),
      );
      await deps.cache.bump(ctx.tenantId);
      return job(ctx, importId);
    },

    /**
     * An import whose job gave up (the worker calls this; so does the sweep for a lost job): it ends
     * as failed with the reason, once. The products written before stay, and are shown to shoppers.
     */
    async fail(ctx: TenantContext, importId: number, failure: JobFailure): Promise<boolean> {
      const changed = await deps.imports.fail(ctx, importId, failure, describeJobFailure(failure).slice(0, 500), now());
      if (!changed) return false;
      ctx.log.warn({ importId, failure }, 'import failed');
      await deps.cache.bump(ctx.tenantId);
      return true;
    },

    /** Runs a failed import again from its checkpoint, as a new job; an import that is not failed is a 409. */
    async retry(ctx: TenantContext, importId: number): Promise<ImportJob> {
      const current = await job(ctx, importId);
      const changed = await deps.imports.requeueFailed(ctx, importId, now());
      if (!changed)
        throw new ConflictError(
          {
            reason: 'IMPORT_NOT_FAILED',
            params: { status: current.status },
            message: `This import is ${current.status}; only a failed import can be retried`,
          },
          { status: current.status },
        );
      const record = (await deps.imports.byId(ctx, importId))!;
      await deps.audit.record(ctx, {
        action: 'catalog.import.retried',
        targetType: 'catalog_import',
        targetId: importId,
        data: { fromRow: current.checkpointRow },
      });
      await enqueue(ctx, importId, record.runs);
      return job(ctx, importId);
    },

    /**
     * Ends as failed every import of this shop that waits for a job the queue no longer has, or whose
     * job failed without the import hearing of it (a worker that died before telling it, a platform
     * stopped between recording an import and queueing it). Imports touched within `graceMs` are left.
     */
    async sweepLost(ctx: TenantContext, graceMs: number): Promise<number> {
      const open = await deps.imports.openSince(ctx, new Date(now().getTime() - graceMs));
      let ended = 0;
      for (const r of open) {
        const queued = await deps.queues.get(QUEUES.catalogImports).getJob(jobIdOf(ctx.tenantId, r.id, r.runs));
        const state = queued ? await queued.getState() : 'missing';
        let failure: JobFailure | null = null;
        if (state === 'failed') failure = jobFailureOf(queued!);
        else if (state === 'missing' || state === 'completed' || state === 'unknown')
          failure = { code: 'JOB_LOST', params: {} };
        if (failure && (await this.fail(ctx, r.id, failure))) ended++;
      }
      return ended;
    },

    /** The catalog in the import format: one row per SKU. */
    async export(ctx: TenantContext, format: ImportFormat): Promise<Buffer> {
      const categories = await deps.catalog.categoryMap(ctx);
      const products = await deps.repo.allProducts(ctx);
      const skus = await deps.repo.skus(
        ctx,
        products.map((p) => p.id),
      );
      const imageUrl = await deps.images.largeUrls(ctx);
      const out: Array<Record<string, string | number>> = [];
      for (const p of products) {
        const path = pathOf(categories, p.categoryId)
          .map((c) => categories.get(c)!.name)
          .join('/');
        for (const s of skus.filter((k) => k.productId === p.id)) {
          out.push({
            spu_code: p.spuCode ?? `P${p.id}`,
            title: p.title,
            subtitle: p.subtitle,
            brand: p.brand,
            category_path: path,
            tags: p.tags.join('|'),
            description: p.descriptionHtml,
            image_urls: p.imageIds.flatMap((i) => (imageUrl.has(i) ? [imageUrl.get(i)!] : [])).join('|'),
            attributes: Object.entries(p.attributes)
              .map(([k, v]) => `${k}:${v}`)
              .join('|'),
            status: p.status,
            sku_code: s.code ?? '',
            spec_values: p.specs.map((sp, i) => `${sp.name}:${s.specValues[i]}`).join('|'),
            price_fen: s.priceFen,
            original_price_fen: s.originalPriceFen ?? '',
            stock: s.stock,
          });
        }
      }
      return writeImportFile(out, format);
    },

    /** An import file with two example rows (one product in two sizes): Chinese headers and yuan prices for zh-CN. */
    async template(_ctx: TenantContext, format: ImportFormat, language: ImportLanguage): Promise<Buffer> {
      const zh = language === 'zh-CN';
      const columns = zh ? TEMPLATE_COLUMNS_YUAN : IMPORT_COLUMNS;
      const rows = TEMPLATE_ROWS.map((r) => ({
        ...r,
        status: r.status && zh ? '在售' : r.status,
        original_price_fen: r.original_price_fen || '',
        price_yuan: yuan(r.price_fen),
        original_price_yuan: r.original_price_fen ? yuan(r.original_price_fen) : '',
      }));
      return writeImportFile(rows, format, { columns, language });
    },

    /**
     * The rejected rows of an import as a file: each row as uploaded (its columns in the file's price
     * unit), after its row number and the reason in the reader's language. The file imports again once
     * corrected. It holds the rows of the report the import keeps (the first 500).
     */
    async report(
      ctx: TenantContext,
      importId: number,
      format: ImportFormat,
      language: ImportLanguage,
    ): Promise<Buffer> {
      const record = await deps.imports.byId(ctx, importId);
      if (!record) throw new NotFoundError('IMPORT_NOT_FOUND');
      const { errors } = record;
      const byRow = new Map<number, RowError[]>();
      for (const e of errors) byRow.set(e.row, [...(byRow.get(e.row) ?? []), e]);
      const last = Math.max(0, ...byRow.keys());
      const out: Array<Record<string, string | number>> = [];
      let yuanPrices = false;
      if (byRow.size > 0) {
        const bytes = await deps.storage.getBuffer('private', record.storageKey);
        for await (const r of readImportRows(bytes)) {
          if (r._row > last) break;
          yuanPrices ||= r.price_yuan !== undefined;
          const rowErrors = byRow.get(r._row);
          if (rowErrors)
            out.push({
              ...r,
              _source_row: r._row,
              _error: rowErrors.map((e) => formatImportRowError(e, language)).join('; '),
            });
        }
      }
      const names = IMPORT_REPORT_HEADERS[language];
      const columns = yuanPrices ? TEMPLATE_COLUMNS_YUAN : IMPORT_COLUMNS;
      const header = [
        names.row,
        names.error,
        ...columns.map((c) => (language === 'zh-CN' ? IMPORT_CHINESE_HEADERS[c] : c)),
      ];
      return writeTable(['_source_row', '_error', ...columns], out, format, { sheet: 'errors', header });
    },
  };
}

/** The import columns with prices in yuan, as the Chinese template writes them. */
const TEMPLATE_COLUMNS_YUAN: readonly ImportReadColumn[] = IMPORT_COLUMNS.map((c): ImportReadColumn =>
  c === 'price_fen' ? 'price_yuan' : c === 'original_price_fen' ? 'original_price_yuan' : c,
);

const TEMPLATE_ROWS = [
  {
    spu_code: 'TS-001',
    title: '纯棉圆领T恤',
    subtitle: '夏季新款 透气舒适',
    brand: 'Shopfleet',
    category_path: '服装/男装/T恤',
    tags: '新品|纯棉',
    description: '<p>100% 纯棉面料</p>',
    image_urls: '',
    attributes: '材质:纯棉|产地:中国',
    status: 'on_sale',
    sku_code: 'TS-001-RED-M',
    spec_values: '颜色:红色|尺码:M',
    price_fen: 5900,
    original_price_fen: 7900,
    stock: 100,
  },
  {
    spu_code: 'TS-001',
    title: '纯棉圆领T恤',
    subtitle: '',
    brand: '',
    category_path: '服装/男装/T恤',
    tags: '',
    description: '',
    image_urls: '',
    attributes: '',
    status: '',
    sku_code: 'TS-001-RED-L',
    spec_values: '颜色:红色|尺码:L',
    price_fen: 5900,
    original_price_fen: 0,
    stock: 80,
  },
];

export type ImportService = ReturnType<typeof importService>;
