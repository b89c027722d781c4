import type { ErrorParamValue, ReleaseStatus } from '@shopfleet/contracts';
import type { RequestContext, TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { totalOf } from '../../kernel/db/rows';
import { ENDED } from './release-states';
import { NO_ERROR, errorColumns, eventColumns, storedReason, storedSaid, type Said } from './release-texts';

type Params = Record<string, ErrorParamValue>;

/** Why a release or a code upload stopped, as stored: its code (WeChat's errcode, `stopped`…), the English, and the reason and params to say it by. */
export interface StoredError {
  code: string;
  message: string;
  reason: string | null;
  params: Params;
}

/** What an event of a release or upload says, as stored (a row from before the codes has none). */
export interface StoredEvent<S extends string> {
  status: S;
  code: string | null;
  params: Params;
  message: string;
  createdAt: Date;
}

/** A shop's release of a template version through WeChat, as stored. */
export interface StoredRelease {
  id: number;
  templateVersionId: number;
  /** The template version's version. */
  userVersion: string;
  /** The description sent to WeChat, ending with the release's marker. */
  userDesc: string;
  appid: string;
  status: ReleaseStatus;
  autoRelease: boolean;
  grayPercentage: number | null;
  auditId: number | null;
  auditReason: string | null;
  /** WeChat's media ids, `|`-separated. */
  auditScreenshots: string | null;
  qrcodeKey: string | null;
  error: StoredError | null;
  createdAt: Date;
  submittedAt: Date | null;
  auditedAt: Date | null;
  releasedAt: Date | null;
}

export interface NewRelease {
  templateVersionId: number;
  appid: string;
  userVersion: string;
  autoRelease: boolean;
  requestedBy: number | null;
  at: Date;
}

/** What a move of a release sets beside its status; `error: null` clears a stopped release's error. */
export interface ReleasePatch {
  auditId?: number;
  submittedAt?: Date;
  auditedAt?: Date;
  auditReason?: string;
  auditScreenshots?: string | null;
  releasedAt?: Date;
  grayPercentage?: number | null;
  error?: { code: string; said: Said } | null;
}

interface ReleaseRow {
  id: number;
  template_version_id: number;
  user_version: string;
  user_desc: string;
  appid: string;
  status: ReleaseStatus;
  auto_release: number | boolean;
  gray_percentage: number | null;
  auditid: number | null;
  audit_reason: string | null;
  audit_screenshots: string | null;
  qrcode_key: string | null;
  error_code: string | null;
  error_message: string | null;
  error_reason: string | null;
  error_params: unknown;
  created_at: Date;
  submitted_at: Date | null;
  audited_at: Date | null;
  released_at: Date | null;
}

interface EventRow {
  release_id: number;
  status: ReleaseStatus;
  code: string | null;
  params: unknown;
  message: string;
  created_at: Date;
}

/** The stored error of a release or upload row, null when it did not stop. */
export function toStoredError(r: {
  error_code: string | null;
  error_message: string | null;
  error_reason: string | null;
  error_params: unknown;
}): StoredError | null {
  return r.error_code
    ? {
        code: String(r.error_code),
        message: String(r.error_message ?? ''),
        ...storedReason(r.error_reason, r.error_params),
      }
    : null;
}

const toRelease = (r: ReleaseRow): StoredRelease => ({
  id: Number(r.id),
  templateVersionId: Number(r.template_version_id),
  userVersion: String(r.user_version),
  userDesc: String(r.user_desc),
  appid: String(r.appid),
  status: r.status,
  autoRelease: Boolean(r.auto_release),
  grayPercentage: r.gray_percentage === null ? null : Number(r.gray_percentage),
  auditId: r.auditid === null ? null : Number(r.auditid),
  auditReason: r.audit_reason ?? null,
  auditScreenshots: r.audit_screenshots ?? null,
  qrcodeKey: r.qrcode_key ?? null,
  error: toStoredError(r),
  createdAt: r.created_at,
  submittedAt: r.submitted_at,
  auditedAt: r.audited_at,
  releasedAt: r.released_at,
});

const toEvent = (e: EventRow): StoredEvent<ReleaseStatus> & { releaseId: number } => ({
  releaseId: Number(e.release_id),
  status: e.status,
  ...storedSaid(e.code, e.params),
  message: String(e.message),
  createdAt: e.created_at,
});

function patchColumns(set: ReleasePatch): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  if (set.auditId !== undefined) row.auditid = set.auditId;
  if (set.submittedAt !== undefined) row.submitted_at = set.submittedAt;
  if (set.auditedAt !== undefined) row.audited_at = set.auditedAt;
  if (set.auditReason !== undefined) row.audit_reason = set.auditReason;
  if (set.auditScreenshots !== undefined) row.audit_screenshots = set.auditScreenshots;
  if (set.releasedAt !== undefined) row.released_at = set.releasedAt;
  if (set.grayPercentage !== undefined) row.gray_percentage = set.grayPercentage;
  if (set.error !== undefined) Object.assign(row, set.error ? errorColumns(set.error.code, set.error.said) : NO_ERROR);
  return row;
}

