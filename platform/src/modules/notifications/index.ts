export { notificationsRepository, type NotificationsRepository } from './notifications.repository';
export {
  notificationsService,
  type NotificationsService,
  type NotificationInput,
  type Recipients,
} from './notifications.service';
export { merchantNotificationHandlers } from './notifications.routes';
