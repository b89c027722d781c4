import { ref, shallowRef } from 'vue';
import type { CatalogImage } from '@shopfleet/contracts';
import { getProduct, listProducts, type ProductSummary } from '@/api/catalog';

/** A product as the pickers show it. */
export interface ProductOption {
  id: number;
  title: string;
  image: CatalogImage | null;
  minPriceFen: number | null;
  maxPriceFen: number | null;
  /** Its SKUs' spec values ("红 / XL"), when the product's detail was read. */
  skus?: Array<{ id: number; label: string }>;
  /** Named by a campaign but no longer in the shop. */
  missing?: boolean;
}

const SEARCH_PAGE_SIZE = 20;

export function optionOf(product: ProductSummary): ProductOption {
  return {
    id: product.id,
    title: product.title,
    image: product.mainImage,
    minPriceFen: product.minPriceFen,
    maxPriceFen: product.maxPriceFen,
  };
}

/**
 * Products to pick from by searching the catalog (the product list API), and the titles of products already
 * picked or named by a campaign, fetched once each.
 */
export function useProductOptions() {
  const known = shallowRef(new Map<number, ProductOption>());
  const results = shallowRef<ProductOption[]>([]);
  const searching = ref(false);
  let ticket = 0;

  function remember(options: ProductOption[]): void {
    const next = new Map(known.value);
    for (const option of options) next.set(option.id, option);
    known.value = next;
  }

  /** The first page of products matching `query` (every product when empty); a newer search wins. */
  async function search(query: string): Promise<void> {
    const mine = ++ticket;
    searching.value = true;
    try {
      const page = await listProducts(
        { page: 1, pageSize: SEARCH_PAGE_SIZE, q: query.trim() || undefined },
        { silent: true },
      );
      if (mine !== ticket) return;
      results.value = page.items.map(optionOf);
      remember(results.value);
    } catch {
      if (mine === ticket) results.value = [];
    } finally {
      if (mine === ticket) searching.value = false;
    }
  }

  /** The search results, and the products of `picked` they lack (so a select can show their titles). */
  function optionsFor(picked: readonly number[]): ProductOption[] {
    const options = [...results.value];
    for (const id of picked) {
      if (!options.some((option) => option.id === id)) options.push(titleOf(id));
    }
    return options;
  }

  function titleOf(id: number): ProductOption {
    return known.value.get(id) ?? { id, title: `#${id}`, image: null, minPriceFen: null, maxPriceFen: null };
  }

  /**
   * Name products not seen yet, one request each (a campaign names a few); `withSkus` reads again those known only
   * from a search, for their SKUs.
   */
  async function name(ids: readonly number[], withSkus = false): Promise<void> {
    const unknown = [...new Set(ids)].filter((id) => {
      const option = known.value.get(id);
      return !option || (withSkus && !option.skus && !option.missing);
    });
    const found = await Promise.all(
      unknown.map((id) =>
        getProduct(id, { silent: true })
          .then((p): ProductOption => ({
            id,
            title: p.title,
            image: p.images[0] ?? null,
            minPriceFen: p.minPriceFen,
            maxPriceFen: p.maxPriceFen,
            skus: p.skus.map((sku) => ({ id: sku.id, label: sku.specValues.join(' / ') })),
          }))
          .catch((): ProductOption => ({
            id,
            title: `#${id}`,
            image: null,
            minPriceFen: null,
            maxPriceFen: null,
            missing: true,
          })),
      ),
    );
    remember(found);
  }

  /** A SKU's spec values as read with its product, or null. */
  function skuLabel(productId: number, skuId: number): string | null {
    return known.value.get(productId)?.skus?.find((sku) => sku.id === skuId)?.label || null;
  }

  return { searching, search, optionsFor, titleOf, skuLabel, name, remember };
}