/** `mp_releases` and `mp_release_events`: each shop's releases through WeChat, and every change of each. */
export function mpReleasesRepository(db: Database) {
  const releases = (ctx: TenantContext) => db.scope(ctx).table('mp_releases');
  const events = (ctx: TenantContext) => db.scope(ctx).table('mp_release_events');

  return {
    async byId(ctx: TenantContext, id: number): Promise<StoredRelease | null> {
      const r = (await releases(ctx).where({ id }).first()) as ReleaseRow | undefined;
      return r ? toRelease(r) : null;
    },

    /** The shop's releases, newest first, a page. */
    async list(ctx: TenantContext, page: number, pageSize: number): Promise<{ rows: StoredRelease[]; total: number }> {
      const rows = (await releases(ctx)
        .orderBy('id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)) as ReleaseRow[];
      const counted = await releases(ctx).count({ total: '*' });
      return { rows: rows.map(toRelease), total: totalOf(counted) };
    },

    /** The events of some releases, oldest first. */
    async events(
      ctx: TenantContext,
      releaseIds: number[],
    ): Promise<Array<StoredEvent<ReleaseStatus> & { releaseId: number }>> {
      if (releaseIds.length === 0) return [];
      return ((await events(ctx).whereIn('release_id', releaseIds).orderBy('id')) as EventRow[]).map(toEvent);
    },

    /** A release's latest event, null when it has none. */
    async lastEvent(ctx: TenantContext, releaseId: number): Promise<StoredEvent<ReleaseStatus> | null> {
      const e = (await events(ctx).where({ release_id: releaseId }).orderBy('id', 'desc').first()) as
        EventRow | undefined;
      return e ? toEvent(e) : null;
    },

    /** Whether any release of the shop was ever released (to everyone or to a gray share). */
    async everReleased(ctx: TenantContext): Promise<boolean> {
      return (await releases(ctx).whereNotNull('released_at').first('id')) !== undefined;
    },

    /** Releases of the shop submitted to WeChat's audit in [from, to) (each spent one of the platform's audit quota). */
    async countSubmitted(ctx: TenantContext, from: Date, to: Date): Promise<number> {
      return totalOf(
        await releases(ctx).where('submitted_at', '>=', from).where('submitted_at', '<', to).count({ total: '*' }),
      );
    },

    /**
     * Each shop's newest release, counted by its status. Read across shops on purpose: a platform figure (a shop has a
     * handful of releases, so the newest of each is a small group-by).
     */
    async newestByStatus(ctx: RequestContext): Promise<Map<ReleaseStatus, number>> {
      const knex = db.conn(ctx);
      const rows = (await knex('mp_releases as r')
        .join(
          knex('mp_releases').select('tenant_id').max({ id: 'id' }).groupBy('tenant_id').as('newest'),
          'newest.id',
          'r.id',
        )
        .select('r.status')
        .count({ n: '*' })
        .groupBy('r.status')) as Array<{ status: ReleaseStatus; n: number | string }>;
      return new Map(rows.map((r) => [r.status, Number(r.n)]));
    },

    /** The shop's latest release of an appid in one of some statuses. */
    async latestIn(
      ctx: TenantContext,
      appid: string,
      statuses: readonly ReleaseStatus[],
    ): Promise<StoredRelease | null> {
      const r = (await releases(ctx)
        .where({ appid })
        .whereIn('status', statuses as ReleaseStatus[])
        .orderBy('id', 'desc')
        .first()) as ReleaseRow | undefined;
      return r ? toRelease(r) : null;
    },

    /** The id of the shop's latest released release (by when it was released). */
    async latestReleasedId(ctx: TenantContext): Promise<number | null> {
      const r = (await releases(ctx)
        .where({ status: 'released' })
        .orderBy('released_at', 'desc')
        .orderBy('id', 'desc')
        .first('id')) as { id: number } | undefined;
      return r ? Number(r.id) : null;
    },

    /** Inserts a pending release, in flight: a second one in flight for the shop is a duplicate key (the unique index). */
    async insert(ctx: TenantContext, r: NewRelease): Promise<number> {
      return db.scope(ctx).insert('mp_releases', {
        template_version_id: r.templateVersionId,
        in_flight: 1,
        status: 'pending',
        appid: r.appid,
        user_version: r.userVersion,
        user_desc: '',
        auto_release: r.autoRelease,
        requested_by: r.requestedBy,
        created_at: r.at,
        updated_at: r.at,
      });
    },

    async setUserDesc(ctx: TenantContext, id: number, userDesc: string): Promise<void> {
      await releases(ctx).where({ id }).update({ user_desc: userDesc });
    },

    /**
     * Moves a release to `to` when it is still in one of `from` (a conditional update: of two moves at
     * once, one wins); false when it was not. A release that ends leaves the shop's one place in flight.
     */
    async move(
      ctx: TenantContext,
      id: number,
      from: readonly ReleaseStatus[],
      to: ReleaseStatus,
      set: ReleasePatch,
      at: Date,
    ): Promise<boolean> {
      const changed = await releases(ctx)
        .where({ id })
        .whereIn('status', from as ReleaseStatus[])
        .update({ ...patchColumns(set), status: to, in_flight: ENDED.has(to) ? null : 1, updated_at: at });
      return changed > 0;
    },

    /** Changes what a release keeps beside its status (its trial QR code, its gray share). */
    async update(ctx: TenantContext, id: number, set: ReleasePatch & { qrcodeKey?: string }, at: Date): Promise<void> {
      await releases(ctx)
        .where({ id })
        .update({
          ...patchColumns(set),
          ...(set.qrcodeKey !== undefined ? { qrcode_key: set.qrcodeKey } : {}),
          updated_at: at,
        });
    },

    /** Records an event of a release, with what it was about (`data`) when there is some. */
    async addEvent(
      ctx: TenantContext,
      releaseId: number,
      status: ReleaseStatus,
      what: Said,
      at: Date,
      data?: unknown,
    ): Promise<void> {
      await db.scope(ctx).insert('mp_release_events', {
        release_id: releaseId,
        status,
        ...eventColumns(what),
        ...(data === undefined ? {} : { data: JSON.stringify(data) }),
        created_at: at,
      });
    },
  };
}

export type MpReleasesRepository = ReturnType<typeof mpReleasesRepository>;
