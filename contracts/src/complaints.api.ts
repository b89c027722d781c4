import { endpoint, merchantCan, platformCan, signedIn } from './endpoint';
import { shopProductParamsSchema } from './catalog';
import { idParamsSchema, pageOf, shopParamsSchema } from './common';
import {
  arbitrationDetailSchema,
  arbitrationItemSchema,
  arbitrationQueueQuerySchema,
  complaintBodySchema,
  complaintCountsSchema,
  complaintDecisionBodySchema,
  complaintListQuerySchema,
  complaintSchema,
  complaintStatementBodySchema,
} from './complaints';

const tags = ['merchant: complaints'];

/** The complaints endpoints of `/merchant-api/v1` (composed in api.ts): the shop answers what it is accused of. */
export const complaintsMerchantEndpoints = {
  listComplaints: endpoint({
    method: 'get',
    path: '/complaints',
    summary: 'Complaints against the shop (its shoppers’ and WeChat Pay’s), newest first',
    tags,
    access: merchantCan('aftersale:case:read'),
    query: complaintListQuerySchema,
    response: pageOf(complaintSchema),
  }),
  complaintCounts: endpoint({
    method: 'get',
    path: '/complaints/counts',
    summary: 'How many complaints against the shop are open',
    tags,
    access: merchantCan('aftersale:case:read'),
    response: complaintCountsSchema,
  }),
  getComplaint: endpoint({
    method: 'get',
    path: '/complaints/:id',
    summary: 'A complaint with every statement and the decision',
    tags,
    access: merchantCan('aftersale:case:read'),
    params: idParamsSchema,
    response: complaintSchema,
  }),
  answerComplaint: endpoint({
    method: 'post',
    path: '/complaints/:id/statements',
    summary: "State the shop's side of an open complaint, with photos (the platform decides from both sides)",
    tags,
    access: merchantCan('aftersale:case:manage'),
    params: idParamsSchema,
    body: complaintStatementBodySchema,
    response: complaintSchema,
    status: 201,
  }),
};

const shopTags = ['shop: complaints'];
const shopper = signedIn('shopper');

/** The complaints endpoints of `/shop-api/v1` (composed in api.ts). */
export const complaintsShopEndpoints = {
  fileComplaint: endpoint({
    method: 'post',
    path: '/shops/:shopKey/complaints',
    summary: 'Complain (投诉) about an order, or about a case the merchant refused: the platform will decide',
    tags: shopTags,
    access: shopper,
    params: shopParamsSchema,
    body: complaintBodySchema,
    response: complaintSchema,
    status: 201,
  }),
  myComplaints: endpoint({
    method: 'get',
    path: '/shops/:shopKey/complaints',
    summary: "The shopper's complaints, newest first",
    tags: shopTags,
    access: shopper,
    params: shopParamsSchema,
    query: complaintListQuerySchema,
    response: pageOf(complaintSchema),
  }),
  myComplaintCounts: endpoint({
    method: 'get',
    path: '/shops/:shopKey/complaints/counts',
    summary: "How many of the shopper's complaints are open, and how many have a decision not yet read",
    tags: shopTags,
    access: shopper,
    params: shopParamsSchema,
    response: complaintCountsSchema,
  }),
  getMyComplaint: endpoint({
    method: 'get',
    path: '/shops/:shopKey/complaints/:id',
    summary: 'One of the shopper’s complaints (reading a decision marks it read)',
    tags: shopTags,
    access: shopper,
    params: shopProductParamsSchema,
    response: complaintSchema,
  }),
  addComplaintStatement: endpoint({
    method: 'post',
    path: '/shops/:shopKey/complaints/:id/statements',
    summary: 'Say more in an open complaint, with photos',
    tags: shopTags,
    access: shopper,
    params: shopProductParamsSchema,
    body: complaintStatementBodySchema,
    response: complaintSchema,
    status: 201,
  }),
  withdrawComplaint: endpoint({
    method: 'post',
    path: '/shops/:shopKey/complaints/:id/withdraw',
    summary: 'Withdraw an open complaint',
    tags: shopTags,
    access: shopper,
    params: shopProductParamsSchema,
    response: complaintSchema,
  }),
};

const platformTags = ['platform: arbitration'];

/** The arbitration endpoints of `/platform-api/v1` (composed in api.ts). */
export const complaintsPlatformEndpoints = {
  arbitrationQueue: endpoint({
    method: 'get',
    path: '/arbitration',
    summary: 'Complaints across shops: open ones oldest first, decided ones newest first',
    tags: platformTags,
    access: platformCan('platform:complaint:read'),
    query: arbitrationQueueQuerySchema,
    response: pageOf(arbitrationItemSchema),
  }),
  getArbitration: endpoint({
    method: 'get',
    path: '/arbitration/:id',
    summary: "A complaint with both sides' statements, the case and its history, and the order's money",
    tags: platformTags,
    access: platformCan('platform:complaint:read'),
    params: idParamsSchema,
    response: arbitrationDetailSchema,
  }),
  decideArbitration: endpoint({
    method: 'post',
    path: '/arbitration/:id/decide',
    summary: 'Decide: refund an amount through the original payment, or refuse; applied and told to both sides',
    tags: platformTags,
    access: platformCan('platform:complaint:decide'),
    params: idParamsSchema,
    body: complaintDecisionBodySchema,
    response: arbitrationDetailSchema,
  }),
};
