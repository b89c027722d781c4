import { platformHttp } from './request';

/** The Bull Board dashboard; it reads the cookie that `openQueueSession` sets. */
export const QUEUE_DASHBOARD_URL = '/platform-api/v1/queues/';

/** POST /platform-api/v1/auth/queue-session: sets a short-lived HttpOnly cookie for the dashboard. */
export function openQueueSession(): Promise<{ ok: true }> {
  return platformHttp.post<{ ok: true }>('/auth/queue-session');
}
