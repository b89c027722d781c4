import type { Complaint } from '@shopfleet/contracts';
import { myComplaints } from '../api/complaints';
import { t } from '../locales';
import {
  COMPLAINT_TABS,
  complaintDecisionView,
  complaintReasonText,
  complaintStatusText,
  type ComplaintTab,
} from '../utils/complaints';
import { openComplaint } from '../utils/routes';
import { formatDateTime } from '../utils/time';
import { useShopperList } from './use-shopper-list';

const TABS = COMPLAINT_TABS as readonly [ComplaintTab, ...ComplaintTab[]];

/** My complaints by state (all, open, resolved, withdrawn), newest first, a page more on reaching the bottom. */
export function useComplaintList() {
  const list = useShopperList<ComplaintTab, Complaint>({
    tabs: TABS,
    tabQuery: 'tab',
    fetchPage: (tab, page, pageSize) => myComplaints({ status: tab || undefined, page, pageSize }),
    title: () => t('nav.complaintList'),
  });

  return {
    ...list,
    tabs: TABS.map((key) => ({ key, name: key ? complaintStatusText(key) : t('complaint.tab.all') })),
    complaints: list.items,
    statusText: (c: Complaint) => complaintStatusText(c.status),
    reasonText: (c: Complaint) => complaintReasonText(c.reason),
    decisionText: (c: Complaint) => complaintDecisionView(c)?.text ?? '',
    formatDateTime,
    open: (c: Complaint) => openComplaint(c.id),
  };
}
