import type {
  CatalogImage,
  CatalogVideo,
  CategoryNode,
  EndpointInput,
  EndpointResponse,
  HomeLayoutInput,
  ImportJob,
  Page,
  Product,
  ProductStatus,
  merchantApi,
} from '@shopfleet/contracts';
import { merchantHttp, type DownloadedFile, type PageQuery } from './request';

export type CreateCategoryBody = EndpointInput<typeof merchantApi.createCategory>['body'];
export type UpdateCategoryBody = EndpointInput<typeof merchantApi.updateCategory>['body'];
export type ReorderCategoriesBody = EndpointInput<typeof merchantApi.reorderCategories>['body'];
export type ProductSummary = EndpointResponse<typeof merchantApi.listProducts>['items'][number];
export type ProductBody = EndpointInput<typeof merchantApi.createProduct>['body'];
export type SkuBody = ProductBody['skus'][number];
export type BatchProductsBody = EndpointInput<typeof merchantApi.batchProducts>['body'];
export type BatchResult = EndpointResponse<typeof merchantApi.batchProducts>;
export type ExportFormat = EndpointInput<typeof merchantApi.exportProducts>['query']['format'];
export type ImportLanguage = NonNullable<EndpointInput<typeof merchantApi.downloadImportTemplate>['query']['language']>;

export interface ProductListQuery extends PageQuery {
  q?: string;
  categoryId?: number;
  status?: ProductStatus;
}

/** POST /merchant-api/v1/catalog/images (multipart, field `file`): a JPEG, PNG or WebP of at most 10 MB, resized to standard sizes. */
export function uploadCatalogImage(file: Blob, signal?: AbortSignal): Promise<CatalogImage> {
  return merchantHttp.upload<CatalogImage>('/catalog/images', 'file', file, { signal });
}

/** POST /merchant-api/v1/catalog/videos (multipart `file`): a product video (MP4). */
export function uploadCatalogVideo(file: Blob, signal?: AbortSignal): Promise<CatalogVideo> {
  return merchantHttp.upload<CatalogVideo>('/catalog/videos', 'file', file, { signal });
}

/** GET /merchant-api/v1/catalog/categories: the whole tree, children in display order. */
export function listCatalogCategories(): Promise<CategoryNode[]> {
  return merchantHttp.get<CategoryNode[]>('/catalog/categories');
}

/** POST /merchant-api/v1/catalog/categories (at most 3 levels) */
export function createCatalogCategory(body: CreateCategoryBody): Promise<CategoryNode> {
  return merchantHttp.post<CategoryNode>('/catalog/categories', body);
}

/** PATCH /merchant-api/v1/catalog/categories/:id: rename, re-icon, or move under another parent (400/409 past 3 levels or into itself). */
export function updateCatalogCategory(id: number, body: UpdateCategoryBody): Promise<CategoryNode> {
  return merchantHttp.patch<CategoryNode>(`/catalog/categories/${id}`, body);
}

/** POST /merchant-api/v1/catalog/categories/reorder: every child of one parent, in the new order. */
export function reorderCatalogCategories(body: ReorderCategoriesBody): Promise<CategoryNode[]> {
  return merchantHttp.post<CategoryNode[]>('/catalog/categories/reorder', body);
}

/** DELETE /merchant-api/v1/catalog/categories/:id: only an empty category (409 with children or products). */
export function deleteCatalogCategory(id: number): Promise<{ ok: true }> {
  return merchantHttp.delete<{ ok: true }>(`/catalog/categories/${id}`);
}

/** GET /merchant-api/v1/catalog/products: newest first, filtered by a search term, a category and a status. */
export function listProducts(
  query: ProductListQuery,
  options?: { signal?: AbortSignal; silent?: boolean },
): Promise<Page<ProductSummary>> {
  return merchantHttp.get<Page<ProductSummary>>('/catalog/products', { ...query }, options);
}

/** GET /merchant-api/v1/catalog/products/:id: the product with its specs and SKUs. */
export function getProduct(id: number, options?: { silent?: boolean }): Promise<Product> {
  return merchantHttp.get<Product>(`/catalog/products/${id}`, undefined, options);
}

/** POST /merchant-api/v1/catalog/products: a product with its SKU matrix (prices in fen). */
export function createProduct(body: ProductBody): Promise<Product> {
  return merchantHttp.post<Product>('/catalog/products', body);
}

/** PUT /merchant-api/v1/catalog/products/:id: replaces the product; SKUs are matched by their spec values. */
export function updateProduct(id: number, body: ProductBody): Promise<Product> {
  return merchantHttp.put<Product>(`/catalog/products/${id}`, body);
}

/** POST /merchant-api/v1/catalog/products/batch: on sale, off sale or delete several products at once. */
export function batchProducts(body: BatchProductsBody): Promise<BatchResult> {
  return merchantHttp.post<BatchResult>('/catalog/products/batch', body);
}

/** DELETE /merchant-api/v1/catalog/products/:id (soft) */
export function deleteProduct(id: number): Promise<{ ok: true }> {
  return merchantHttp.delete<{ ok: true }>(`/catalog/products/${id}`);
}

/** GET /merchant-api/v1/catalog/home: banners, category shortcuts and the three product lists, by id. */
export function getHomeLayout(): Promise<HomeLayoutInput> {
  return merchantHttp.get<HomeLayoutInput>('/catalog/home');
}

/** PUT /merchant-api/v1/catalog/home */
export function updateHomeLayout(body: HomeLayoutInput): Promise<HomeLayoutInput> {
  return merchantHttp.put<HomeLayoutInput>('/catalog/home', body);
}

/** POST /merchant-api/v1/catalog/imports (multipart, field `file`): a CSV or XLSX; answers 201 with the queued job. */
export function startImport(file: Blob): Promise<ImportJob> {
  return merchantHttp.upload<ImportJob>('/catalog/imports', 'file', file);
}

/** GET /merchant-api/v1/catalog/imports: recent imports, newest first. */
export function listImports(): Promise<ImportJob[]> {
  return merchantHttp.get<ImportJob[]>('/catalog/imports');
}

/** GET /merchant-api/v1/catalog/imports/:id: progress and, when done, the per-row report. */
export function getImport(id: number, options?: { silent?: boolean; signal?: AbortSignal }): Promise<ImportJob> {
  return merchantHttp.get<ImportJob>(`/catalog/imports/${id}`, undefined, options);
}

/** POST /merchant-api/v1/catalog/imports/:id/retry: a failed import runs again from its checkpoint. */
export function retryImport(id: number): Promise<ImportJob> {
  return merchantHttp.post<ImportJob>(`/catalog/imports/${id}/retry`);
}

/** GET /merchant-api/v1/catalog/export?format=csv|xlsx: the whole catalog as a file in the import format. */
export function exportProducts(format: ExportFormat): Promise<DownloadedFile> {
  return merchantHttp.download('/catalog/export', { format });
}

/** GET /merchant-api/v1/catalog/import-template?format&language: an import file with example rows (Chinese headers and yuan for zh-CN). */
export function downloadImportTemplate(format: ExportFormat, language: ImportLanguage): Promise<DownloadedFile> {
  return merchantHttp.download('/catalog/import-template', { format, language });
}

/** GET /merchant-api/v1/catalog/imports/:id/report?format&language: the rejected rows as uploaded, with the row number and the reason. */
export function downloadImportReport(
  id: number,
  format: ExportFormat,
  language: ImportLanguage,
): Promise<DownloadedFile> {
  return merchantHttp.download(`/catalog/imports/${id}/report`, { format, language });
}
