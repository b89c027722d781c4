import { onMounted, ref, shallowRef } from 'vue';
import type { Group, GroupCampaign, GroupStatus } from '@shopfleet/contracts';
import { GROUP_STATUSES } from '@shopfleet/contracts/constants';
import { listGroupCampaigns, listGroups } from '@/api/group-buys';
import { useTabbedList } from '@/composables/use-tabbed-list';

/** A status tab of the groups: one status, or every group. */
export type GroupTab = GroupStatus | 'all';
export const GROUP_TABS: readonly GroupTab[] = ['all', ...GROUP_STATUSES];

/** Campaigns offered by the campaign filter: the newest, which is where groups are being formed. */
const CAMPAIGNS_OFFERED = 100;

/**
 * The shop's groups (团列表): a tab per status, a campaign filter (a campaign's row opens it filtered), server paging;
 * the tab, the campaign and the page live in the URL.
 */
export function useGroupList() {
  const campaignId = ref('');
  const list = useTabbedList<Group, GroupTab>({
    tabs: GROUP_TABS,
    defaultTab: 'all',
    fetch: (tab, paging) =>
      listGroups({
        ...paging,
        ...(tab === 'all' ? {} : { status: tab }),
        ...(campaignId.value ? { campaignId: Number(campaignId.value) } : {}),
      }),
    filters: { campaignId: { value: campaignId, allowed: /^\d{1,15}$/ } },
  });

  const campaigns = shallowRef<GroupCampaign[]>([]);
  onMounted(async () => {
    try {
      campaigns.value = (await listGroupCampaigns({ page: 1, pageSize: CAMPAIGNS_OFFERED })).items;
    } catch {
      // Shown by the request client; the filter offers what the URL names.
    }
  });

  /** The filter's options: the campaigns read, and the one the URL names if it is not among them. */
  function campaignName(id: number): string {
    return campaigns.value.find((c) => c.id === id)?.name ?? `#${id}`;
  }

  /** The group's leader, as its members show them. */
  const leaderOf = (group: Group) => group.members.find((m) => m.leader) ?? null;

  return { ...list, campaignId, campaigns, campaignName, leaderOf };
}
