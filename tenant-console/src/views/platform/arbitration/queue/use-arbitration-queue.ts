import { onUnmounted, ref, type Ref } from 'vue';
import { useRouter, type LocationQueryRaw, type RouteLocationRaw } from 'vue-router';
import type { ArbitrationItem, ComplaintSource, ComplaintStatus } from '@shopfleet/contracts';
import { COMPLAINT_SOURCES, COMPLAINT_STATUSES } from '@shopfleet/contracts/constants';
import { listArbitration } from '@/api/complaints';
import { useTabbedList } from '@/composables/use-tabbed-list';

/** The queue's address the last time it was shown, so a complaint's page can return to the same list. */
let lastQueueQuery: LocationQueryRaw = {};

/** Back to the arbitration queue with the tab, filter and page it had. */
export function arbitrationQueueLocation(): RouteLocationRaw {
  return { name: 'platform-arbitration', query: lastQueueQuery };
}

/**
 * 投诉仲裁: complaints across shops by state (open by default: oldest first, as the server orders them; decided ones
 * newest first) and source, with how long each open one has waited. Tab, filter and page live in the URL.
 */
export function useArbitrationQueue() {
  const router = useRouter();
  /** Waiting times move on while the page is open. */
  const now = ref(Date.now());
  const clock = setInterval(() => (now.value = Date.now()), 60_000);
  onUnmounted(() => clearInterval(clock));

  const source = ref<ComplaintSource | ''>('');
  const list = useTabbedList<ArbitrationItem, ComplaintStatus>({
    tabs: COMPLAINT_STATUSES,
    defaultTab: 'open',
    filters: { source: { value: source as Ref<string>, allowed: COMPLAINT_SOURCES } },
    fetch: (status, paging) => listArbitration({ ...paging, status, source: source.value || undefined }),
    alongside: async () => {
      now.value = Date.now();
    },
    onQuery: (query) => (lastQueueQuery = query),
  });

  const changeSource = (next: ComplaintSource | '') => list.changeFilter('source', next);

  function openDetail(item: ArbitrationItem): void {
    void router.push({ name: 'platform-arbitration-detail', params: { id: String(item.complaint.id) } });
  }

  return { ...list, sources: COMPLAINT_SOURCES, source, now, changeSource, openDetail };
}
