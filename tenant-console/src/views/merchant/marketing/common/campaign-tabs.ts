import { ref } from 'vue';
import type { CouponDisplayStatus } from '@shopfleet/contracts';
import { COUPON_DISPLAY_STATUSES } from '@shopfleet/contracts/constants';
import type { CampaignListQuery } from '@/api/marketing';
import type { PageQuery } from '@/api/request';

/** A status tab of a campaign list: one display status, or every campaign. */
export type CampaignTab = CouponDisplayStatus | 'all';
export const CAMPAIGN_TABS: readonly CampaignTab[] = ['all', ...COUPON_DISPLAY_STATUSES];

/** The tab chosen, and the list query it makes with a page. */
export function useCampaignTab() {
  const tab = ref<CampaignTab>('all');
  function queryOf(paging: PageQuery): CampaignListQuery {
    return tab.value === 'all' ? paging : { ...paging, status: tab.value };
  }
  /** Show another tab (el-tabs names it as a string); true when it changed. */
  function choose(name: string | number): boolean {
    const next = CAMPAIGN_TABS.find((known) => known === name);
    if (!next || next === tab.value) return false;
    tab.value = next;
    return true;
  }
  return { tabs: CAMPAIGN_TABS, tab, queryOf, choose };
}
