import { BULK_RELEASE_JOBS, QUEUES, type BulkRelease, type JobFailure } from '@shopfleet/contracts';
import type { RequestContext, TenantContext } from '../../kernel/context';
import { actorId } from '../../kernel/context';
import type { Transactions } from '../../kernel/db/database';
import { AppError, ConflictError, NotFoundError } from '../../kernel/errors';
import { iso, isoOrNull } from '../../kernel/db/rows';
import type { Queues } from '../../kernel/queue';
import type { AuditService } from '../audit';
import type { TenantsService } from '../tenants';
import type { BulkReleasesRepository, BulkPatch, BulkStatus, Phase, StoredBulk } from './bulk-releases.repository';
import type { MpReleasesService } from './mp-releases.service';
import { said, saidError } from './release-texts';
import { ENDED } from './release-states';
import type { TemplatesRepository } from './templates.repository';

type Progress = BulkRelease['canary'];

/**
 * Platform staff release one template version to many shops: the canary shops first; once they are
 * through, staff look and continue to the rest (every active shop, or a filtered set). A dispatcher
 * job starts releases within the batch's concurrency and runs again until its phase is done;
 * dispatchers are serialized on the batch's row, so a duplicate run never exceeds the concurrency.
 * A shop that cannot release (not authorized, one in flight already) is recorded as refused with
 * the reason, and the batch goes on.
 */
