/** The platform as a library: what the worker process (and tests) import. */
export { loadConfig, ConfigError, type Config } from './kernel/config';
export { createLogger, type Logger } from './kernel/logger';
export { preflight, ServiceUnavailableError } from './kernel/preflight';
export { createPlatform, type Platform, type PlatformOptions } from './platform';
export { createApp } from './app';
export { readNewConnectionsTogether } from './kernel/http/read-together';
export { createRedis, type Redis } from './kernel/redis';
export { queuePrefix } from './kernel/queue';
export { systemContext, type RequestContext, type TenantContext } from './kernel/context';
export { Database } from './kernel/db/database';
export { chinaDay } from './kernel/china-time';
export { jobFailureOf, describeJobFailure, STALLED_REASON } from './kernel/job-failure';
export { isTransient, CodeUploadStopped } from './modules/releases';
export { seedDemo, DEMO } from './seed';
export { analyticsRepository, orderEventRows } from './modules/analytics';
