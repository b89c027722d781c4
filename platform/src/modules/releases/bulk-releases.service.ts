import type { Knex } from 'knex';
import { BULK_RELEASE_JOBS, QUEUES, type BulkRelease, type JobFailure, type ReleaseStatus } from '@shopfleet/contracts';
import type { RequestContext, TenantContext } from '../../kernel/context';
import { actorId } from '../../kernel/context';
import { AppError, ConflictError, NotFoundError } from '../../kernel/errors';
import { iso, isoOrNull, parseJsonColumn, totalOf } from '../../kernel/db/rows';
import { platformTable } from '../../kernel/db/platform-db';
import type { Queues } from '../../kernel/queue';
import type { AuditService } from '../audit';
import type { TenantsService } from '../tenants';
import type { MpReleasesService } from './mp-releases.service';
import { said, saidError, storedSaid, type Said } from './release-texts';
import { ENDED } from './release-states';

type Row = Record<string, unknown>;
type Phase = 'canary' | 'main';
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
  knex: Knex;
  queues: Queues;
  releases: MpReleasesService;
  tenants: Pick<TenantsService, 'activeIds' | 'byIds'>;
  audit: AuditService;
  dispatchEveryMs: number;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  const bulks = () => platformTable(deps.knex, 'bulk_releases');
  const targets = () => platformTable(deps.knex, 'bulk_release_targets');

  async function mustGet(id: number, trx?: Knex.Transaction): Promise<Row> {
    const q = (trx ? trx('bulk_releases') : bulks()).where({ id });
    const row = (await (trx ? q.forUpdate() : q).first()) as Row | undefined;
    if (!row) throw new NotFoundError('BULK_RELEASE_NOT_FOUND');
    return row;
  }

  /** Targets joined to their releases (the release table is read across shops on purpose: a platform batch). */
  function withReleases(bulkId: number): Knex.QueryBuilder {
    return deps.knex('bulk_release_targets as t').leftJoin('mp_releases as r', (j) => j.on('r.id', '=', 't.release_id').andOn('r.tenant_id', '=', 't.tenant_id')).where('t.bulk_id', bulkId);
  }

  async function progress(bulkId: number): Promise<Record<Phase, Progress>> {
    const rows = (await withReleases(bulkId).select('t.phase', 't.state', 'r.status').count({ n: '*' }).groupBy('t.phase', 't.state', 'r.status')) as Array<{ phase: Phase; state: string; status: ReleaseStatus | null; n: number }>;
    const empty = (): Progress => ({ total: 0, waiting: 0, inFlight: 0, released: 0, auditPassed: 0, failed: 0, refused: 0, skipped: 0 });
    const out: Record<Phase, Progress> = { canary: empty(), main: empty() };
    for (const r of rows) {
      const p = out[r.phase];
      const n = Number(r.n);
      p.total += n;
      if (r.state === 'waiting') p.waiting += n;
      else if (r.state === 'refused') p.refused += n;
      else if (r.state === 'skipped') p.skipped += n;
      else if (r.status === 'released' || r.status === 'gray') p.released += n;
      else if (r.status === 'audit_passed') p.auditPassed += n;
      else if (r.status && ENDED.has(r.status)) p.failed += n;
      else p.inFlight += n;
    }
    return out;
  }

  async function view(id: number): Promise<BulkRelease> {
    const row = await mustGet(id);
    const version = await platformTable(deps.knex, 'template_versions').where({ id: row.template_version_id }).first('version');
    const p = await progress(id);
    return {
      id,
      templateVersionId: Number(row.template_version_id),
      version: String(version?.version ?? ''),
      status: row.status as BulkRelease['status'],
      concurrency: Number(row.concurrency),
      autoRelease: Boolean(row.auto_release),
      canary: p.canary,
      rest: p.main,
      failure: row.failure_code ? { code: row.failure_code as JobFailure['code'], params: (parseJsonColumn(row.failure_params) as JobFailure['params'] | null) ?? {} } : null,
      createdAt: iso(row.created_at as Date),
      finishedAt: isoOrNull(row.finished_at as Date | null),
    };
  }

  async function schedule(bulkId: number, delayMs: number): Promise<void> {
    await deps.queues.get(QUEUES.submissions).add(BULK_RELEASE_JOBS.dispatch, { bulkId }, { delay: delayMs, attempts: 5, backoff: { type: 'exponential', delay: 2000 } });
  }

  async function setStatus(ctx: RequestContext, id: number, from: readonly string[], to: string, extra: Row = {}): Promise<BulkRelease> {
    const changed = await bulks().where({ id }).whereIn('status', from as string[]).update({ status: to, updated_at: now(), ...extra });
    if (!changed) {
      const row = await mustGet(id);
      throw new ConflictError({ reason: 'BULK_RELEASE_NOT_OPEN', params: { status: String(row.status) }, message: `This bulk release is ${String(row.status)}` });
    }
    await deps.audit.record(ctx, { action: `release.bulk.${to}`, targetType: 'bulk_release', targetId: id, data: {} });
    return view(id);
  }

  return {
    view,

    async list(q: { page: number; pageSize: number }): Promise<{ items: BulkRelease[]; page: number; pageSize: number; total: number }> {
      const rows = (await bulks().orderBy('id', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize).select('id')) as Row[];
      const counted = await bulks().count({ total: '*' });
      return { items: await Promise.all(rows.map((r) => view(Number(r.id)))), page: q.page, pageSize: q.pageSize, total: totalOf(counted) };
    },

    async create(
      ctx: RequestContext,
      input: { templateVersionId: number; canaryTenantIds: number[]; tenantIds?: number[]; categoryCodes?: string[]; concurrency: number; autoRelease: boolean },
    ): Promise<BulkRelease> {
      const version = await platformTable(deps.knex, 'template_versions').where({ id: input.templateVersionId, status: 'ready' }).first('id');
      if (!version) throw new ConflictError({ reason: 'TEMPLATE_VERSION_NOT_BUILT', message: 'This template version is not built' });
      const canary = [...new Set(input.canaryTenantIds)];
      const canaryActive = new Set(await deps.tenants.activeIds({ ids: canary }));
      const notActive = canary.filter((id) => !canaryActive.has(id));
      if (notActive.length) throw new ConflictError({ reason: 'CANARY_SHOPS_NOT_ACTIVE', params: { tenantIds: notActive.join(', ') }, message: `Canary shops must be active: ${notActive.join(', ')}` }, { tenantIds: notActive });
      const rest = (await deps.tenants.activeIds({ ids: input.tenantIds, categoryCodes: input.categoryCodes })).filter((id) => !canaryActive.has(id));
      // Each shop spends one audit of the platform's monthly quota.
      const needed = canary.length + rest.length;
      let left: number | null = null;
      try {
        left = (await deps.releases.auditQuota(ctx, { fresh: true })).rest;
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
      }
      if (left !== null && needed > left) throw new ConflictError({ reason: 'AUDIT_QUOTA_INSUFFICIENT', params: { needed, left }, message: `This release needs ${needed} audits and the platform has ${left} left this month` }, { needed, left });
      const id = await deps.knex.transaction(async (trx) => {
        const [bulkId] = (await trx('bulk_releases').insert({
          template_version_id: input.templateVersionId,
          status: 'canary',
          concurrency: input.concurrency,
          auto_release: input.autoRelease,
          filter: JSON.stringify({ tenantIds: input.tenantIds ?? null, categoryCodes: input.categoryCodes ?? null }),
          created_by: actorId(ctx.actor),
          created_at: now(),
          updated_at: now(),
        })) as [number];
        const rows = [...canary.map((t) => ({ tenant_id: t, phase: 'canary' })), ...rest.map((t) => ({ tenant_id: t, phase: 'main' }))].map((r) => ({ ...r, bulk_id: bulkId, state: 'waiting', updated_at: now() }));
        for (let i = 0; i < rows.length; i += 1000) await trx('bulk_release_targets').insert(rows.slice(i, i + 1000));
        return bulkId;
      });
      await deps.audit.record(ctx, { action: 'release.bulk.create', targetType: 'bulk_release', targetId: id, data: { templateVersionId: input.templateVersionId, canary: canary.length, rest: rest.length } });
      await schedule(id, 0);
      return view(id);
    },

    async targets(id: number, q: { page: number; pageSize: number; state?: string; phase?: Phase }) {
      await mustGet(id);
      const base = withReleases(id);
      if (q.state) base.where('t.state', q.state);
      if (q.phase) base.where('t.phase', q.phase);
      const counted = await base.clone().count({ total: '*' });
      const rows = (await base
        .clone()
        .orderBy('t.id')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .select('t.tenant_id', 't.phase', 't.state', 't.release_id', 't.note', 't.note_code', 't.note_params', 'r.status', 'r.error_message', 'r.error_reason', 'r.error_params', 'r.audit_reason')) as Row[];
      const shops = await deps.tenants.byIds(rows.map((r) => Number(r.tenant_id)));
      return {
        items: rows.map((r) => ({
          tenantId: Number(r.tenant_id),
          tenantName: shops.get(Number(r.tenant_id))?.name ?? '',
          phase: r.phase as Phase,
          state: r.state as 'waiting' | 'started' | 'refused' | 'skipped',
          releaseId: r.release_id === null ? null : Number(r.release_id),
          releaseStatus: (r.status as ReleaseStatus | null) ?? null,
          ...noteOf(r),
        })),
        page: q.page,
        pageSize: q.pageSize,
        total: totalOf(counted),
      };
    },

    continue: (ctx: RequestContext, id: number) => setStatus(ctx, id, ['waiting'], 'rolling').then(async (v) => (await schedule(id, 0), v)),
    pause: async (ctx: RequestContext, id: number) => {
      const row = await mustGet(id);
      return setStatus(ctx, id, ['canary', 'rolling'], 'paused', { paused_from: row.status });
    },
    resume: async (ctx: RequestContext, id: number) => {
      const row = await mustGet(id);
      const v = await setStatus(ctx, id, ['paused'], String(row.paused_from ?? 'rolling'), { paused_from: null });
      await schedule(id, 0);
      return v;
    },
    /** Its dispatcher's job gave up (the worker calls this): the batch ends as failed with the reason, keeping its phase for a retry. */
    fail: async (bulkId: number, failure: JobFailure): Promise<boolean> => {
      const changed = await bulks()
        .where({ id: bulkId })
        .whereIn('status', ['canary', 'rolling'])
        // MySQL assigns left to right: the phase is kept before the status changes.
        .update({ paused_from: deps.knex.ref('status'), status: 'failed', failure_code: failure.code, failure_params: JSON.stringify(failure.params), updated_at: now() });
      return changed > 0;
    },

    /** Goes on with a failed batch in the phase it was in: a new dispatcher starts the shops still waiting. */
    retry: async (ctx: RequestContext, id: number) => {
      const row = await mustGet(id);
      const v = await setStatus(ctx, id, ['failed'], String(row.paused_from ?? 'rolling'), { paused_from: null, failure_code: null, failure_params: null });
      await schedule(id, 0);
      return v;
    },
    stop: async (ctx: RequestContext, id: number) => {
      const v = await setStatus(ctx, id, ['canary', 'waiting', 'rolling', 'paused', 'failed'], 'stopped', { finished_at: now() });
      await targets().where({ bulk_id: id, state: 'waiting' }).update({ state: 'skipped', ...noteColumns(said('BULK_RELEASE_STOPPED')), updated_at: now() });
      return view(v.id);
    },

    /**
     * One dispatcher run: starts shops of the current phase up to the concurrency, and moves the batch
     * on when the phase is through. Returns whether it should run again.
     */
    async dispatch(ctx: RequestContext, bulkId: number): Promise<{ started: number; again: boolean }> {
      return deps.knex.transaction(async (trx) => {
        const bulk = await mustGet(bulkId, trx);
        const status = String(bulk.status);
        if (status !== 'canary' && status !== 'rolling') return { started: 0, again: false };
        const phase: Phase = status === 'canary' ? 'canary' : 'main';
        const inFlight = Number(
          ((await trx('bulk_release_targets as t')
            .join('mp_releases as r', (j) => j.on('r.id', '=', 't.release_id').andOn('r.tenant_id', '=', 't.tenant_id'))
            .where({ 't.bulk_id': bulkId, 't.state': 'started' })
            .whereNotNull('r.in_flight')
            // An audited release waiting for its merchant's click takes no slot.
            .whereNot('r.status', 'audit_passed')
            .count({ n: '*' })) as Array<{ n: number }>)[0]?.n ?? 0,
        );
        const next = (await trx('bulk_release_targets').where({ bulk_id: bulkId, phase, state: 'waiting' }).orderBy('id').limit(Math.max(0, Number(bulk.concurrency) - inFlight))) as Row[];
        let started = 0;
        for (const target of next) {
          const tctx: TenantContext = { ...ctx, tenantId: Number(target.tenant_id) };
          try {
            const r = await deps.releases.start(tctx, { templateVersionId: Number(bulk.template_version_id), autoRelease: Boolean(bulk.auto_release) });
            await trx('bulk_release_targets').where({ id: target.id }).update({ state: 'started', release_id: r.id, updated_at: now() });
            started += 1;
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
            await trx('bulk_release_targets').where({ id: target.id }).update({ state: 'refused', ...noteColumns(saidError(err, 'RELEASE_NOT_STARTED')), updated_at: now() });
          }
        }
        const waitingLeft = Number(((await trx('bulk_release_targets').where({ bulk_id: bulkId, phase, state: 'waiting' }).count({ n: '*' })) as Array<{ n: number }>)[0]?.n ?? 0);
        if (waitingLeft === 0 && inFlight + started === 0) {
          // Nothing waiting or under way: the canary is through (staff look, then continue), or the batch is done.
          await trx('bulk_releases').where({ id: bulkId }).update({ status: phase === 'canary' ? 'waiting' : 'done', updated_at: now(), ...(phase === 'main' ? { finished_at: now() } : {}) });
          return { started, again: false };
        }
        return { started, again: true };
      });
    },

    /** The dispatcher's next run. */
    schedule: (bulkId: number) => schedule(bulkId, deps.dispatchEveryMs),
  };
}

/** The columns of a target's note. */
function noteColumns(s: Said): { note: string; note_code: string; note_params: string } {
  return { note: s.message.slice(0, 300), note_code: s.code, note_params: JSON.stringify(s.params) };
}

/**
 * A target's note: why it was refused or skipped, else why its release failed, else WeChat's reason for
 * rejecting its audit (WeChat's words, shown as they are: no code). A note from before the codes has none.
 */
function noteOf(r: Row): { note: string | null; noteCode: string | null; noteParams: Record<string, string | number> } {
  const [note, code, params] =
    r.note !== null ? [r.note, r.note_code, r.note_params] : r.error_message !== null ? [r.error_message, r.error_reason, r.error_params] : [r.audit_reason, null, null];
  const stored = storedSaid(code, params);
  return { note: (note as string | null) ?? null, noteCode: stored.code, noteParams: stored.params };
}

export type BulkReleasesService = ReturnType<typeof bulkReleasesService>;

