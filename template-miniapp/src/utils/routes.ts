/** Where the catalog pages live, and how to open them (query values are always URL-encoded). */

function withQuery(path: string, query: Record<string, string | number | null | undefined>): string {
  const parts = Object.entries(query)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== null && entry[1] !== '')
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`);
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

export function openProduct(id: number): void {
  uni.navigateTo({ url: withQuery('/pages/product/detail', { id }) });
}

/** The product list of a category (`title` names it in the nav bar), or the results for `q`. */
export function openProductList(options: { categoryId?: number; q?: string; title?: string }, replace = false): void {
  const url = withQuery('/pages/product/list', { categoryId: options.categoryId, q: options.q, title: options.title });
  if (replace) uni.redirectTo({ url });
  else uni.navigateTo({ url });
}

export function openSearch(q?: string): void {
  uni.navigateTo({ url: withQuery('/pages/search/index', { q }) });
}