export function bulkReleasesService(deps: {
  repo: BulkReleasesRepository;
  /** The template versions released. */
  versions: TemplatesRepository;
  tx: Transactions;
  queues: Queues;
  releases: MpReleasesService;
  tenants: Pick<TenantsService, 'activeIds' | 'byIds'>;
  audit: AuditService;
  dispatchEveryMs: number;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  const { repo } = deps;

  async function mustGet(ctx: RequestContext, id: number, opts: { lock?: boolean } = {}): Promise<StoredBulk> {
    const bulk = await repo.byId(ctx, id, opts);
    if (!bulk) throw new NotFoundError('BULK_RELEASE_NOT_FOUND');
    return bulk;
  }

  async function progress(ctx: RequestContext, bulkId: number): Promise<Record<Phase, Progress>> {
    const empty = (): Progress => ({
      total: 0,
      waiting: 0,
      inFlight: 0,
      released: 0,
      auditPassed: 0,
      failed: 0,
      refused: 0,
      skipped: 0,
    });
    const out: Record<Phase, Progress> = { canary: empty(), main: empty() };
    for (const { phase, state, releaseStatus: status, n } of await repo.counts(ctx, bulkId)) {
      const p = out[phase];
      p.total += n;
      if (state === 'waiting') p.waiting += n;
      else if (state === 'refused') p.refused += n;
      else if (state === 'skipped') p.skipped += n;
      else if (status === 'released' || status === 'gray') p.released += n;
      else if (status === 'audit_passed') p.auditPassed += n;
      else if (status && ENDED.has(status)) p.failed += n;
      else p.inFlight += n;
    }
    return out;
  }

  async function view(ctx: RequestContext, id: number): Promise<BulkRelease> {
    const bulk = await mustGet(ctx, id);
    const version = await deps.versions.versionName(ctx, bulk.templateVersionId);
    const p = await progress(ctx, id);
    return {
      id,
      templateVersionId: bulk.templateVersionId,
      version: version ?? '',
      status: bulk.status,
      concurrency: bulk.concurrency,
      autoRelease: bulk.autoRelease,
      canary: p.canary,
      rest: p.main,
      failure: bulk.failure,
      createdAt: iso(bulk.createdAt),
      finishedAt: isoOrNull(bulk.finishedAt),
    };
  }

  async function schedule(bulkId: number, delayMs: number): Promise<void> {
    await deps.queues
      .get(QUEUES.submissions)
      .add(
        BULK_RELEASE_JOBS.dispatch,
        { bulkId },
        { delay: delayMs, attempts: 5, backoff: { type: 'exponential', delay: 2000 } },
      );
  }

  async function setStatus(
    ctx: RequestContext,
    id: number,
    from: readonly BulkStatus[],
    to: BulkStatus,
    set: BulkPatch = {},
  ): Promise<BulkRelease> {
    if (!(await repo.setStatus(ctx, id, from, to, set, now()))) {
      const bulk = await mustGet(ctx, id);
      throw new ConflictError({
        reason: 'BULK_RELEASE_NOT_OPEN',
        params: { status: bulk.status },
        message: `This bulk release is ${bulk.status}`,
      });
    }
    await deps.audit.record(ctx, { action: `release.bulk.${to}`, targetType: 'bulk_release', targetId: id, data: {} });
    return view(ctx, id);
  }

  return {
    view,

    async list(
      ctx: RequestContext,
      q: { page: number; pageSize: number },
    ): Promise<{ items: BulkRelease[]; page: number; pageSize: number; total: number }> {
      const { ids, total } = await repo.list(ctx, q.page, q.pageSize);
      return { items: await Promise.all(ids.map((id) => view(ctx, id))), page: q.page, pageSize: q.pageSize, total };
    },

    async create(
      ctx: RequestContext,
      input: {
        templateVersionId: number;
        canaryTenantIds: number[];
        tenantIds?: number[];
        categoryCodes?: string[];
        concurrency: number;
        autoRelease: boolean;
      },
    ): Promise<BulkRelease> {
      const version = await deps.versions.ready(ctx, input.templateVersionId);
      if (!version)
        throw new ConflictError({
          reason: 'TEMPLATE_VERSION_NOT_BUILT',
          message: 'This template version is not built',
        });
      const canary = [...new Set(input.canaryTenantIds)];
      const canaryActive = new Set(await deps.tenants.activeIds({ ids: canary }));
      const notActive = canary.filter((id) => !canaryActive.has(id));
      if (notActive.length)
        throw new ConflictError(
          {
            reason: 'CANARY_SHOPS_NOT_ACTIVE',
            params: { tenantIds: notActive.join(', ') },
            message: `Canary shops must be active: ${notActive.join(', ')}`,
          },
          { tenantIds: notActive },
        );
      const rest = (await deps.tenants.activeIds({ ids: input.tenantIds, categoryCodes: input.categoryCodes })).filter(
        (id) => !canaryActive.has(id),
      );
      // Each shop spends one audit of the platform's monthly quota.
      const needed = canary.length + rest.length;
      let left: number | null = null;
      try {
        left = (await deps.releases.auditQuota(ctx, { fresh: true })).rest;
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
      }
      if (left !== null && needed > left)
        throw new ConflictError(
          {
            reason: 'AUDIT_QUOTA_INSUFFICIENT',
            params: { needed, left },
            message: `This release needs ${needed} audits and the platform has ${left} left this month`,
          },
          { needed, left },
        );
      const id = await deps.tx.transaction(ctx, (tctx) =>
        repo.insert(
          tctx,
          {
            templateVersionId: input.templateVersionId,
            concurrency: input.concurrency,
            autoRelease: input.autoRelease,
            filter: { tenantIds: input.tenantIds ?? null, categoryCodes: input.categoryCodes ?? null },
            createdBy: actorId(ctx.actor),
            at: now(),
          },
          [
            ...canary.map((tenantId) => ({ tenantId, phase: 'canary' as const })),
            ...rest.map((tenantId) => ({ tenantId, phase: 'main' as const })),
          ],
        ),
      );
      await deps.audit.record(ctx, {
        action: 'release.bulk.create',
        targetType: 'bulk_release',
        targetId: id,
        data: { templateVersionId: input.templateVersionId, canary: canary.length, rest: rest.length },
      });
      await schedule(id, 0);
      return view(ctx, id);
    },

    async targets(
      ctx: RequestContext,
      id: number,
      q: { page: number; pageSize: number; state?: string; phase?: Phase },
    ) {
      await mustGet(ctx, id);
      const { rows, total } = await repo.targets(ctx, id, q);
      const shops = await deps.tenants.byIds(rows.map((r) => r.tenantId));
      return {
        items: rows.map((r) => ({
          tenantId: r.tenantId,
          tenantName: shops.get(r.tenantId)?.name ?? '',
          phase: r.phase,
          state: r.state,
          releaseId: r.releaseId,
          releaseStatus: r.releaseStatus,
          note: r.note,
          noteCode: r.noteCode,
          noteParams: r.noteParams,
        })),
        page: q.page,
        pageSize: q.pageSize,
        total,
      };
    },

    continue: (ctx: RequestContext, id: number) =>
      setStatus(ctx, id, ['waiting'], 'rolling').then(async (v) => (await schedule(id, 0), v)),
    pause: async (ctx: RequestContext, id: number) => {
      const bulk = await mustGet(ctx, id);
      return setStatus(ctx, id, ['canary', 'rolling'], 'paused', { pausedFrom: bulk.status });
    },
    resume: async (ctx: RequestContext, id: number) => {
      const bulk = await mustGet(ctx, id);
      const v = await setStatus(ctx, id, ['paused'], bulk.pausedFrom ?? 'rolling', { pausedFrom: null });
      await schedule(id, 0);
      return v;
    },
    /** Its dispatcher's job gave up (the worker calls this): the batch ends as failed with the reason, keeping its phase for a retry. */
    fail: async (ctx: RequestContext, bulkId: number, failure: JobFailure): Promise<boolean> =>
      repo.fail(ctx, bulkId, ['canary', 'rolling'], failure, now()),

    /** Goes on with a failed batch in the phase it was in: a new dispatcher starts the shops still waiting. */
    retry: async (ctx: RequestContext, id: number) => {
      const bulk = await mustGet(ctx, id);
      const v = await setStatus(ctx, id, ['failed'], bulk.pausedFrom ?? 'rolling', { pausedFrom: null, failure: null });
      await schedule(id, 0);
      return v;
    },
    stop: async (ctx: RequestContext, id: number) => {
      const v = await setStatus(ctx, id, ['canary', 'waiting', 'rolling', 'paused', 'failed'], 'stopped', {
        finishedAt: now(),
      });
      await repo.skipWaiting(ctx, id, said('BULK_RELEASE_STOPPED'), now());
      return view(ctx, v.id);
    },

    /**
     * One dispatcher run: starts shops of the current phase up to the concurrency, and moves the batch
     * on when the phase is through. Returns whether it should run again.
     */
    async dispatch(ctx: RequestContext, bulkId: number): Promise<{ started: number; again: boolean }> {
      return deps.tx.transaction(ctx, async (tctx) => {
        const bulk = await mustGet(tctx, bulkId, { lock: true });
        const status = bulk.status;
        if (status !== 'canary' && status !== 'rolling') return { started: 0, again: false };
        const phase: Phase = status === 'canary' ? 'canary' : 'main';
        const inFlight = await repo.inFlight(tctx, bulkId);
        const next = await repo.waiting(tctx, bulkId, phase, Math.max(0, bulk.concurrency - inFlight));
        let started = 0;
        for (const target of next) {
          // Each shop's release starts outside the batch's transaction (from `ctx`, not `tctx`): it is
          // committed before its jobs are queued, as a release started by its merchant is.
          const shop: TenantContext = { ...ctx, tenantId: target.tenantId };
          try {
            const r = await deps.releases.start(shop, {
              templateVersionId: bulk.templateVersionId,
              autoRelease: bulk.autoRelease,
            });
            await repo.markStarted(tctx, target.id, r.id, now());
            started += 1;
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
            await repo.markRefused(tctx, target.id, saidError(err, 'RELEASE_NOT_STARTED'), now());
          }
        }
        const waitingLeft = await repo.waitingCount(tctx, bulkId, phase);
        if (waitingLeft === 0 && inFlight + started === 0) {
          // Nothing waiting or under way: the canary is through (staff look, then continue), or the batch is done.
          await repo.phaseThrough(tctx, bulkId, phase, now());
          return { started, again: false };
        }
        return { started, again: true };
      });
    },

    /** The dispatcher's next run. */
    schedule: (bulkId: number) => schedule(bulkId, deps.dispatchEveryMs),
  };
}

export type BulkReleasesService = ReturnType<typeof bulkReleasesService>;
