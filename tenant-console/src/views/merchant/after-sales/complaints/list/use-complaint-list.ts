import { computed } from 'vue';
import { useRouter } from 'vue-router';
import type { Complaint, ComplaintStatus } from '@shopfleet/contracts';
import { COMPLAINT_STATUSES } from '@shopfleet/contracts/constants';
import { listComplaints } from '@/api/complaints';
import { useTabbedList } from '@/composables/use-tabbed-list';
import { useAfterSalesCountsStore } from '@/stores/after-sales-counts';
import { useMerchantSessionStore } from '@/stores/merchant-session';

/**
 * 售后 → 投诉: the complaints against the shop by state (open first: those the shop should answer), newest first as the
 * server lists them, with server paging; the open tab's count is the menu's badge (fetched again with each tab so the
 * two agree). The tab and page live in the URL so coming back from a complaint shows the same.
 */
export function useComplaintList() {
  const router = useRouter();
  const session = useMerchantSessionStore();
  const counts = useAfterSalesCountsStore();
  /** Order numbers link to the order's page for those who may open it. */
  const canOpenOrders = computed(() => session.can('order:order:read'));

  const list = useTabbedList<Complaint, ComplaintStatus>({
    tabs: COMPLAINT_STATUSES,
    defaultTab: 'open',
    fetch: (status, paging) => listComplaints({ ...paging, status }),
    alongside: () => counts.refresh(),
  });

  /** The open tab's count (the badge's); the API counts no other state. */
  const openCount = computed(() => counts.complaintsOpen);

  function openDetail(item: Complaint): void {
    void router.push({ name: 'merchant-complaint-detail', params: { id: String(item.id) } });
  }

  return { ...list, openCount, canOpenOrders, openDetail };
}
