import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { CATALOG_JOBS, QUEUES, productInputSchema, type ImportJob, type ImportProductsPayload, type ProductInput } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { NotFoundError } from '../../kernel/errors';
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
      createdAt: iso(r.created_at as Date),
      finishedAt: isoOrNull(r.finished_at as Date | null),
    };
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
      });
      await deps.audit.record(ctx, { action: 'catalog.import.started', targetType: 'catalog_import', targetId: id, data: { format, rows: rows.length } });
      await deps.queues
        .get(QUEUES.catalogImports)
        .add(CATALOG_JOBS.importProducts, { tenantId: ctx.tenantId, importId: id } satisfies ImportProductsPayload, { jobId: `import-${ctx.tenantId}-${id}`, attempts: 1 });
      return job(ctx, id);
    },

    /** Runs an import (the worker calls this). Idempotent: a finished import is left as it is. */
    async run(ctx: TenantContext, importId: number): Promise<ImportJob> {
      const scope = scopeOf(ctx);
      const record = await scope.table('catalog_imports').where({ id: importId }).first();
      if (!record) throw new NotFoundError('Import');
      if (record.status === 'done' || record.status === 'failed') return toJob(record);
      await scope.table('catalog_imports').where({ id: importId }).update({ status: 'running' });
      try {
        const bytes = await deps.storage.getBuffer('private', String(record.storage_key));
        const { rows } = await readImportFile(bytes, record.format as ImportFormat);
        const groups = new Map<string, ImportRow[]>();
        const errors: RowError[] = [];
        for (const r of rows) {
          if (!r.spu_code) {
            errors.push({ row: r._row, spuCode: null, message: 'spu_code is required' });
            continue;
          }
          groups.set(r.spu_code, [...(groups.get(r.spu_code) ?? []), r]);
        }
        let created = 0;
        let updated = 0;
        let processed = errors.length;
        const categoryCache = new Map<string, number>();
        const entries = [...groups];
        for (let i = 0; i < entries.length; i += BATCH) {
          const batch = entries.slice(i, i + BATCH);
          await deps.knex.transaction(async (trx) => {
            const txScope = scopeOf(ctx, trx);
            const categories = await deps.catalog.categoryMap(ctx, trx);
            // Facets and search terms are written once for the whole batch.
            const indexed: Array<Parameters<CatalogRepository['reindex']>[1][number]> = [];
            const existingBySpu = new Map(
              ((await txScope.table('products').whereIn('spu_code', batch.map(([spu]) => spu)).select('*')) as Array<Record<string, unknown>>).map((r) => [String(r.spu_code), toProductRow(r)]),
            );
            for (const [spuCode, groupRows] of batch) {
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
                if (existing) updated++;
                else created++;
              } catch (err) {
                if (!(err instanceof RowProblem)) throw err;
                for (const r of groupRows) {
                  errors.push({ row: r._row, spuCode, message: r._row === err.row ? err.message : `rejected with row ${err.row} of the same product` });
                }
              }
              processed += groupRows.length;
            }
            const updatedIds = new Set([...existingBySpu.values()].map((e) => e.id));
            await deps.repo.reindex(txScope, indexed.filter((p) => !updatedIds.has(p.id)), { fresh: true });
            await deps.repo.reindex(txScope, indexed.filter((p) => updatedIds.has(p.id)));
          });
          await scope.table('catalog_imports').where({ id: importId }).update({
            processed_rows: processed,
            created_products: created,
            updated_products: updated,
            rejected_rows: errors.length,
            errors: JSON.stringify(errors.slice(0, MAX_REPORTED_ERRORS)),
          });
        }
        errors.sort((a, b) => a.row - b.row);
        await scope.table('catalog_imports').where({ id: importId }).update({
          status: 'done',
          processed_rows: rows.length,
          created_products: created,
          updated_products: updated,
          rejected_rows: errors.length,
          errors: JSON.stringify(errors.slice(0, MAX_REPORTED_ERRORS)),
          finished_at: now(),
        });
        await deps.cache.bump(ctx.tenantId);
      } catch (err) {
        await scope.table('catalog_imports').where({ id: importId }).update({ status: 'failed', failure_reason: (err as Error).message.slice(0, 500), finished_at: now() });
        await deps.cache.bump(ctx.tenantId);
        throw err;
      }
      return job(ctx, importId);
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
