export { analyticsRepository, type AnalyticsRepository, type ScannedEvent } from './analytics.repository';
export {
  analyticsService,
  orderEventRows,
  type AnalyticsService,
  type OrderPaidEvent,
  type OrderPlacedEvent,
  type OrderRefundedEvent,
} from './analytics.service';
export { analyticsJobs, scheduleAnalyticsJobs } from './analytics.jobs';
export { sketchStore } from './sketches';
export { merchantAnalyticsHandlers, shopAnalyticsHandlers } from './analytics.routes';
