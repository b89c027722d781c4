import {
  RELEASE_STATUSES,
  WECHAT_ERRCODE_REASONS,
  type AuditQuota,
  type PlatformFigures,
  type PlatformSalesDay,
  type ReleaseStatus,
  type TenantStatus,
  type UsageRange,
} from '@shopfleet/contracts';
import type { RequestContext } from '../../kernel/context';
import { chinaDayStart } from '../../kernel/china-time';
import { AppError } from '../../kernel/errors';
import { WechatApiError } from '../../integrations/wechat';
import { isoOrNull } from '../../kernel/db/rows';

/** GMV and orders paid across every shop by China-time day: the analytics module's roll-ups (a port). */
export interface PlatformSales {
  /** The days of [from, to] (YYYY-MM-DD, both included) that had any sales; the others are zero. */
  platformDaily(from: string, to: string): Promise<PlatformSalesDay[]>;
}

/** What the platform figures read of the modules that own them (ports, bound in platform.ts). */
export interface FiguresDeps {
  tenants: {
    countByStatus(ctx: RequestContext): Promise<Record<TenantStatus, number>>;
    signupsPerDay(ctx: RequestContext, from: Date, to: Date): Promise<Array<{ day: string; count: number }>>;
  };
  /** The qualification review queue (onboarding). */
  reviews: {
    queueAge(ctx: RequestContext): Promise<{
      waiting: number;
      oldestSubmittedAt: Date | null;
      oldestWaitSeconds: number | null;
      medianWaitSeconds: number | null;
    }>;
  };
  releases: {
    newestByStatus(ctx: RequestContext): Promise<Map<ReleaseStatus, number>>;
    auditQuota(ctx: RequestContext): Promise<AuditQuota>;
  };
  sales: PlatformSales;
  now?: () => Date;
}

/** Why the audit quota could not be read, as the console says it. */
function quotaError(err: AppError | WechatApiError): NonNullable<PlatformFigures['auditQuotaError']> {
  if (err instanceof AppError) return { reason: err.reason ?? 'WECHAT_UNREACHABLE', params: { ...err.params } };
  const reason = WECHAT_ERRCODE_REASONS[err.errcode];
  if (reason && reason !== 'WECHAT_REFUSED') return { reason, params: {} };
  return { reason: 'WECHAT_REFUSED', params: { errcode: err.errcode, errmsg: err.errmsg } };
}

/** Every China-time day of [from, to], in order. */
export function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/**
 * The platform's figures for staff, read from the modules that own them: shops by state and sign-ups per day
 * (tenants), GMV and orders paid per day (analytics), the review queue's age (onboarding), each shop's newest release
 * by state and the WeChat audit quota (releases).
 */
export function figuresService(deps: FiguresDeps) {
  const now = deps.now ?? (() => new Date());

  /**
   * The audit quota, or why WeChat could not be asked (no shop has authorized code management, WeChat refused or is
   * away): the rest of the figures do not wait on WeChat's answer.
   */
  async function quota(ctx: RequestContext): Promise<Pick<PlatformFigures, 'auditQuota' | 'auditQuotaError'>> {
    try {
      return { auditQuota: await deps.releases.auditQuota(ctx), auditQuotaError: null };
    } catch (err) {
      if (!(err instanceof AppError) && !(err instanceof WechatApiError)) throw err;
      ctx.log.info({ err }, 'the audit quota could not be read for the platform figures');
      return { auditQuota: null, auditQuotaError: quotaError(err) };
    }
  }

  return {
    /** The figures of a range of China-time days (both included); what stands now is as of now. */
    async figures(ctx: RequestContext, range: UsageRange): Promise<PlatformFigures> {
      const days = daysOf(range.from, range.to);
      const start = chinaDayStart(range.from);
      const end = new Date(chinaDayStart(range.to).getTime() + 86_400_000);
      const [tenantsByStatus, signups, sales, queue, releases, audit] = await Promise.all([
        deps.tenants.countByStatus(ctx),
        deps.tenants.signupsPerDay(ctx, start, end),
        deps.sales.platformDaily(range.from, range.to),
        deps.reviews.queueAge(ctx),
        deps.releases.newestByStatus(ctx),
        quota(ctx),
      ]);
      const signupsOn = new Map(signups.map((s) => [s.day, s.count]));
      const salesOn = new Map(sales.map((s) => [s.day, s]));
      return {
        from: range.from,
        to: range.to,
        tenantsByStatus,
        signups: days.map((day) => ({ day, count: signupsOn.get(day) ?? 0 })),
        sales: days.map((day) => {
          const s = salesOn.get(day);
          return {
            day,
            gmvFen: s?.gmvFen ?? 0,
            ordersPaid: s?.ordersPaid ?? 0,
            refundFen: s?.refundFen ?? 0,
            payingTenants: s?.payingTenants ?? 0,
          };
        }),
        reviewQueue: {
          waiting: queue.waiting,
          oldestSubmittedAt: isoOrNull(queue.oldestSubmittedAt),
          oldestWaitSeconds: queue.oldestWaitSeconds,
          medianWaitSeconds: queue.medianWaitSeconds,
        },
        releasesByStatus: Object.fromEntries(RELEASE_STATUSES.map((s) => [s, releases.get(s) ?? 0])) as Record<
          ReleaseStatus,
          number
        >,
        ...audit,
        generatedAt: now().toISOString(),
      };
    },
  };
}

export type FiguresService = ReturnType<typeof figuresService>;
