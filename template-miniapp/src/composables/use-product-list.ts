import { computed, reactive, ref } from 'vue';
import { onLoad, onPullDownRefresh, onReachBottom } from '@dcloudio/uni-app';
import type { ProductCard, ProductPage } from '@shopfleet/contracts';
import { FACET_FILTERS_MAX, SHOP_SEARCH_MAX_CHARS } from '@shopfleet/contracts/constants';
import { listProducts, searchProducts, type ShopSort } from '../api/catalog';
import { pageQueryId, pageQueryValue } from '../platform/page-query';
import { t } from '../locales';
import { describeError } from '../request';
import { formatFen, parseYuanToFen } from '../utils/money';
import { openSearch } from '../utils/routes';
import { useShopBars, useThemeVars } from './shop-theme';

const PAGE_SIZE = 20;

export type SortKey = 'default' | 'sales' | 'price' | 'newest';
type FacetOption = NonNullable<ProductPage['facets']>[number];
type FacetSelection = Record<string, string[]>;

function facetParams(selection: FacetSelection): string[] {
  return Object.entries(selection).flatMap(([name, values]) => values.map((value) => `${name}:${value}`));
}

function countSelected(selection: FacetSelection): number {
  return Object.values(selection).reduce((sum, values) => sum + values.length, 0);
}

function yuanText(fen: number | undefined): string {
  return fen === undefined ? '' : formatFen(fen).slice(1).replace(/\.00$/, '');
}

/**
 * The product list of a category (`?categoryId=`), or search results (`?q=`, the search endpoint,
 * which has no facets or price filter): sort bar, filter panel, pages by cursor on reaching the bottom.
 */
