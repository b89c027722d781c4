import type { Ref } from 'vue';
import type { CommissionEntry, Distributor } from '@shopfleet/contracts';
import { distributorLedger } from '@/api/distribution';
import { usePagedList } from '@/composables/use-paged-list';

/** The money ledger of the distributor a drawer shows, a page at a time; `open` starts from the first page. */
export function useDistributorLedger(distributor: Ref<Distributor | null>) {
  const list = usePagedList<CommissionEntry>(
    (paging) =>
      distributor.value
        ? distributorLedger(distributor.value.shopperId, paging)
        : Promise.resolve({ items: [], total: 0, page: 1, pageSize: paging.pageSize }),
    { pageSize: 10 },
  );
  async function open(): Promise<void> {
    list.page.value = 1;
    list.items.value = [];
    await list.load();
  }
  return { ...list, open };
}
