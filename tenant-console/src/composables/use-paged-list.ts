import { ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import type { Page } from '@shopfleet/contracts';
import type { PageQuery } from '@/api/request';

export const PAGE_SIZES = [10, 20, 50, 100];

export interface PagedList<T> {
  items: ShallowRef<T[]>;
  total: Ref<number>;
  page: Ref<number>;
  pageSize: Ref<number>;
  loading: Ref<boolean>;
  /** The last load failed (the request client has already shown why). */
  failed: Ref<boolean>;
  load(): Promise<void>;
  changePage(page: number): Promise<void>;
  changePageSize(pageSize: number): Promise<void>;
}

/**
 * A server-paged table: one `fetchPage` call per page. Answers that arrive after a newer request has
 * started are dropped, so quick paging never shows an older page.
 */
export function usePagedList<T>(
  fetchPage: (paging: PageQuery) => Promise<Page<T>>,
  initial: Partial<PageQuery> = {},
): PagedList<T> {
  const items = shallowRef<T[]>([]);
  const total = ref(0);
  const page = ref(initial.page ?? 1);
  const pageSize = ref(initial.pageSize ?? 20);
  const loading = ref(false);
  const failed = ref(false);
  let latest = 0;

  async function load(): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    try {
      const result = await fetchPage({ page: page.value, pageSize: pageSize.value });
      if (ticket !== latest) return;
      items.value = result.items;
      total.value = result.total;
      failed.value = false;
    } catch {
      if (ticket !== latest) return;
      items.value = [];
      total.value = 0;
      failed.value = true;
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  async function changePage(next: number): Promise<void> {
    page.value = next;
    await load();
  }

  async function changePageSize(next: number): Promise<void> {
    pageSize.value = next;
    page.value = 1;
    await load();
  }

  return { items, total, page, pageSize, loading, failed, load, changePage, changePageSize };
}
