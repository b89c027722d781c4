import type { Response } from 'express';
import type { merchantApi, shopApi } from '@shopfleet/contracts';
import { requireTenant } from '../../kernel/context';
import { sendJsonText, type Handlers } from '../../kernel/http/endpoint-router';
import type { CatalogService } from './catalog.service';
import type { ImportService } from './import.service';
import type { ShopCatalogService } from './shop-catalog.service';

const SHOP_MAX_AGE = 5;

function sendFile(res: Response, file: Buffer, format: 'csv' | 'xlsx', name: string): never {
  const type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  res.status(200).type(type).attachment(`${name}.${format}`).send(file);
  return undefined as never;
}

export function merchantCatalogHandlers(catalog: CatalogService, imports: ImportService) {
  return {
    uploadCatalogImage: (ctx, { file }) => catalog.uploadImage(requireTenant(ctx), file!.buffer),
    listCategories: (ctx) => catalog.tree(requireTenant(ctx)),
    createCategory: (ctx, { body }) => catalog.createCategory(requireTenant(ctx), body),
    updateCategory: (ctx, { params, body }) => catalog.updateCategory(requireTenant(ctx), params.id, body),
    reorderCategories: (ctx, { body }) => catalog.reorderCategories(requireTenant(ctx), body.parentId, body.orderedIds),
    deleteCategory: async (ctx, { params }) => {
      await catalog.deleteCategory(requireTenant(ctx), params.id);
      return { ok: true as const };
    },
    listProducts: (ctx, { query }) => catalog.listProducts(requireTenant(ctx), query),
    getProduct: (ctx, { params }) => catalog.getProduct(requireTenant(ctx), params.id),
    createProduct: (ctx, { body }) => catalog.saveProduct(requireTenant(ctx), body),
    updateProduct: (ctx, { params, body }) => catalog.saveProduct(requireTenant(ctx), body, params.id),
    batchProducts: (ctx, { body }) => catalog.batch(requireTenant(ctx), body.ids, body.action),
    deleteProduct: async (ctx, { params }) => {
      await catalog.deleteProduct(requireTenant(ctx), params.id);
      return { ok: true as const };
    },
    getHomeLayout: (ctx) => catalog.homeLayout(requireTenant(ctx)),
    updateHomeLayout: (ctx, { body }) => catalog.setHomeLayout(requireTenant(ctx), body),
    startImport: (ctx, { file }) => imports.start(requireTenant(ctx), file!),
    listImports: (ctx) => imports.list(requireTenant(ctx)),
    getImport: (ctx, { params }) => imports.job(requireTenant(ctx), params.id),
    retryImport: (ctx, { params }) => imports.retry(requireTenant(ctx), params.id),
    exportProducts: async (ctx, { query }, res) => sendFile(res, await imports.export(requireTenant(ctx), query.format), query.format, 'products'),
    downloadImportTemplate: async (ctx, { query }, res) => sendFile(res, await imports.template(requireTenant(ctx), query.format, query.language), query.format, 'products-template'),
    downloadImportReport: async (ctx, { params, query }, res) =>
      sendFile(res, await imports.report(requireTenant(ctx), params.id, query.format, query.language), query.format, `import-${params.id}-errors`),
  } satisfies Partial<Handlers<typeof merchantApi>>;
}

export function shopCatalogHandlers(shop: ShopCatalogService) {
  return {
    home: async (ctx, _input, res) => sendJsonText(res, await shop.homeJson(requireTenant(ctx)), SHOP_MAX_AGE),
    categories: async (ctx, _input, res) => sendJsonText(res, await shop.categoriesJson(requireTenant(ctx)), SHOP_MAX_AGE),
    products: async (ctx, { query }, res) => sendJsonText(res, await shop.listJson(requireTenant(ctx), query), SHOP_MAX_AGE),
    search: async (ctx, { query }, res) => sendJsonText(res, await shop.searchJson(requireTenant(ctx), query), SHOP_MAX_AGE),
    product: async (ctx, { params }, res) => sendJsonText(res, await shop.detailJson(requireTenant(ctx), params.id), SHOP_MAX_AGE),
  } satisfies Partial<Handlers<typeof shopApi>>;
}
