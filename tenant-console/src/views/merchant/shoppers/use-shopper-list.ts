import { onMounted } from 'vue';
import { listShoppers } from '@/api/shoppers';
import { usePagedList } from '@/composables/use-paged-list';

/** The shop's shoppers, a page at a time. */
export function useShopperList() {
  const list = usePagedList(listShoppers);
  onMounted(list.load);
  return list;
}
