import type {
  EndpointInput,
  EndpointResponse,
  Page,
  QuickReply,
  SupportAgent,
  SupportAgentStatus,
  SupportConversation,
  SupportConversationDetail,
  SupportInboxView,
  SupportMessage,
  SupportSendBody,
  merchantApi,
} from '@shopfleet/contracts';
import { merchantHttp, type PageQuery } from './request';

/** The signed-in agent: status, unread messages of their conversations, the queue's length. */
export type SupportMe = EndpointResponse<typeof merchantApi.supportMe>;
export type SupportHistory = EndpointResponse<typeof merchantApi.supportConversationMessages>;
export type SupportHistoryQuery = Partial<EndpointInput<typeof merchantApi.supportConversationMessages>['query']>;
export type SupportSearchHit = EndpointResponse<typeof merchantApi.supportSearch>['items'][number];
export type SupportImage = EndpointResponse<typeof merchantApi.uploadSupportImage>;

type Quiet = { silent?: boolean };

/** GET /merchant-api/v1/support/me: the agent's status, unread messages and the queue (the menu's badge). */
export function supportMe(options?: Quiet): Promise<SupportMe> {
  return merchantHttp.get<SupportMe>('/support/me', undefined, options);
}

/** PUT /merchant-api/v1/support/me/status: online (takes new conversations and the queue), away or offline. */
export function setSupportStatus(status: SupportAgentStatus): Promise<SupportMe> {
  return merchantHttp.put<SupportMe>('/support/me/status', { status });
}

/** GET /merchant-api/v1/support/agents: the shop's agents with their status and load (for transfers). */
export function supportAgents(): Promise<SupportAgent[]> {
  return merchantHttp.get<SupportAgent[]>('/support/agents');
}

/** GET /merchant-api/v1/support/conversations: one view of the inbox, latest message first (queued: oldest first). */
export function supportInbox(
  view: SupportInboxView,
  paging: PageQuery,
  options?: Quiet,
): Promise<Page<SupportConversation>> {
  return merchantHttp.get<Page<SupportConversation>>('/support/conversations', { view, ...paging }, options);
}

/** GET /merchant-api/v1/support/search: text messages of every conversation that contain `q`, newest first. */
export function searchSupport(q: string, paging: PageQuery): Promise<Page<SupportSearchHit>> {
  return merchantHttp.get<Page<SupportSearchHit>>('/support/search', { q, ...paging });
}

/** GET /merchant-api/v1/support/conversations/:id: the conversation beside its shopper and their recent orders. */
export function getSupportConversation(id: number): Promise<SupportConversationDetail> {
  return merchantHttp.get<SupportConversationDetail>(`/support/conversations/${id}`);
}

/** GET /merchant-api/v1/support/conversations/:id/messages: the newest page, or the one before a seq. */
export function supportMessages(id: number, query: SupportHistoryQuery, options?: Quiet): Promise<SupportHistory> {
  return merchantHttp.get<SupportHistory>(`/support/conversations/${id}/messages`, { ...query }, options);
}

/** POST /merchant-api/v1/support/conversations/:id/messages (201): a reply, when the WebSocket is down. */
export function sendSupportMessage(id: number, body: SupportSendBody, options?: Quiet): Promise<SupportMessage> {
  return merchantHttp.post<SupportMessage>(`/support/conversations/${id}/messages`, body, options);
}

/** POST /merchant-api/v1/support/conversations/:id/read: the shopper's messages read up to `seq`. */
export function readSupportConversation(id: number, seq: number, options?: Quiet): Promise<{ ok: true }> {
  return merchantHttp.post<{ ok: true }>(`/support/conversations/${id}/read`, { seq }, options);
}

/** POST /merchant-api/v1/support/conversations/:id/claim: take a queued conversation. */
export function claimSupportConversation(id: number): Promise<SupportConversation> {
  return merchantHttp.post<SupportConversation>(`/support/conversations/${id}/claim`);
}

/** POST /merchant-api/v1/support/conversations/:id/transfer: hand it to an agent who is online. */
export function transferSupportConversation(id: number, agentId: number): Promise<SupportConversation> {
  return merchantHttp.post<SupportConversation>(`/support/conversations/${id}/transfer`, { agentId });
}

/** POST /merchant-api/v1/support/conversations/:id/close: end it (the shopper's next message opens it again). */
export function closeSupportConversation(id: number): Promise<SupportConversation> {
  return merchantHttp.post<SupportConversation>(`/support/conversations/${id}/close`);
}

/** POST /merchant-api/v1/support/images (201): an image to send, checked by the server from its bytes. */
export function uploadSupportImage(file: Blob): Promise<SupportImage> {
  return merchantHttp.upload<SupportImage>('/support/images', 'file', file, { silent: true });
}

/** GET /merchant-api/v1/support/quick-replies: the shop's quick replies. */
export function listQuickReplies(): Promise<QuickReply[]> {
  return merchantHttp.get<QuickReply[]>('/support/quick-replies');
}

/** POST /merchant-api/v1/support/quick-replies (201). */
export function createQuickReply(text: string): Promise<QuickReply> {
  return merchantHttp.post<QuickReply>('/support/quick-replies', { text });
}

/** PUT /merchant-api/v1/support/quick-replies/:id. */
export function updateQuickReply(id: number, text: string): Promise<QuickReply> {
  return merchantHttp.put<QuickReply>(`/support/quick-replies/${id}`, { text });
}

/** DELETE /merchant-api/v1/support/quick-replies/:id. */
export function deleteQuickReply(id: number): Promise<{ ok: true }> {
  return merchantHttp.delete<{ ok: true }>(`/support/quick-replies/${id}`);
}
