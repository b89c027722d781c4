import { MAINTENANCE_JOBS, QUEUES } from '@shopfleet/contracts';
import type { RequestContext, TenantContext } from '../../kernel/context';
import { retryOnDeadlock } from '../../kernel/db/retry';
import type { Transactions } from '../../kernel/db/database';
import { releaseFrozen } from '../../kernel/frozen-release';
import type { Queues } from '../../kernel/queue';
import type { TenantsService } from '../tenants';
import type { MembersRepository } from './members.repository';
import type { PointsService } from './points.service';

/** Schedules the release of frozen points (every 10 minutes) and the expiry of points (every hour). */
export async function scheduleMemberJobs(queues: Queues): Promise<void> {
  const q = queues.get(QUEUES.maintenance);
  await q.upsertJobScheduler(
    MAINTENANCE_JOBS.pointsRelease,
    { every: 600_000 },
    { name: MAINTENANCE_JOBS.pointsRelease, data: {} },
  );
  await q.upsertJobScheduler(
    MAINTENANCE_JOBS.pointsExpire,
    { every: 3_600_000 },
    { name: MAINTENANCE_JOBS.pointsExpire, data: {} },
  );
}

export interface MemberJobsDeps {
  repo: MembersRepository;
  points: PointsService;
  tx: Transactions;
  tenants: Pick<TenantsService, 'forEachId'>;
  /** Of these orders, those whose after-sales window has passed, and those that closed (orders' and after-sales'). */
  windowsPassed(ctx: TenantContext, orderIds: number[], at: Date): Promise<{ passed: number[]; closed: number[] }>;
  now?: () => Date;
}

const BATCH = 500;

/** The members' jobs: frozen points released as their orders' windows pass; points past their validity expired. */
export function memberJobs(deps: MemberJobsDeps) {
  const now = deps.now ?? (() => new Date());
  const eachShop = (ctx: RequestContext, fn: (tctx: TenantContext) => Promise<void>) =>
    deps.tenants.forEachId(['active', 'suspended', 'pending_review'], (tenantId) => fn({ ...ctx, tenantId }));
  const inTx = (ctx: TenantContext, fn: (tctx: TenantContext) => Promise<unknown>) =>
    retryOnDeadlock(() => deps.tx.transaction(ctx, fn));

  return {
    /** Frozen points released as their orders' after-sales windows pass (and taken back when their orders closed). */
    releaseDue: (ctx: RequestContext) =>
      releaseFrozen(
        {
          tx: deps.tx,
          eachShop,
          frozenOrders: (tctx, after, limit) => deps.repo.frozenOrders(tctx, after, limit),
          windowsPassed: deps.windowsPassed,
          release: (tctx, id) => deps.points.release(tctx, id),
          closed: (tctx, id) => deps.points.orderClosed(tctx, id, { paid: true }),
          now,
        },
        ctx,
      ),

    /** Expires the batches past their validity, shopper by shopper. */
    async expireDue(ctx: RequestContext): Promise<{ shoppers: number; points: number }> {
      let shoppers = 0;
      let points = 0;
      await eachShop(ctx, async (tctx) => {
        for (;;) {
          const ids = await deps.repo.shoppersWithExpired(tctx, now(), BATCH);
          for (const id of ids) {
            points += (await inTx(tctx, (t) => deps.points.expire(t, id))) as number;
            shoppers++;
          }
          if (ids.length < BATCH) return;
        }
      });
      return { shoppers, points };
    },
  };
}

export type MemberJobs = ReturnType<typeof memberJobs>;
