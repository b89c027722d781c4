import { MAINTENANCE_JOBS, QUEUES } from '@shopfleet/contracts';
import type { RequestContext, TenantContext } from '../../kernel/context';
import type { Transactions } from '../../kernel/db/database';
import { releaseFrozen } from '../../kernel/frozen-release';
import type { Queues } from '../../kernel/queue';
import type { TenantsService } from '../tenants';
import type { CommissionService } from './commission.service';
import type { DistributionRepository } from './distribution.repository';
import type { DistributionService } from './distribution.service';

/** Schedules the release of frozen commission and the sync of WeChat Pay transfers (every 10 minutes each). */
export async function scheduleDistributionJobs(queues: Queues): Promise<void> {
  const q = queues.get(QUEUES.maintenance);
  await q.upsertJobScheduler(
    MAINTENANCE_JOBS.commissionRelease,
    { every: 600_000 },
    { name: MAINTENANCE_JOBS.commissionRelease, data: {} },
  );
  await q.upsertJobScheduler(
    MAINTENANCE_JOBS.transferSync,
    { every: 600_000 },
    { name: MAINTENANCE_JOBS.transferSync, data: {} },
  );
}

export interface DistributionJobsDeps {
  repo: DistributionRepository;
  commission: CommissionService;
  distribution: Pick<DistributionService, 'syncTransfers'>;
  tx: Transactions;
  tenants: Pick<TenantsService, 'forEachId'>;
  /** Of these orders, those whose after-sales window has passed, and those that closed (orders' and after-sales'). */
  windowsPassed(ctx: TenantContext, orderIds: number[], at: Date): Promise<{ passed: number[]; closed: number[] }>;
  now?: () => Date;
}

/** The distribution's jobs: frozen commission released as its orders' windows pass; transfers being paid settled. */
export function distributionJobs(deps: DistributionJobsDeps) {
  const now = deps.now ?? (() => new Date());
  const eachShop = (ctx: RequestContext, fn: (tctx: TenantContext) => Promise<void>) =>
    deps.tenants.forEachId(['active', 'suspended', 'pending_review'], (tenantId) => fn({ ...ctx, tenantId }));

  return {
    /** Frozen commission released as its orders' after-sales windows pass (and taken back when their orders closed). */
    releaseDue: (ctx: RequestContext) =>
      releaseFrozen(
        {
          tx: deps.tx,
          eachShop,
          frozenOrders: (tctx, after, limit) => deps.repo.frozenOrders(tctx, after, limit),
          windowsPassed: deps.windowsPassed,
          release: (tctx, id) => deps.commission.release(tctx, id),
          closed: (tctx, id) => deps.commission.orderClosed(tctx, id, { paid: true }),
          now,
        },
        ctx,
      ),

    /** Each shop's withdrawals being paid by transfer, asked again and settled when final. */
    async syncTransfers(ctx: RequestContext): Promise<{ settled: number }> {
      let settled = 0;
      await eachShop(ctx, async (tctx) => {
        settled += await deps.distribution.syncTransfers(tctx).catch((err: unknown) => {
          tctx.log.warn({ err, tenantId: tctx.tenantId }, 'could not sync the transfers');
          return 0;
        });
      });
      return { settled };
    },
  };
}

export type DistributionJobs = ReturnType<typeof distributionJobs>;
