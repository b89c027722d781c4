import { computed, ref, shallowRef } from 'vue';
import { onPullDownRefresh, onReachBottom } from '@dcloudio/uni-app';
import { describeError } from '../request';

const PAGE_SIZE = 10;

/** What a page of any list answers: its items, and how many there are in all. */
export interface ListPage<T> {
  items: T[];
  total: number;
}

export interface PagedListOptions<P> {
  /** Asked before each reload: false skips it (the page shows why, e.g. nobody is signed in). */
  canLoad?: () => boolean;
  /** A reload's error the page shows another way (a lapsed sign-in): true keeps it out of `error`. */
  handled?: (error: unknown) => boolean;
  /** Each page's whole answer, for what comes with the items (a rating summary). */
  onPage?: (page: P) => void;
}

/**
 * A list the shopper scrolls a page at a time: the first page on reload (and on pulling down), the next one on
 * reaching the bottom. Answers to an older reload are dropped, and an item a later page repeats (the list moved
 * meanwhile) is shown once. A failed first page is `error`, a failed next page `moreError` (tapped to try again).
 */
export function usePagedList<T extends { id: number }, P extends object = ListPage<T>>(
  fetchPage: (page: number, pageSize: number) => Promise<ListPage<T> & P>,
  options: PagedListOptions<ListPage<T> & P> = {},
) {
  const items = shallowRef<T[]>([]);
  const page = ref(0);
  const total = ref(0);
  const loaded = ref(false);
  const loading = ref(false);
  const loadingMore = ref(false);
  const error = ref<string | null>(null);
  const moreError = ref<string | null>(null);
  let generation = 0;

  const finished = computed(() => loaded.value && items.value.length >= total.value);
  const empty = computed(() => loaded.value && !loading.value && items.value.length === 0);

  async function reload(): Promise<void> {
    if (options.canLoad && !options.canLoad()) return;
    const mine = ++generation;
    loading.value = true;
    error.value = null;
    moreError.value = null;
    try {
      const result = await fetchPage(1, PAGE_SIZE);
      if (mine !== generation) return;
      options.onPage?.(result);
      items.value = result.items;
      page.value = 1;
      total.value = result.total;
      loaded.value = true;
    } catch (e) {
      if (mine !== generation) return;
      if (!options.handled?.(e)) error.value = describeError(e);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  async function loadMore(): Promise<void> {
    if (!loaded.value || finished.value || loading.value || loadingMore.value) return;
    const mine = generation;
    loadingMore.value = true;
    moreError.value = null;
    try {
      const result = await fetchPage(page.value + 1, PAGE_SIZE);
      if (mine !== generation) return;
      options.onPage?.(result);
      const seen = new Set(items.value.map((item) => item.id));
      items.value = items.value.concat(result.items.filter((item) => !seen.has(item.id)));
      page.value += 1;
      total.value = result.total;
    } catch (e) {
      if (mine === generation) moreError.value = describeError(e);
    } finally {
      if (mine === generation) loadingMore.value = false;
    }
  }

  /** Another list in the same place (another tab): none of the old items stay while the first page loads. */
  function restart(): Promise<void> {
    items.value = [];
    loaded.value = false;
    return reload();
  }

  onReachBottom(() => {
    void loadMore();
  });
  onPullDownRefresh(() => {
    void reload().finally(() => uni.stopPullDownRefresh());
  });

  return { items, total, loaded, loading, loadingMore, error, moreError, finished, empty, reload, loadMore, restart };
}
