import { useRouter } from 'vue-router';
import type { GroupCampaign } from '@shopfleet/contracts';
import { listGroupCampaigns, stopGroupCampaign } from '@/api/group-buys';
import { useCampaignList } from '../common/use-campaign-list';

/** The campaign list, the new-campaign page and the groups page of 拼团. */
export const GROUP_ROUTES = {
  list: 'merchant-marketing-group-buys',
  create: 'merchant-marketing-group-buy-new',
  groups: 'merchant-marketing-group-buy-groups',
} as const;

/** A campaign's name and end change until it is over (ended or stopped). */
export const groupEditable = (campaign: Pick<GroupCampaign, 'displayStatus'>) =>
  campaign.displayStatus === 'not_started' || campaign.displayStatus === 'running';

/**
 * The shop's 拼团 campaigns: status tabs, server paging, stopping one (after a confirm), the edit dialog, and the way to
 * a campaign's groups. Acting needs marketing:promotion:manage; without it the list is read-only.
 */
export function useGroupCampaignList() {
  const router = useRouter();
  const list = useCampaignList({
    permission: 'marketing:promotion:manage',
    fetchPage: listGroupCampaigns,
    stopOne: stopGroupCampaign,
    texts: 'marketing.groupBuys',
    newRoute: GROUP_ROUTES.create,
  });

  /** The groups page: every campaign's, or one campaign's. */
  function openGroups(campaign?: GroupCampaign): void {
    void router.push({ name: GROUP_ROUTES.groups, query: campaign ? { campaignId: String(campaign.id) } : {} });
  }

  return { ...list, editOpen: list.dialogOpen('edit'), openGroups };
}
