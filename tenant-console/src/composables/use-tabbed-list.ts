import { onMounted, ref, type Ref } from 'vue';
import { useRoute, useRouter, type LocationQuery, type LocationQueryRaw, type LocationQueryValue } from 'vue-router';
import type { Page } from '@shopfleet/contracts';
import type { PageQuery } from '@/api/request';
import { PAGE_SIZES, usePagedList } from './use-paged-list';

/** A query value as one string ('' when absent). */
export function firstOf(value: LocationQueryValue | LocationQueryValue[] | undefined): string {
  const single = Array.isArray(value) ? value[0] : value;
  return typeof single === 'string' ? single : '';
}

function intIn(raw: string, min: number, max: number): number | undefined {
  if (raw === '') return undefined;
  const value = Number(raw);
  return Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}

export interface TabbedListOptions<T, Tab extends string> {
  tabs: readonly Tab[];
  /** The tab shown when the URL names none (never written to the URL). */
  defaultTab: Tab;
  fetch: (tab: Tab, paging: PageQuery) => Promise<Page<T>>;
  /** Loaded beside the list each time (a tab's counts), so the two agree. */
  alongside?: () => Promise<unknown>;
  /**
   * Filters kept in the URL under their names: the page's own value ('' for none), and the values it takes (a list, or
   * a pattern for open-ended ones such as an id).
   */
  filters?: Record<string, { value: Ref<string>; allowed: readonly string[] | RegExp }>;
  /** Told of each new query of the list (to come back to it from an item's page). */
  onQuery?: (query: LocationQueryRaw) => void;
}

/**
 * A server-paged list by tab (a state), with filters: the tab (`status`), the filters, the page and its size live in
 * the URL, so coming back from an item shows the same list; a new tab or filter starts from the first page.
 */
export function useTabbedList<T, Tab extends string>(opts: TabbedListOptions<T, Tab>) {
  const route = useRoute();
  const router = useRouter();
  const query: LocationQuery = route.query;

  const tab = ref(opts.tabs.find((known) => known === firstOf(query.status)) ?? opts.defaultTab) as Ref<Tab>;
  const filters = Object.fromEntries(
    Object.entries(opts.filters ?? {}).map(([name, f]) => {
      const given = firstOf(query[name]);
      const allowed = f.allowed instanceof RegExp ? f.allowed.test(given) : f.allowed.includes(given);
      f.value.value = allowed ? given : '';
      return [name, f.value];
    }),
  );
  const requestedSize = intIn(firstOf(query.pageSize), 1, 100) ?? 20;
  const list = usePagedList<T>((paging) => opts.fetch(tab.value, paging), {
    page: intIn(firstOf(query.page), 1, 10_000) ?? 1,
    pageSize: PAGE_SIZES.includes(requestedSize) ? requestedSize : 20,
  });

  function currentQuery(): LocationQueryRaw {
    return {
      ...(tab.value !== opts.defaultTab ? { status: tab.value } : {}),
      ...Object.fromEntries(
        Object.entries(filters).flatMap(([name, value]) => (value.value ? [[name, value.value]] : [])),
      ),
      ...(list.page.value > 1 ? { page: String(list.page.value) } : {}),
      ...(list.pageSize.value !== 20 ? { pageSize: String(list.pageSize.value) } : {}),
    };
  }

  function syncUrl(): void {
    const next = currentQuery();
    opts.onQuery?.(next);
    void router.replace({ query: next });
  }

  async function load(): Promise<void> {
    await Promise.all([list.load(), opts.alongside?.()]);
  }

  /** From the first page: a new tab, or a new filter. */
  async function reload(): Promise<void> {
    list.page.value = 1;
    syncUrl();
    await load();
  }

  /** el-tabs gives the pane's name; a known tab shows its items from the first page. */
  async function changeTab(name: string | number): Promise<void> {
    const next = opts.tabs.find((known) => known === name);
    if (!next || next === tab.value) return;
    tab.value = next;
    await reload();
  }

  async function changeFilter(name: string, value: string): Promise<void> {
    const filter = filters[name];
    if (!filter || filter.value === value) return;
    filter.value = value;
    await reload();
  }

  async function changePage(page: number): Promise<void> {
    list.page.value = page;
    syncUrl();
    await list.load();
  }

  async function changePageSize(pageSize: number): Promise<void> {
    list.pageSize.value = pageSize;
    list.page.value = 1;
    syncUrl();
    await list.load();
  }

  onMounted(() => {
    opts.onQuery?.(currentQuery());
    void load();
  });

  return {
    tabs: opts.tabs,
    tab,
    filters,
    items: list.items,
    total: list.total,
    page: list.page,
    pageSize: list.pageSize,
    loading: list.loading,
    load,
    changeTab,
    changeFilter,
    changePage,
    changePageSize,
  };
}
