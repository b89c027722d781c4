export { notificationsRepository, type NotificationsRepository } from './notifications.repository';
export {
  notificationsService,
  type NotificationsService,
  type NotificationInput,
  type AlertInput,
  type Recipients,
} from './notifications.service';
export { merchantNotificationHandlers } from './notifications.routes';
export { redisAlertsBus, type AlertsBus, type AlertEvent } from './alerts.bus';
export { alertsGateway, type AlertsGateway } from './alerts.gateway';