export function useProductList() {
  const categoryId = ref<number | undefined>(undefined);
  const q = ref('');
  const title = ref('');
  const searching = computed(() => q.value !== '');

  const sort = ref<ShopSort>('default');
  const applied = reactive<{
    facets: FacetSelection;
    priceMinFen: number | undefined;
    priceMaxFen: number | undefined;
  }>({
    facets: {},
    priceMinFen: undefined,
    priceMaxFen: undefined,
  });
  const facetOptions = ref<FacetOption[]>([]);

  const items = ref<ProductCard[]>([]);
  const nextCursor = ref<string | null>(null);
  const loaded = ref(false);
  const loading = ref(false);
  const loadingMore = ref(false);
  const error = ref<string | null>(null);
  const moreError = ref<string | null>(null);
  let generation = 0;

  const filterCount = computed(
    () =>
      countSelected(applied.facets) + (applied.priceMinFen !== undefined || applied.priceMaxFen !== undefined ? 1 : 0),
  );
  const empty = computed(() => loaded.value && !loading.value && !error.value && items.value.length === 0);
  const finished = computed(() => loaded.value && nextCursor.value === null && items.value.length > 0);

  function fetchPage(cursor: string | undefined): Promise<ProductPage> {
    if (searching.value) return searchProducts({ q: q.value, sort: sort.value, cursor, limit: PAGE_SIZE });
    return listProducts({
      categoryId: categoryId.value,
      facets: facetParams(applied.facets),
      priceMinFen: applied.priceMinFen,
      priceMaxFen: applied.priceMaxFen,
      sort: sort.value,
      cursor,
      limit: PAGE_SIZE,
    });
  }

  async function reload() {
    const mine = ++generation;
    loading.value = true;
    error.value = null;
    moreError.value = null;
    // Cleared rather than kept while loading: the cards on screen always belong to the current sort and filters.
    items.value = [];
    nextCursor.value = null;
    const facetFiltered = countSelected(applied.facets) > 0;
    try {
      const page = await fetchPage(undefined);
      if (mine !== generation) return;
      items.value = page.items;
      nextCursor.value = page.nextCursor;
      // The options stay those of the unfiltered set, so picking one value keeps its siblings choosable.
      if (page.facets && (!facetFiltered || facetOptions.value.length === 0)) facetOptions.value = page.facets;
      loaded.value = true;
    } catch (e) {
      if (mine !== generation) return;
      error.value = describeError(e);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  async function loadMore() {
    const cursor = nextCursor.value;
    if (!cursor || loading.value || loadingMore.value) return;
    const mine = generation;
    loadingMore.value = true;
    moreError.value = null;
    try {
      const page = await fetchPage(cursor);
      if (mine !== generation) return;
      const seen = new Set(items.value.map((item) => item.id));
      items.value = items.value.concat(page.items.filter((item) => !seen.has(item.id)));
      nextCursor.value = page.nextCursor;
    } catch (e) {
      if (mine === generation) moreError.value = describeError(e);
    } finally {
      if (mine === generation) loadingMore.value = false;
    }
  }

  // ---- sort bar ----

  const activeSort = computed<SortKey>(() =>
    sort.value === 'price_asc' || sort.value === 'price_desc' ? 'price' : sort.value,
  );

  function setSort(key: SortKey) {
    let next: ShopSort;
    if (key === 'price') next = sort.value === 'price_asc' ? 'price_desc' : 'price_asc';
    else next = key;
    if (next === sort.value) return;
    sort.value = next;
    void reload();
  }

  // ---- filter panel (edits a draft; its apply button applies it) ----

  const filterOpen = ref(false);
  const draft = reactive<{ facets: FacetSelection; priceMin: string; priceMax: string }>({
    facets: {},
    priceMin: '',
    priceMax: '',
  });

  /** The options, plus any applied value the current options no longer list (so it can be unticked). */
  const panelFacets = computed<FacetOption[]>(() => {
    const options = facetOptions.value.map((facet) => ({ name: facet.name, values: [...facet.values] }));
    for (const [name, values] of Object.entries(applied.facets)) {
      let facet = options.find((f) => f.name === name);
      if (!facet) {
        facet = { name, values: [] };
        options.push(facet);
      }
      for (const value of values) {
        if (!facet.values.some((v) => v.value === value)) facet.values.push({ value, count: 0 });
      }
    }
    return options;
  });

  function openFilter() {
    draft.facets = Object.fromEntries(Object.entries(applied.facets).map(([name, values]) => [name, [...values]]));
    draft.priceMin = yuanText(applied.priceMinFen);
    draft.priceMax = yuanText(applied.priceMaxFen);
    filterOpen.value = true;
  }

  function closeFilter() {
    filterOpen.value = false;
  }

  function isDraftSelected(name: string, value: string): boolean {
    return draft.facets[name]?.includes(value) ?? false;
  }

  function toggleFacet(name: string, value: string) {
    const values = draft.facets[name] ?? [];
    if (values.includes(value)) {
      const rest = values.filter((v) => v !== value);
      if (rest.length) draft.facets[name] = rest;
      else delete draft.facets[name];
      return;
    }
    if (countSelected(draft.facets) >= FACET_FILTERS_MAX) {
      uni.showToast({ title: t('productList.tooManyFilters', { max: FACET_FILTERS_MAX }), icon: 'none' });
      return;
    }
    draft.facets[name] = [...values, value];
  }

  function resetFilter() {
    draft.facets = {};
    draft.priceMin = '';
    draft.priceMax = '';
  }

  function applyFilter() {
    let min = parseYuanToFen(draft.priceMin);
    let max = parseYuanToFen(draft.priceMax);
    if (min === null || max === null) {
      uni.showToast({ title: t('productList.badPrice'), icon: 'none' });
      return;
    }
    if (min !== undefined && max !== undefined && min > max) [min, max] = [max, min];
    applied.facets = Object.fromEntries(Object.entries(draft.facets).map(([name, values]) => [name, [...values]]));
    applied.priceMinFen = min;
    applied.priceMaxFen = max;
    filterOpen.value = false;
    void reload();
  }

  function clearFilters() {
    applied.facets = {};
    applied.priceMinFen = undefined;
    applied.priceMaxFen = undefined;
    void reload();
  }

  // ---- search box (search mode) ----

  function editSearch() {
    const pages = getCurrentPages();
    const previous = pages[pages.length - 2];
    if (previous && previous.route === 'pages/search/index') uni.navigateBack();
    else openSearch(q.value);
  }

  onLoad((query) => {
    categoryId.value = pageQueryId(query, 'categoryId') ?? undefined;
    q.value = pageQueryValue(query, 'q').trim().slice(0, SHOP_SEARCH_MAX_CHARS);
    title.value = pageQueryValue(query, 'title').trim();
    void reload();
  });
  useShopBars({
    tabPage: false,
    title: () =>
      searching.value ? t('productList.searchTitle', { q: q.value }) : title.value || t('productList.allTitle'),
  });
  onReachBottom(() => {
    void loadMore();
  });
  onPullDownRefresh(() => {
    void reload().finally(() => uni.stopPullDownRefresh());
  });

  return {
    ...useThemeVars(),
    q,
    searching,
    items,
    loaded,
    loading,
    loadingMore,
    error,
    moreError,
    empty,
    finished,
    sort,
    activeSort,
    setSort,
    filterCount,
    filterOpen,
    panelFacets,
    draft,
    openFilter,
    closeFilter,
    isDraftSelected,
    toggleFacet,
    resetFilter,
    applyFilter,
    clearFilters,
    editSearch,
    retry: reload,
    loadMore,
  };
}
