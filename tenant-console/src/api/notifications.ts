import type { EndpointResponse, merchantApi } from '@shopfleet/contracts';
import { merchantHttp, type PageQuery } from './request';

export type NotificationPage = EndpointResponse<typeof merchantApi.listNotifications>;

/** GET /merchant-api/v1/notifications: newest first, with the count of unread ones. */
export function listNotifications(query: PageQuery, options: { silent?: boolean } = {}): Promise<NotificationPage> {
  return merchantHttp.get<NotificationPage>('/notifications', { ...query }, options);
}

/** POST /merchant-api/v1/notifications/:id/read */
export function markNotificationRead(id: number): Promise<{ ok: true }> {
  return merchantHttp.post<{ ok: true }>(`/notifications/${id}/read`);
}
