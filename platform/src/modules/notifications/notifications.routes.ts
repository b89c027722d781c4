import type { merchantApi } from '@shopfleet/contracts';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { NotificationsService } from './notifications.service';

export function merchantNotificationHandlers(notifications: NotificationsService) {
  return {
    listNotifications: (ctx, { query }) => notifications.list(ctx, query.page, query.pageSize),
    markNotificationRead: async (ctx, { params }) => {
      await notifications.markRead(ctx, params.id);
      return { ok: true as const };
    },
  } satisfies Partial<Handlers<typeof merchantApi>>;
}
