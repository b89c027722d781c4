import type { EndpointInput, EndpointResponse, Page, platformApi } from '@shopfleet/contracts';
import { platformHttp } from './request';

export type ReviewQueueQuery = EndpointInput<typeof platformApi.reviewQueue>['query'];
export type ReviewQueueItem = EndpointResponse<typeof platformApi.reviewQueue>['items'][number];
export type ReviewDocument = EndpointResponse<typeof platformApi.getReviewDocument>;
export type ReviewSignedUrl = EndpointResponse<typeof platformApi.reviewFileUrl>;
export type RevealedFields = EndpointResponse<typeof platformApi.revealDocument>;
export type ApproveBody = EndpointInput<typeof platformApi.approveDocument>['body'];
export type RejectBody = EndpointInput<typeof platformApi.rejectDocument>['body'];

export interface ReviewQueueFilters {
  status: ReviewQueueQuery['status'];
  categoryCode?: string;
  minAgeHours?: number;
}

/** GET /platform-api/v1/reviews: documents to review, oldest submission first. */
export function listReviewQueue(
  query: ReviewQueueFilters & { page: number; pageSize: number },
): Promise<Page<ReviewQueueItem>> {
  return platformHttp.get<Page<ReviewQueueItem>>('/reviews', { ...query });
}

const docPath = (tenantId: number, documentId: number): string => `/tenants/${tenantId}/qualifications/${documentId}`;

/** GET /platform-api/v1/tenants/:tenantId/qualifications/:id: a document under review, with its history. */
export function getReviewDocument(tenantId: number, documentId: number): Promise<ReviewDocument> {
  return platformHttp.get<ReviewDocument>(docPath(tenantId, documentId));
}

/** GET …/files/:fileId/url: a short-lived address of one file (the view is audited). */
export function getReviewFileUrl(tenantId: number, documentId: number, fileId: number): Promise<ReviewSignedUrl> {
  return platformHttp.get<ReviewSignedUrl>(`${docPath(tenantId, documentId)}/files/${fileId}/url`);
}

/** POST …/reveal: the sensitive fields unmasked (audited). */
export function revealDocument(tenantId: number, documentId: number): Promise<RevealedFields> {
  return platformHttp.post<RevealedFields>(`${docPath(tenantId, documentId)}/reveal`);
}

/** POST …/approve */
export function approveDocument(tenantId: number, documentId: number, body: ApproveBody): Promise<ReviewDocument> {
  return platformHttp.post<ReviewDocument>(`${docPath(tenantId, documentId)}/approve`, body);
}

/** POST …/reject: with a reason, and a note (required for `other`). */
export function rejectDocument(tenantId: number, documentId: number, body: RejectBody): Promise<ReviewDocument> {
  return platformHttp.post<ReviewDocument>(`${docPath(tenantId, documentId)}/reject`, body);
}
