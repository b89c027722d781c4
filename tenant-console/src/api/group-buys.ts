import type { EndpointInput, Group, GroupCampaign, GroupStatus, Page, merchantApi } from '@shopfleet/contracts';
import type { CampaignListQuery } from './marketing';
import type { PageQuery } from './request';
import { merchantHttp } from './request';

export type GroupCampaignBody = EndpointInput<typeof merchantApi.createGroupCampaign>['body'];
export type UpdateGroupCampaignBody = EndpointInput<typeof merchantApi.updateGroupCampaign>['body'];

/** A page of groups, of one status or all, of one campaign or all. */
export interface GroupListQuery extends PageQuery {
  status?: GroupStatus;
  campaignId?: number;
}

/** GET /merchant-api/v1/group-campaigns: newest first, by display status, with their SKUs and figures. */
export function listGroupCampaigns(query: CampaignListQuery): Promise<Page<GroupCampaign>> {
  return merchantHttp.get<Page<GroupCampaign>>('/group-campaigns', { ...query });
}

/** POST /merchant-api/v1/group-campaigns (201): one product, each SKU's group price below its price. */
export function createGroupCampaign(body: GroupCampaignBody): Promise<GroupCampaign> {
  return merchantHttp.post<GroupCampaign>('/group-campaigns', body);
}

/** GET /merchant-api/v1/group-campaigns/:id: the campaign with its figures. */
export function getGroupCampaign(id: number, options?: { silent?: boolean }): Promise<GroupCampaign> {
  return merchantHttp.get<GroupCampaign>(`/group-campaigns/${id}`, undefined, options);
}

/** PATCH /merchant-api/v1/group-campaigns/:id: the name, or the end (groups already open keep their own end). */
export function updateGroupCampaign(id: number, body: UpdateGroupCampaignBody): Promise<GroupCampaign> {
  return merchantHttp.patch<GroupCampaign>(`/group-campaigns/${id}`, body);
}

/** POST /merchant-api/v1/group-campaigns/:id/stop: no new groups; open groups may still fill until their end. */
export function stopGroupCampaign(id: number): Promise<GroupCampaign> {
  return merchantHttp.post<GroupCampaign>(`/group-campaigns/${id}/stop`);
}

/** GET /merchant-api/v1/group-campaigns/groups: the shop's groups, newest first, by status or campaign. */
export function listGroups(query: GroupListQuery): Promise<Page<Group>> {
  return merchantHttp.get<Page<Group>>('/group-campaigns/groups', { ...query });
}
