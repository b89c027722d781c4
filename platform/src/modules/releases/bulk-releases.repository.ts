import type { ErrorParamValue, BulkRelease, JobFailure, ReleaseStatus } from '@shopfleet/contracts';
import type { RequestContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { parseJsonColumn, totalOf } from '../../kernel/db/rows';
import { platformTable } from '../../kernel/db/platform-db';
import { storedSaid, type Said } from './release-texts';

export type Phase = 'canary' | 'main';
export type BulkStatus = BulkRelease['status'];
export type TargetState = 'waiting' | 'started' | 'refused' | 'skipped';

/** A bulk release, as stored. */
export interface StoredBulk {
  id: number;
  templateVersionId: number;
  status: BulkStatus;
  /** The phase a paused or failed batch goes back to. */
  pausedFrom: BulkStatus | null;
  concurrency: number;
  autoRelease: boolean;
  failure: JobFailure | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface NewBulk {
  templateVersionId: number;
  concurrency: number;
  autoRelease: boolean;
  filter: { tenantIds: number[] | null; categoryCodes: string[] | null };
  createdBy: number | null;
  at: Date;
}

/** A shop of a bulk release with its release, as staff see it. */
export interface StoredTarget {
  tenantId: number;
  phase: Phase;
  state: TargetState;
  releaseId: number | null;
  releaseStatus: ReleaseStatus | null;
  /**
   * Why it was refused or skipped, else why its release failed, else WeChat's reason for rejecting its
   * audit (WeChat's words, shown as they are: no code). A note from before the codes has none.
   */
  note: string | null;
  noteCode: string | null;
  noteParams: Record<string, ErrorParamValue>;
}

/** How many targets of a batch are in each state, with the status of their releases. */
export interface TargetCount {
  phase: Phase;
  state: TargetState;
  releaseStatus: ReleaseStatus | null;
  n: number;
}

/** What a change of a batch's status sets beside it. */
export interface BulkPatch {
  pausedFrom?: BulkStatus | null;
  /** Null clears a failed batch's reason. */
  failure?: null;
  finishedAt?: Date;
}

interface BulkRow {
  id: number;
  template_version_id: number;
  status: BulkStatus;
  paused_from: BulkStatus | null;
  concurrency: number;
  auto_release: number | boolean;
  failure_code: string | null;
  failure_params: unknown;
  created_at: Date;
  finished_at: Date | null;
}

interface TargetRow {
  tenant_id: number;
  phase: Phase;
  state: TargetState;
  release_id: number | null;
  note: string | null;
  note_code: string | null;
  note_params: unknown;
  status: ReleaseStatus | null;
  error_message: string | null;
  error_reason: string | null;
  error_params: unknown;
  audit_reason: string | null;
}

const toBulk = (r: BulkRow): StoredBulk => ({
  id: Number(r.id),
  templateVersionId: Number(r.template_version_id),
  status: r.status,
  pausedFrom: r.paused_from ?? null,
  concurrency: Number(r.concurrency),
  autoRelease: Boolean(r.auto_release),
  failure: r.failure_code
    ? {
        code: r.failure_code as JobFailure['code'],
        params: (parseJsonColumn(r.failure_params) as JobFailure['params'] | null) ?? {},
      }
    : null,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

function toTarget(r: TargetRow): StoredTarget {
  const [note, code, params] =
    r.note !== null
      ? [r.note, r.note_code, r.note_params]
      : r.error_message !== null
        ? [r.error_message, r.error_reason, r.error_params]
        : [r.audit_reason, null, null];
  const stored = storedSaid(code, params);
  return {
    tenantId: Number(r.tenant_id),
    phase: r.phase,
    state: r.state,
    releaseId: r.release_id === null ? null : Number(r.release_id),
    releaseStatus: r.status ?? null,
    note: note ?? null,
    noteCode: stored.code,
    noteParams: stored.params,
  };
}

/** The columns of a target's note. */
function noteColumns(s: Said): { note: string; note_code: string; note_params: string } {
  return { note: s.message.slice(0, 300), note_code: s.code, note_params: JSON.stringify(s.params) };
}

/**
 * `bulk_releases` and `bulk_release_targets`, platform tables: staff's batches releasing one version to
 * many shops. Their targets are read with the shops' releases (across tenants on purpose: a platform batch).
 * Everything runs on the context's connection (its transaction).
 */
export function bulkReleasesRepository(db: Database) {
  const bulks = (ctx: RequestContext) => platformTable(db.conn(ctx), 'bulk_releases');
  const targets = (ctx: RequestContext) => platformTable(db.conn(ctx), 'bulk_release_targets');

  /** Targets joined to their releases. */
  const withReleases = (ctx: RequestContext, bulkId: number) =>
    platformTable(db.conn(ctx), 'bulk_release_targets', 't')
      .leftJoin('mp_releases as r', (j) => j.on('r.id', '=', 't.release_id').andOn('r.tenant_id', '=', 't.tenant_id'))
      .where('t.bulk_id', bulkId);

  const count = async (q: Promise<unknown>) => Number(((await q) as Array<{ n: number }>)[0]?.n ?? 0);

  return {
    /** A batch; `lock` holds its row until the context's transaction ends (dispatchers are serialized on it). */
    async byId(ctx: RequestContext, id: number, opts: { lock?: boolean } = {}): Promise<StoredBulk | null> {
      const q = bulks(ctx).where({ id });
      const r = (await (opts.lock ? q.forUpdate() : q).first()) as BulkRow | undefined;
      return r ? toBulk(r) : null;
    },

    /** The ids of the batches, newest first, a page. */
    async list(ctx: RequestContext, page: number, pageSize: number): Promise<{ ids: number[]; total: number }> {
      const rows = (await bulks(ctx)
        .orderBy('id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .select('id')) as Array<{ id: number }>;
      const counted = await bulks(ctx).count({ total: '*' });
      return { ids: rows.map((r) => Number(r.id)), total: totalOf(counted) };
    },

    /** Inserts a batch in its canary phase, with its shops waiting. */
    async insert(ctx: RequestContext, b: NewBulk, shops: Array<{ tenantId: number; phase: Phase }>): Promise<number> {
      const [bulkId] = (await bulks(ctx).insert({
        template_version_id: b.templateVersionId,
        status: 'canary',
        concurrency: b.concurrency,
        auto_release: b.autoRelease,
        filter: JSON.stringify(b.filter),
        created_by: b.createdBy,
        created_at: b.at,
        updated_at: b.at,
      })) as [number];
      const rows = shops.map((s) => ({
        tenant_id: s.tenantId,
        phase: s.phase,
        bulk_id: bulkId,
        state: 'waiting',
        updated_at: b.at,
      }));
      for (let i = 0; i < rows.length; i += 1000) await targets(ctx).insert(rows.slice(i, i + 1000));
      return Number(bulkId);
    },

    /** Moves a batch to `to` when it is in one of `from`; false when it was not. */
    async setStatus(
      ctx: RequestContext,
      id: number,
      from: readonly BulkStatus[],
      to: BulkStatus,
      set: BulkPatch,
      at: Date,
    ): Promise<boolean> {
      const row: Record<string, unknown> = { status: to, updated_at: at };
      if (set.pausedFrom !== undefined) row.paused_from = set.pausedFrom;
      if (set.failure === null) Object.assign(row, { failure_code: null, failure_params: null });
      if (set.finishedAt !== undefined) row.finished_at = set.finishedAt;
      return (
        (await bulks(ctx)
          .where({ id })
          .whereIn('status', from as BulkStatus[])
          .update(row)) > 0
      );
    },

    /** A rolling batch fails with the reason, keeping the phase it was in for a retry; false when it was not rolling. */
    async fail(
      ctx: RequestContext,
      id: number,
      from: readonly BulkStatus[],
      failure: JobFailure,
      at: Date,
    ): Promise<boolean> {
      const changed = await bulks(ctx)
        .where({ id })
        .whereIn('status', from as BulkStatus[])
        // MySQL assigns left to right: the phase is kept before the status changes.
        .update({
          paused_from: db.knex.ref('status'),
          status: 'failed',
          failure_code: failure.code,
          failure_params: JSON.stringify(failure.params),
          updated_at: at,
        });
      return changed > 0;
    },

    /** How many targets of a batch are in each state, by phase and the status of their releases. */
    async counts(ctx: RequestContext, bulkId: number): Promise<TargetCount[]> {
      const rows = (await withReleases(ctx, bulkId)
        .select('t.phase', 't.state', 'r.status')
        .count({ n: '*' })
        .groupBy('t.phase', 't.state', 'r.status')) as Array<{
        phase: Phase;
        state: TargetState;
        status: ReleaseStatus | null;
        n: number;
      }>;
      return rows.map((r) => ({ phase: r.phase, state: r.state, releaseStatus: r.status ?? null, n: Number(r.n) }));
    },

    /** A batch's targets in order, a page, in a state or phase when given. */
    async targets(
      ctx: RequestContext,
      bulkId: number,
      q: { page: number; pageSize: number; state?: string; phase?: Phase },
    ): Promise<{ rows: StoredTarget[]; total: number }> {
      const base = withReleases(ctx, bulkId);
      if (q.state) base.where('t.state', q.state);
      if (q.phase) base.where('t.phase', q.phase);
      const counted = await base.clone().count({ total: '*' });
      const rows = (await base
        .clone()
        .orderBy('t.id')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .select(
          't.tenant_id',
          't.phase',
          't.state',
          't.release_id',
          't.note',
          't.note_code',
          't.note_params',
          'r.status',
          'r.error_message',
          'r.error_reason',
          'r.error_params',
          'r.audit_reason',
        )) as TargetRow[];
      return { rows: rows.map(toTarget), total: totalOf(counted) };
    },

    /** The started targets of a batch whose releases hold a place in flight: an audited release waiting for its merchant's click holds none. */
    async inFlight(ctx: RequestContext, bulkId: number): Promise<number> {
      return count(
        platformTable(db.conn(ctx), 'bulk_release_targets', 't')
          .join('mp_releases as r', (j) => j.on('r.id', '=', 't.release_id').andOn('r.tenant_id', '=', 't.tenant_id'))
          .where({ 't.bulk_id': bulkId, 't.state': 'started' })
          .whereNotNull('r.in_flight')
          .whereNot('r.status', 'audit_passed')
          .count({ n: '*' }),
      );
    },

    /** The next waiting targets of a phase, in order. */
    async waiting(
      ctx: RequestContext,
      bulkId: number,
      phase: Phase,
      limit: number,
    ): Promise<Array<{ id: number; tenantId: number }>> {
      const rows = (await targets(ctx)
        .where({ bulk_id: bulkId, phase, state: 'waiting' })
        .orderBy('id')
        .limit(limit)) as Array<{ id: number; tenant_id: number }>;
      return rows.map((r) => ({ id: Number(r.id), tenantId: Number(r.tenant_id) }));
    },

    async waitingCount(ctx: RequestContext, bulkId: number, phase: Phase): Promise<number> {
      return count(targets(ctx).where({ bulk_id: bulkId, phase, state: 'waiting' }).count({ n: '*' }));
    },

    async markStarted(ctx: RequestContext, targetId: number, releaseId: number, at: Date): Promise<void> {
      await targets(ctx).where({ id: targetId }).update({ state: 'started', release_id: releaseId, updated_at: at });
    },

    /** A target whose shop could not release, with why. */
    async markRefused(ctx: RequestContext, targetId: number, why: Said, at: Date): Promise<void> {
      await targets(ctx)
        .where({ id: targetId })
        .update({ state: 'refused', ...noteColumns(why), updated_at: at });
    },

    /** The targets still waiting are skipped, with why. */
    async skipWaiting(ctx: RequestContext, bulkId: number, why: Said, at: Date): Promise<void> {
      await targets(ctx)
        .where({ bulk_id: bulkId, state: 'waiting' })
        .update({ state: 'skipped', ...noteColumns(why), updated_at: at });
    },

    /** A phase is through: the canary waits for staff, or the batch is done. */
    async phaseThrough(ctx: RequestContext, bulkId: number, phase: Phase, at: Date): Promise<void> {
      await bulks(ctx)
        .where({ id: bulkId })
        .update({
          status: phase === 'canary' ? 'waiting' : 'done',
          updated_at: at,
          ...(phase === 'main' ? { finished_at: at } : {}),
        });
    },
  };
}

export type BulkReleasesRepository = ReturnType<typeof bulkReleasesRepository>;
