import { onMounted } from 'vue';
import { listShopAudit } from '@/api/audit';
import { usePagedList } from '@/composables/use-paged-list';

/** The shop's audit log, newest first, a page at a time. */
export function useShopAudit() {
  const list = usePagedList(listShopAudit);
  onMounted(list.load);
  return list;
}
