import { onMounted } from 'vue';
import { listPlatformAudit } from '@/api/audit';
import { usePagedList } from '@/composables/use-paged-list';

/** The platform-wide audit log, newest first, a page at a time. */
export function usePlatformAudit() {
  const list = usePagedList(listPlatformAudit);
  onMounted(list.load);
  return list;
}
