import type { Complaint, ComplaintBody, ComplaintCounts, ComplaintStatus, Page } from '@shopfleet/contracts';
import { shopRequest } from '../request';

/**
 * POST /shops/:shopKey/complaints — complain about a paid order, or about one of its cases the merchant refused
 * or that closed; the platform decides. Photos are uploaded first with `uploadAfterSalesPhoto`.
 */
export function fileComplaint(body: ComplaintBody): Promise<Complaint> {
  return shopRequest<Complaint>({ method: 'POST', path: '/complaints', body: { ...body }, auth: true });
}

/** GET /shops/:shopKey/complaints — the shopper's complaints, newest first, of one state when given. */
export function myComplaints(query: {
  status?: ComplaintStatus;
  page: number;
  pageSize: number;
}): Promise<Page<Complaint>> {
  return shopRequest<Page<Complaint>>({
    method: 'GET',
    path: '/complaints',
    query: { status: query.status, page: query.page, pageSize: query.pageSize },
    auth: true,
  });
}

/** GET /shops/:shopKey/complaints/counts — how many are open, and how many have a decision not yet read. */
export function myComplaintCounts(): Promise<ComplaintCounts> {
  return shopRequest<ComplaintCounts>({ method: 'GET', path: '/complaints/counts', auth: true });
}

/** GET /shops/:shopKey/complaints/:id — one complaint with its statements and decision; reading a decision marks it read. */
export function getMyComplaint(id: number): Promise<Complaint> {
  return shopRequest<Complaint>({ method: 'GET', path: `/complaints/${id}`, auth: true });
}

/** POST /shops/:shopKey/complaints/:id/statements — say more in an open complaint, with photos. */
export function addComplaintStatement(id: number, body: { statement: string; photoIds: number[] }): Promise<Complaint> {
  return shopRequest<Complaint>({
    method: 'POST',
    path: `/complaints/${id}/statements`,
    body: { statement: body.statement, photoIds: body.photoIds },
    auth: true,
  });
}

/** POST /shops/:shopKey/complaints/:id/withdraw — withdraw an open complaint filed in the shop. */
export function withdrawComplaint(id: number): Promise<Complaint> {
  return shopRequest<Complaint>({ method: 'POST', path: `/complaints/${id}/withdraw`, auth: true });
}
