import type {
  ArbitrationDetail,
  ArbitrationItem,
  Complaint,
  ComplaintCounts,
  ComplaintDecisionBody,
  ComplaintSource,
  ComplaintStatus,
  EndpointInput,
  Page,
  merchantApi,
} from '@shopfleet/contracts';
import { merchantHttp, platformHttp, type PageQuery } from './request';

export type ComplaintStatementBody = EndpointInput<typeof merchantApi.answerComplaint>['body'];

export interface ComplaintListQuery extends PageQuery {
  status?: ComplaintStatus;
}

export interface ArbitrationQueueQuery extends PageQuery {
  status: ComplaintStatus;
  source?: ComplaintSource;
}

// ---- the merchant: complaints against the shop (售后 → 投诉) ----

/** GET /merchant-api/v1/complaints: the shop's complaints, newest first, of one state or all. */
export function listComplaints(query: ComplaintListQuery): Promise<Page<Complaint>> {
  return merchantHttp.get<Page<Complaint>>('/complaints', { ...query });
}

/** GET /merchant-api/v1/complaints/counts: how many complaints against the shop are open (the menu's badge). */
export function complaintCounts(options?: { silent?: boolean }): Promise<ComplaintCounts> {
  return merchantHttp.get<ComplaintCounts>('/complaints/counts', undefined, options);
}

/** GET /merchant-api/v1/complaints/:id: a complaint with every statement and the decision. */
export function getComplaint(id: number): Promise<Complaint> {
  return merchantHttp.get<Complaint>(`/complaints/${id}`);
}

/** POST /merchant-api/v1/complaints/:id/statements (201): the shop's side of an open complaint, with photos. */
export function answerComplaint(id: number, body: ComplaintStatementBody): Promise<Complaint> {
  return merchantHttp.post<Complaint>(`/complaints/${id}/statements`, body);
}

// ---- platform staff: the arbitration queue (投诉仲裁) ----

/** GET /platform-api/v1/arbitration: complaints across shops, open ones oldest first, decided ones newest first. */
export function listArbitration(query: ArbitrationQueueQuery): Promise<Page<ArbitrationItem>> {
  return platformHttp.get<Page<ArbitrationItem>>('/arbitration', { ...query });
}

/** GET /platform-api/v1/arbitration/:id: the complaint, the case with its history, and the order's money. */
export function getArbitration(id: number): Promise<ArbitrationDetail> {
  return platformHttp.get<ArbitrationDetail>(`/arbitration/${id}`);
}

/** POST /platform-api/v1/arbitration/:id/decide: a refund of an amount, or a refusal; applied and told to both sides. */
export function decideArbitration(id: number, body: ComplaintDecisionBody): Promise<ArbitrationDetail> {
  return platformHttp.post<ArbitrationDetail>(`/arbitration/${id}/decide`, body);
}
