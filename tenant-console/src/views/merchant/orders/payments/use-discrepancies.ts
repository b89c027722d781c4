import { onMounted, ref } from 'vue';
import { listDiscrepancies, type Discrepancy } from '@/api/payments';
import { usePagedList } from '@/composables/use-paged-list';

/** Which discrepancies to show: all, the open ones, or the resolved ones. */
export type ResolvedFilter = '' | 'false' | 'true';

/** Differences the daily reconciliation found between the shop's orders and the providers' records. */
export function useDiscrepancies() {
  const resolved = ref<ResolvedFilter>('');
  const list = usePagedList<Discrepancy>((paging) =>
    listDiscrepancies({ ...paging, resolved: resolved.value || undefined }),
  );

  async function changeResolved(next: ResolvedFilter): Promise<void> {
    resolved.value = next;
    list.page.value = 1;
    await list.load();
  }

  onMounted(list.load);

  return {
    resolved,
    changeResolved,
    items: list.items,
    total: list.total,
    page: list.page,
    pageSize: list.pageSize,
    loading: list.loading,
    load: list.load,
    changePage: list.changePage,
    changePageSize: list.changePageSize,
  };
}
