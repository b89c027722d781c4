import { z } from 'zod';
import { endpoint, merchantCan, publicAccess } from './endpoint';
import {
  batchProductsBodySchema,
  batchResultSchema,
  categoryNodeSchema,
  createCategoryBodySchema,
  exportQuerySchema,
  homeLayoutInputSchema,
  imageSchema,
  merchantProductQuerySchema,
  productInputSchema,
  productPageSchema,
  productSchema,
  productSummarySchema,
  reorderCategoriesBodySchema,
  shopHomeSchema,
  shopProductDetailSchema,
  shopProductListQuerySchema,
  shopProductParamsSchema,
  shopSearchQuerySchema,
  updateCategoryBodySchema,
} from './catalog';
import { CATALOG_IMAGE_MAX_BYTES, IMPORT_MAX_BYTES } from './catalog.constants';
import { importJobSchema, importReportQuerySchema, importTemplateQuerySchema } from './catalog-import';
import { idParamsSchema, okSchema, pageOf, shopParamsSchema } from './common';

/** The catalog endpoints of `/merchant-api/v1` (composed in api.ts). */
export const catalogMerchantEndpoints = {
  uploadCatalogImage: endpoint({
    method: 'post', path: '/catalog/images', summary: 'Upload a product or category image (JPEG, PNG or WebP); resized to standard sizes',
    tags: ['merchant: catalog'], access: merchantCan('catalog:product:manage'),
    upload: { field: 'file', maxBytes: CATALOG_IMAGE_MAX_BYTES }, response: imageSchema, status: 201,
  }),
  listCategories: endpoint({
    method: 'get', path: '/catalog/categories', summary: 'The category tree', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:read'), response: z.array(categoryNodeSchema),
  }),
  createCategory: endpoint({
    method: 'post', path: '/catalog/categories', summary: 'Add a category (at most 3 levels)', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:manage'), body: createCategoryBodySchema, response: categoryNodeSchema, status: 201,
  }),
  updateCategory: endpoint({
    method: 'patch', path: '/catalog/categories/:id', summary: 'Rename, move or re-icon a category', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:manage'), params: idParamsSchema, body: updateCategoryBodySchema, response: categoryNodeSchema,
  }),
  reorderCategories: endpoint({
    method: 'post', path: '/catalog/categories/reorder', summary: 'Set the order of the children of one parent', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:manage'), body: reorderCategoriesBodySchema, response: z.array(categoryNodeSchema),
  }),
  deleteCategory: endpoint({
    method: 'delete', path: '/catalog/categories/:id', summary: 'Delete an empty category', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:manage'), params: idParamsSchema, response: okSchema,
  }),
  listProducts: endpoint({
    method: 'get', path: '/catalog/products', summary: 'Products, newest first', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:read'), query: merchantProductQuerySchema, response: pageOf(productSummarySchema),
  }),
  getProduct: endpoint({
    method: 'get', path: '/catalog/products/:id', summary: 'One product with its SKUs', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:read'), params: idParamsSchema, response: productSchema,
  }),
  createProduct: endpoint({
    method: 'post', path: '/catalog/products', summary: 'Create a product with its SKU matrix', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:manage'), body: productInputSchema, response: productSchema, status: 201,
  }),
  updateProduct: endpoint({
    method: 'put', path: '/catalog/products/:id', summary: 'Replace a product and its SKU matrix (SKUs matched by spec values)',
    tags: ['merchant: catalog'], access: merchantCan('catalog:product:manage'), params: idParamsSchema, body: productInputSchema, response: productSchema,
  }),
  batchProducts: endpoint({
    method: 'post', path: '/catalog/products/batch', summary: 'Put products on or off sale, or delete them, in one go', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:manage'), body: batchProductsBodySchema, response: batchResultSchema,
  }),
  deleteProduct: endpoint({
    method: 'delete', path: '/catalog/products/:id', summary: 'Delete a product (soft)', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:manage'), params: idParamsSchema, response: okSchema,
  }),
  getHomeLayout: endpoint({
    method: 'get', path: '/catalog/home', summary: 'The shop home layout: banners, shortcuts, lists', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:read'), response: homeLayoutInputSchema,
  }),
  updateHomeLayout: endpoint({
    method: 'put', path: '/catalog/home', summary: 'Set the shop home layout', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:manage'), body: homeLayoutInputSchema, response: homeLayoutInputSchema,
  }),
  startImport: endpoint({
    method: 'post', path: '/catalog/imports', summary: 'Import products from a CSV or XLSX file (a queued job)', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:manage'), upload: { field: 'file', maxBytes: IMPORT_MAX_BYTES }, response: importJobSchema, status: 201,
  }),
  listImports: endpoint({
    method: 'get', path: '/catalog/imports', summary: 'Recent imports', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:read'), response: z.array(importJobSchema),
  }),
  getImport: endpoint({
    method: 'get', path: '/catalog/imports/:id', summary: 'An import: progress and the per-row report', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:read'), params: idParamsSchema, response: importJobSchema,
  }),
  downloadImportReport: endpoint({
    method: 'get', path: '/catalog/imports/:id/report', summary: "An import's rejected rows as a file: each row as uploaded, with its row number and the reason", tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:read'), params: idParamsSchema, query: importReportQuerySchema, response: z.string().meta({ format: 'binary' }),
  }),
  downloadImportTemplate: endpoint({
    method: 'get', path: '/catalog/import-template', summary: 'An empty import file with example rows, with Chinese (prices in yuan) or English headers', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:read'), query: importTemplateQuerySchema, response: z.string().meta({ format: 'binary' }),
  }),
  retryImport: endpoint({
    method: 'post', path: '/catalog/imports/:id/retry', summary: 'Run a failed import again from its checkpoint (the products written before it stopped are not written again)',
    tags: ['merchant: catalog'], access: merchantCan('catalog:product:manage'), params: idParamsSchema, response: importJobSchema,
  }),
  exportProducts: endpoint({
    method: 'get', path: '/catalog/export', summary: 'The catalog as a CSV or XLSX file (the import format)', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:read'), query: exportQuerySchema, response: z.string().meta({ format: 'binary' }),
  }),
};

/** The catalog endpoints of `/shop-api/v1` (composed in api.ts). */
export const catalogShopEndpoints = {
  home: endpoint({
    method: 'get', path: '/shops/:shopKey/home', summary: 'Home: banners, category shortcuts, new / hot / recommended', tags: ['shop: catalog'],
    access: publicAccess, params: shopParamsSchema, response: shopHomeSchema,
  }),
  categories: endpoint({
    method: 'get', path: '/shops/:shopKey/categories', summary: 'The category tree', tags: ['shop: catalog'],
    access: publicAccess, params: shopParamsSchema, response: z.array(categoryNodeSchema),
  }),
  products: endpoint({
    method: 'get', path: '/shops/:shopKey/products', summary: 'Products on sale: by category, facets and price, sorted, by cursor',
    tags: ['shop: catalog'], access: publicAccess, params: shopParamsSchema, query: shopProductListQuerySchema, response: productPageSchema,
  }),
  search: endpoint({
    method: 'get', path: '/shops/:shopKey/search', summary: 'Keyword search (Chinese and English)', tags: ['shop: catalog'],
    access: publicAccess, params: shopParamsSchema, query: shopSearchQuerySchema, response: productPageSchema,
  }),
  product: endpoint({
    method: 'get', path: '/shops/:shopKey/products/:id', summary: 'Product detail with SKUs, stock state and rating', tags: ['shop: catalog'],
    access: publicAccess, params: shopProductParamsSchema, response: shopProductDetailSchema,
  }),
};
