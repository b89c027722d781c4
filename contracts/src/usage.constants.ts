/**
 * Usage metering (用量): what each shop uses of the platform, a row per shop and China-time day — the base on which
 * plans and limits can be set later. What each metric means is written in platform/src/modules/usage/README.md and
 * shown beside it in the staff console.
 */
import { DAY_RANGE_MAX_DAYS } from './common.constants';

/**
 * The metrics of a day. Counted over the day: `orders` (placed), `wechatAudits` (submitted to WeChat's audit),
 * `apiRequests` (merchant and shop API requests). Held at the day's last snapshot: `products` (not deleted),
 * `storageBytes` (the shop's stored files), `staff` (active members).
 */
export const USAGE_METRICS = ['orders', 'products', 'storageBytes', 'staff', 'wechatAudits', 'apiRequests'] as const;
export type UsageMetric = (typeof USAGE_METRICS)[number];

/** The metrics counted over the day (the rest are held at the day's last snapshot). */
export const USAGE_DAY_COUNTS: readonly UsageMetric[] = ['orders', 'wechatAudits', 'apiRequests'];

/** What a day's list of every shop's usage sorts by: a metric, or the shop's id. */
export const USAGE_SORTS = [...USAGE_METRICS, 'tenantId'] as const;
export type UsageSort = (typeof USAGE_SORTS)[number];

export const SORT_ORDERS = ['desc', 'asc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export const USAGE_LIMITS = {
  /** The longest range the platform's figures and a shop's usage history cover: days. */
  rangeDaysMax: DAY_RANGE_MAX_DAYS,
} as const;
