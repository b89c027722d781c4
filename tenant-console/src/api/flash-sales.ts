import type { EndpointInput, FlashLive, FlashSession, Page, merchantApi } from '@shopfleet/contracts';
import type { CampaignListQuery } from './marketing';
import { merchantHttp } from './request';

export type FlashSessionBody = EndpointInput<typeof merchantApi.createFlashSession>['body'];
export type UpdateFlashSessionBody = EndpointInput<typeof merchantApi.updateFlashSession>['body'];

/** GET /merchant-api/v1/flash-sessions: latest start first, by display status, with their items and figures. */
export function listFlashSessions(query: CampaignListQuery): Promise<Page<FlashSession>> {
  return merchantHttp.get<Page<FlashSession>>('/flash-sessions', { ...query });
}

/** POST /merchant-api/v1/flash-sessions (201): each item's stock is taken from its SKU at once. */
export function createFlashSession(body: FlashSessionBody): Promise<FlashSession> {
  return merchantHttp.post<FlashSession>('/flash-sessions', body);
}

/** GET /merchant-api/v1/flash-sessions/:id: the session with each item's figures. */
export function getFlashSession(id: number, options?: { silent?: boolean }): Promise<FlashSession> {
  return merchantHttp.get<FlashSession>(`/flash-sessions/${id}`, undefined, options);
}

/** GET /merchant-api/v1/flash-sessions/:id/live: each item's stock left, unpaid and paid units and orders; visitors. */
export function flashSessionLive(id: number): Promise<FlashLive> {
  return merchantHttp.get<FlashLive>(`/flash-sessions/${id}/live`);
}

/** PATCH /merchant-api/v1/flash-sessions/:id: before its start, the name, period or payment window. */
export function updateFlashSession(id: number, body: UpdateFlashSessionBody): Promise<FlashSession> {
  return merchantHttp.patch<FlashSession>(`/flash-sessions/${id}`, body);
}

/** POST /merchant-api/v1/flash-sessions/:id/stop: no more purchases; the stock left goes back to the SKUs. */
export function stopFlashSession(id: number): Promise<FlashSession> {
  return merchantHttp.post<FlashSession>(`/flash-sessions/${id}/stop`);
}
