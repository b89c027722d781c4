import type { Response } from 'express';
import type { merchantApi, shopApi } from '@shopfleet/contracts';
import { sendJsonText, type Handlers } from '../../kernel/http/endpoint-router';
import type { CatalogService } from './catalog.service';
import type { ImportService } from './import.service';
import type { ShopCatalogService } from './shop-catalog.service';

const SHOP_MAX_AGE = 5;

function sendFile(res: Response, file: Buffer, format: 'csv' | 'xlsx', name: string): never {
  const type =
    format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  res.status(200).type(type).attachment(`${name}.${format}`).send(file);
  return undefined as never;
}

export function merchantCatalogHandlers(catalog: CatalogService, imports: ImportService) {
  return {
    uploadCatalogImage: (ctx, { file }) => catalog.uploadImage(ctx, file!.buffer),
    uploadCatalogVideo: (ctx, { file }) => catalog.uploadVideo(ctx, file!.path!, file!.size),
    listCategories: (ctx) => catalog.tree(ctx),
    createCategory: (ctx, { body }) => catalog.createCategory(ctx, body),
    updateCategory: (ctx, { params, body }) => catalog.updateCategory(ctx, params.id, body),
    reorderCategories: (ctx, { body }) => catalog.reorderCategories(ctx, body.parentId, body.orderedIds),
    deleteCategory: async (ctx, { params }) => {
      await catalog.deleteCategory(ctx, params.id);
      return { ok: true as const };
    },
    listProducts: (ctx, { query }) => catalog.listProducts(ctx, query),
    getProduct: (ctx, { params }) => catalog.getProduct(ctx, params.id),
    createProduct: (ctx, { body }) => catalog.saveProduct(ctx, body),
    updateProduct: (ctx, { params, body }) => catalog.saveProduct(ctx, body, params.id),
    batchProducts: (ctx, { body }) => catalog.batch(ctx, body.ids, body.action),
    deleteProduct: async (ctx, { params }) => {
      await catalog.deleteProduct(ctx, params.id);
      return { ok: true as const };
    },
    getHomeLayout: (ctx) => catalog.homeLayout(ctx),
    updateHomeLayout: (ctx, { body }) => catalog.setHomeLayout(ctx, body),
    startImport: (ctx, { file }) => imports.start(ctx, file!),
    listImports: (ctx) => imports.list(ctx),
    getImport: (ctx, { params }) => imports.job(ctx, params.id),
    retryImport: (ctx, { params }) => imports.retry(ctx, params.id),
    exportProducts: async (ctx, { query }, res) =>
      sendFile(res, await imports.export(ctx, query.format), query.format, 'products'),
    downloadImportTemplate: async (ctx, { query }, res) =>
      sendFile(res, await imports.template(ctx, query.format, query.language), query.format, 'products-template'),
    downloadImportReport: async (ctx, { params, query }, res) =>
      sendFile(
        res,
        await imports.report(ctx, params.id, query.format, query.language),
        query.format,
        `import-${params.id}-errors`,
      ),
  } satisfies Partial<Handlers<typeof merchantApi>>;
}

export function shopCatalogHandlers(shop: ShopCatalogService) {
  return {
    home: async (ctx, _input, res) => sendJsonText(res, await shop.homeJson(ctx), SHOP_MAX_AGE),
    categories: async (ctx, _input, res) => sendJsonText(res, await shop.categoriesJson(ctx), SHOP_MAX_AGE),
    products: async (ctx, { query }, res) => sendJsonText(res, await shop.listJson(ctx, query), SHOP_MAX_AGE),
    search: async (ctx, { query }, res) => sendJsonText(res, await shop.searchJson(ctx, query), SHOP_MAX_AGE),
    product: async (ctx, { params }, res) => sendJsonText(res, await shop.detailJson(ctx, params.id), SHOP_MAX_AGE),
  } satisfies Partial<Handlers<typeof shopApi>>;
}
