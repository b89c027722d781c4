import type { EndpointInput, EndpointResponse, Invitation, TokenPair, merchantApi } from '@shopfleet/contracts';
import { merchantHttp } from './request';

export type CreateInvitationBody = EndpointInput<typeof merchantApi.createInvitation>['body'];
export type InvitationPreview = EndpointResponse<typeof merchantApi.invitationPreview>;
export type AcceptInvitationBody = EndpointInput<typeof merchantApi.acceptInvitation>['body'];

/** GET /merchant-api/v1/staff/invitations: newest first. */
export function listInvitations(): Promise<Invitation[]> {
  return merchantHttp.get<Invitation[]>('/staff/invitations');
}

/** POST /merchant-api/v1/staff/invitations: the answer carries the accept link to hand over. */
export function createInvitation(body: CreateInvitationBody): Promise<Invitation> {
  return merchantHttp.post<Invitation>('/staff/invitations', body);
}

/** DELETE /merchant-api/v1/staff/invitations/:id: revoke a pending invitation. */
export function revokeInvitation(id: number): Promise<{ ok: true }> {
  return merchantHttp.delete<{ ok: true }>(`/staff/invitations/${id}`);
}

/** GET /merchant-api/v1/auth/invitations/:token: what an invitation is for (public; the page shows failures). */
export function getInvitationPreview(token: string): Promise<InvitationPreview> {
  return merchantHttp.get<InvitationPreview>(`/auth/invitations/${encodeURIComponent(token)}`, undefined, {
    auth: false,
    silent: true,
  });
}

/** POST /merchant-api/v1/auth/invitations/:token/accept: join the shop; answers with a session. */
export function acceptInvitation(token: string, body: AcceptInvitationBody): Promise<TokenPair> {
  return merchantHttp.post<TokenPair>(`/auth/invitations/${encodeURIComponent(token)}/accept`, body, {
    auth: false,
    silent: true,
  });
}
