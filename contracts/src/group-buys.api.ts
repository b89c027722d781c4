import { endpoint, merchantCan, publicAccess, signedIn } from './endpoint';
import { idParamsSchema, idSchema, pageOf, pageQuerySchema, shopParamsSchema } from './common';
import {
  groupBuyBodySchema,
  groupCampaignInputSchema,
  groupCampaignListQuerySchema,
  groupCampaignSchema,
  groupListQuerySchema,
  groupSchema,
  shopGroupBuyQuerySchema,
  shopGroupBuySchema,
  updateGroupCampaignBodySchema,
} from './group-buys';
import { orderSchema, placeOrderHeadersSchema } from './orders';

const tags = ['merchant: group buys'];

/** The group-buy endpoints of `/merchant-api/v1` (composed in api.ts). */
export const groupBuysMerchantEndpoints = {
  createGroupCampaign: endpoint({
    method: 'post',
    path: '/group-campaigns',
    summary: 'Create a group-buy campaign (拼团) for one product',
    tags,
    access: merchantCan('marketing:promotion:manage'),
    body: groupCampaignInputSchema,
    response: groupCampaignSchema,
    status: 201,
  }),
  listGroupCampaigns: endpoint({
    method: 'get',
    path: '/group-campaigns',
    summary: "The shop's group-buy campaigns, newest first, by display status",
    tags,
    access: merchantCan('marketing:promotion:read'),
    query: groupCampaignListQuerySchema,
    response: pageOf(groupCampaignSchema),
  }),
  listGroups: endpoint({
    method: 'get',
    path: '/group-campaigns/groups',
    summary: "The shop's groups, newest first, by status or campaign",
    tags,
    access: merchantCan('marketing:promotion:read'),
    query: groupListQuerySchema,
    response: pageOf(groupSchema),
  }),
  getGroupCampaign: endpoint({
    method: 'get',
    path: '/group-campaigns/:id',
    summary: 'A campaign with its figures',
    tags,
    access: merchantCan('marketing:promotion:read'),
    params: idParamsSchema,
    response: groupCampaignSchema,
  }),
  updateGroupCampaign: endpoint({
    method: 'patch',
    path: '/group-campaigns/:id',
    summary: 'Rename a campaign or move its end (groups already open keep their own end)',
    tags,
    access: merchantCan('marketing:promotion:manage'),
    params: idParamsSchema,
    body: updateGroupCampaignBodySchema,
    response: groupCampaignSchema,
  }),
  stopGroupCampaign: endpoint({
    method: 'post',
    path: '/group-campaigns/:id/stop',
    summary: 'Stop a campaign early: no new groups; open groups may still fill until their end',
    tags,
    access: merchantCan('marketing:promotion:manage'),
    params: idParamsSchema,
    response: groupCampaignSchema,
  }),
};

const shopTags = ['shop: group buys'];
const shopIdParamsSchema = shopParamsSchema.extend({ id: idSchema });

/** The group-buy endpoints of `/shop-api/v1` (composed in api.ts). */
export const groupBuysShopEndpoints = {
  shopGroupBuy: endpoint({
    method: 'get',
    path: '/shops/:shopKey/group-buys',
    summary: "A product's running group-buy campaign, with open groups to join (fewest seats left first)",
    tags: shopTags,
    access: publicAccess,
    params: shopParamsSchema,
    query: shopGroupBuyQuerySchema,
    response: shopGroupBuySchema,
  }),
  myGroups: endpoint({
    method: 'get',
    path: '/shops/:shopKey/groups',
    summary: 'The groups the shopper started or joined, newest first',
    tags: shopTags,
    access: signedIn('shopper'),
    params: shopParamsSchema,
    query: pageQuerySchema,
    response: pageOf(groupSchema),
  }),
  getGroup: endpoint({
    method: 'get',
    path: '/shops/:shopKey/groups/:id',
    summary: 'A group: n / m joined, its members, its countdown, and whether this shopper can join it',
    tags: shopTags,
    access: signedIn('shopper'),
    params: shopIdParamsSchema,
    response: groupSchema,
  }),
  buyInGroup: endpoint({
    method: 'post',
    path: '/shops/:shopKey/group-campaigns/:id/orders',
    summary:
      'Start a group (no groupId) or join one (header Idempotency-Key): a seat is held with the order, 409 GROUP_FULL',
    tags: shopTags,
    access: signedIn('shopper'),
    params: shopIdParamsSchema,
    body: groupBuyBodySchema,
    headers: placeOrderHeadersSchema,
    response: orderSchema,
    status: 201,
  }),
};
