import type { z } from 'zod';
import type { CategoryNode, ProductPage, SHOP_SORTS, ShopProductDetail, shopHomeSchema } from '@shopfleet/contracts';
import { shopRequest } from '../request';

export type ShopHome = z.infer<typeof shopHomeSchema>;
export type ShopSort = (typeof SHOP_SORTS)[number];

export interface ProductListQuery {
  categoryId?: number;
  /** `name:value` pairs; several values of one name match any of them. */
  facets?: readonly string[];
  priceMinFen?: number;
  priceMaxFen?: number;
  sort?: ShopSort;
  cursor?: string;
  limit?: number;
}

export interface SearchQuery {
  q: string;
  sort?: ShopSort;
  cursor?: string;
  limit?: number;
}

/** GET /shops/:shopKey/home — banners, category shortcuts and the new / hot / recommended lists. */
export function getHome(): Promise<ShopHome> {
  return shopRequest<ShopHome>({ method: 'GET', path: '/home' });
}

/** GET /shops/:shopKey/categories — the category tree (up to three levels). */
export function getCategories(): Promise<CategoryNode[]> {
  return shopRequest<CategoryNode[]>({ method: 'GET', path: '/categories' });
}

/** GET /shops/:shopKey/products — products on sale by category, facets and price; facets come with the first page. */
export function listProducts(query: ProductListQuery): Promise<ProductPage> {
  return shopRequest<ProductPage>({
    method: 'GET',
    path: '/products',
    query: {
      categoryId: query.categoryId,
      facet: query.facets ?? [],
      priceMin: query.priceMinFen,
      priceMax: query.priceMaxFen,
      sort: query.sort,
      cursor: query.cursor,
      limit: query.limit,
    },
  });
}

/** GET /shops/:shopKey/search — keyword search. */
export function searchProducts(query: SearchQuery): Promise<ProductPage> {
  return shopRequest<ProductPage>({
    method: 'GET',
    path: '/search',
    query: { q: query.q, sort: query.sort, cursor: query.cursor, limit: query.limit },
  });
}

/** GET /shops/:shopKey/products/:id — detail with specs, SKUs (stock state only) and rating; 404 when off sale. */
export function getProduct(id: number): Promise<ShopProductDetail> {
  return shopRequest<ShopProductDetail>({ method: 'GET', path: `/products/${id}` });
}
