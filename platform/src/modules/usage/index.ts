export { usageRepository, type UsageRepository, type StoredUsageDay } from './usage.repository';
export { requestCounter, type RequestCounter, type RequestCount } from './request-counter';
export { usageService, type UsageService, type UsageSources } from './usage.service';
export { figuresService, type FiguresService, type PlatformSales } from './figures.service';
export { platformUsageHandlers, apiRequestCounter } from './usage.routes';
export { scheduleUsageJobs } from './usage.jobs';
