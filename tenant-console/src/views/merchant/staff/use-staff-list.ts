import { onMounted } from 'vue';
import { listStaff } from '@/api/staff';
import { usePagedList } from '@/composables/use-paged-list';

/** The shop's staff, a page at a time. */
export function useStaffList() {
  const list = usePagedList(listStaff);
  onMounted(list.load);
  return list;
}
