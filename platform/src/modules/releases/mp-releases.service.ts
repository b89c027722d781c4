import {
  QUEUES,
  RELEASE_FUNC_SETS,
  SUBMISSION_JOBS,
  type AuditQuota,
  type JobFailure,
  type MiniappRelease,
  type ReleaseStatus,
  type SubmissionJob,
  type SubmissionPayload,
} from '@shopfleet/contracts';
import type { RequestContext, TenantContext } from '../../kernel/context';
import { actorId } from '../../kernel/context';
import type { Transactions } from '../../kernel/db/database';
import { AppError, ConflictError, ForbiddenError, NotFoundError, UpstreamError } from '../../kernel/errors';
import { ENDED, canMove } from './release-states';
import {
  NOT_ACTIVE,
  NOT_BUILT,
  NO_VERSION,
  said,
  saidError,
  saidFailure,
  saidReason,
  wechatRefusal,
  type Said,
} from './release-texts';
import { isDuplicateKey, iso, isoOrNull } from '../../kernel/db/rows';
import type { Queues } from '../../kernel/queue';
import type { Storage } from '../../kernel/storage/s3';
import { WechatApiError, type ComponentTokenProvider, type WechatClient } from '../../integrations/wechat';
import type { AuthorizationsService } from '../miniapp';
import type { TenantsService } from '../tenants';
import type { MpReleasesRepository, ReleasePatch, StoredEvent, StoredRelease } from './mp-releases.repository';
import type { PackagesService } from './packages.service';
import {
  ReleaseStopped,
  UNDER_AUDIT,
  marker,
  releaseSteps,
  type ReleaseMoves,
  type StepOutcome,
} from './release-steps';
import type { TemplatesRepository } from './templates.repository';

export { ReleaseStopped, type StepOutcome } from './release-steps';

/** How far along each status is; a step is done once the release has reached the status it leads to. */
const RANK: Record<ReleaseStatus, number> = {
  pending: 0,
  domains_set: 1,
  privacy_set: 2,
  committed: 3,
  submitted: 4,
  audit_delayed: 4,
  audit_passed: 5,
  gray: 6,
  released: 7,
  audit_failed: -1,
  failed: -1,
  cancelled: -1,
  rolled_back: -1,
};

/** The steps the flow runs in order, and the status each one leads to. */
const FLOW: ReadonlyArray<{ job: SubmissionJob; reaches: ReleaseStatus }> = [
  { job: SUBMISSION_JOBS.setDomains, reaches: 'domains_set' },
  { job: SUBMISSION_JOBS.setPrivacy, reaches: 'privacy_set' },
  { job: SUBMISSION_JOBS.commitCode, reaches: 'committed' },
  { job: SUBMISSION_JOBS.fetchQrcode, reaches: 'committed' },
  { job: SUBMISSION_JOBS.submitAudit, reaches: 'submitted' },
];

export interface MpReleasesDeps {
  repo: MpReleasesRepository;
  /** The template versions released. */
  versions: TemplatesRepository;
  tx: Transactions;
  queues: Queues;
  storage: Storage;
  tenants: TenantsService;
  authorizations: AuthorizationsService;
  packages: PackagesService;
  wechat: WechatClient;
  componentTokens: ComponentTokenProvider;
  publicUrl: string;
  signedUrlSeconds: number;
  /** How long to wait between asking WeChat whether its privacy scan (61039) or audit is done. */
  privacyScanRetryMs: number;
  auditPollMs: number;
  now?: () => Date;
}

/**
 * A shop's mini-program releases through the third-party platform, after WECHAT.md: set the server
 * domains, the privacy guide, commit the template with the shop's ext.json, fetch the trial QR code,
 * submit for audit (waiting out WeChat's privacy scan), take the audit result from WeChat's push or
 * by polling, and release (fully or gray) or roll back. Each step is a job that reads where the
 * release stands first, so a retried or resumed job never repeats a finished step.
 */
export function mpReleasesService(deps: MpReleasesDeps) {
  const now = deps.now ?? (() => new Date());
  const { repo } = deps;

  async function row(ctx: TenantContext, id: number): Promise<StoredRelease> {
    const r = await repo.byId(ctx, id);
    if (!r) throw new NotFoundError('RELEASE_NOT_FOUND');
    return r;
  }

  /** Moves a release from one status to the next and records the event; false when it was no longer in `from`. */
  async function transition(
    ctx: TenantContext,
    id: number,
    from: ReleaseStatus | readonly ReleaseStatus[],
    to: ReleaseStatus,
    what: Said,
    set: ReleasePatch = {},
    data?: unknown,
  ): Promise<boolean> {
    const froms: readonly ReleaseStatus[] = typeof from === 'string' ? [from] : from;
    // The machine decides which moves exist; a move it does not have is a bug here, never a user's error.
    for (const f of froms) if (!canMove(f, to)) throw new Error(`release ${id}: no move from ${f} to ${to}`);
    return deps.tx.transaction(ctx, async (tctx) => {
      if (!(await repo.move(tctx, id, froms, to, set, now()))) return false;
      await repo.addEvent(tctx, id, to, what, now(), data);
      return true;
    });
  }

  async function note(ctx: TenantContext, id: number, status: ReleaseStatus, what: Said): Promise<void> {
    await repo.addEvent(ctx, id, status, what, now());
  }

  /** Calls WeChat with the shop's authorizer token, renewing it once when WeChat refuses it (40001 mid-flow). */
  async function withToken<T>(ctx: TenantContext, call: (token: string) => Promise<T>): Promise<T> {
    const first = await deps.authorizations.accessToken(ctx);
    try {
      return await call(first.token);
    } catch (err) {
      if (!(await deps.authorizations.invalidate(first.appid, err))) throw err;
      return call((await deps.authorizations.accessToken(ctx)).token);
    }
  }

  /** A WeChat call made for a merchant's click: WeChat's refusal becomes a 409 with its reason, an outage a 502. */
  async function forMerchant<T>(ctx: TenantContext, call: (token: string) => Promise<T>): Promise<T> {
    return merchantFacing(() => withToken(ctx, call));
  }

  async function merchantFacing<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof WechatApiError) {
        if (err.retryable)
          throw new UpstreamError(
            { reason: 'WECHAT_BUSY', message: 'WeChat is busy; try again in a moment' },
            { errcode: err.errcode },
          );
        throw new ConflictError(wechatRefusal(err), { errcode: err.errcode });
      }
      throw err;
    }
  }

  async function toRelease(
    r: StoredRelease,
    events: Array<StoredEvent<ReleaseStatus> & { releaseId: number }>,
  ): Promise<MiniappRelease> {
    return {
      id: r.id,
      templateVersionId: r.templateVersionId,
      // The release's user_version is its template version's version.
      version: r.userVersion,
      appid: r.appid,
      status: r.status,
      inFlight: !ENDED.has(r.status),
      autoRelease: r.autoRelease,
      grayPercentage: r.grayPercentage,
      auditId: r.auditId,
      auditReason: r.auditReason,
      auditScreenshots: r.auditScreenshots ? r.auditScreenshots.split('|').filter(Boolean) : [],
      trialQrcodeUrl: r.qrcodeKey ? await deps.storage.signedGetUrl(r.qrcodeKey, deps.signedUrlSeconds) : null,
      error: r.error,
      createdAt: iso(r.createdAt),
      submittedAt: isoOrNull(r.submittedAt),
      auditedAt: isoOrNull(r.auditedAt),
      releasedAt: isoOrNull(r.releasedAt),
      events: events
        .filter((e) => e.releaseId === r.id)
        .map((e) => ({
          status: e.status,
          code: e.code,
          params: e.params,
          message: e.message,
          createdAt: iso(e.createdAt),
        })),
    };
  }

  /** A release as the merchant sees it, with its events. */
  async function view(ctx: TenantContext, id: number): Promise<MiniappRelease> {
    const r = await row(ctx, id);
    return toRelease(r, await repo.events(ctx, [id]));
  }

  /** Adds the submission flow: each step a child of the next, so they run in order, each once. */
  async function addFlow(tenantId: number, releaseId: number, suffix = ''): Promise<void> {
    const data: SubmissionPayload = { tenantId, releaseId };
    const opts = (job: SubmissionJob) => ({
      jobId: `r${releaseId}-${job}${suffix}`,
      attempts: 8,
      backoff: { type: 'exponential', delay: 3000 },
      failParentOnFailure: true,
      removeOnComplete: { age: 7 * 24 * 3600 },
    });
    type Node = {
      name: string;
      queueName: string;
      data: SubmissionPayload;
      opts: ReturnType<typeof opts>;
      children?: Node[];
    };
    let node: Node | undefined;
    for (const step of FLOW)
      node = {
        name: step.job,
        queueName: QUEUES.submissions,
        data,
        opts: opts(step.job),
        ...(node ? { children: [node] } : {}),
      };
    await deps.queues.flows.add(node!);
  }

  async function addJob(
    job: SubmissionJob,
    tenantId: number,
    releaseId: number,
    delayMs = 0,
    suffix = '',
  ): Promise<void> {
    await deps.queues.get(QUEUES.submissions).add(job, { tenantId, releaseId } satisfies SubmissionPayload, {
      jobId: `r${releaseId}-${job}${suffix}`,
      delay: delayMs,
      attempts: 8,
      backoff: { type: 'exponential', delay: 3000 },
    });
  }

  const moves: ReleaseMoves = { transition, note, withToken, addJob };
  const { steps, applyAudit } = releaseSteps({ ...deps, now }, moves);

  let quotaCache: { value: AuditQuota; until: number } | null = null;

  return {
    view,

    async list(
      ctx: TenantContext,
      q: { page: number; pageSize: number },
    ): Promise<{ items: MiniappRelease[]; page: number; pageSize: number; total: number }> {
      const { rows, total } = await repo.list(ctx, q.page, q.pageSize);
      const events = await repo.events(
        ctx,
        rows.map((r) => r.id),
      );
      return {
        items: await Promise.all(rows.map((r) => toRelease(r, events))),
        page: q.page,
        pageSize: q.pageSize,
        total,
      };
    },

    /** Releases of the shop submitted to WeChat's audit in [from, to): what the shop spent of the audit quota (usage). */
    auditsSubmitted(ctx: TenantContext, from: Date, to: Date): Promise<number> {
      return repo.countSubmitted(ctx, from, to);
    },

    /** Each shop's newest release by its status (the platform figures). */
    newestByStatus(ctx: RequestContext): Promise<Map<ReleaseStatus, number>> {
      return repo.newestByStatus(ctx);
    },

    /** Whether the shop's mini-program was ever released through the platform (to everyone or to a gray share). */
    async everReleased(ctx: TenantContext): Promise<boolean> {
      return repo.everReleased(ctx);
    },

    /** Starts a release: the shop must be active and authorized with code management; one in flight at a time. */
    async start(
      ctx: TenantContext,
      input: { templateVersionId?: number; autoRelease: boolean },
    ): Promise<MiniappRelease> {
      const tenant = await deps.tenants.mustGet(ctx.tenantId);
      if (tenant.status !== 'active') throw new ForbiddenError(NOT_ACTIVE, 'TENANT_NOT_ACTIVE');
      if (!tenant.contactPhone)
        throw new ConflictError({
          reason: 'CONTACT_PHONE_REQUIRED',
          message: "Set the shop's contact phone first: WeChat shows it in the mini-program's privacy guide",
        });
      const auth = await deps.authorizations.get(ctx);
      if (!auth)
        throw new ConflictError({
          reason: 'MINIAPP_NOT_AUTHORIZED',
          message: "Authorize the shop's mini-program to the platform first",
        });
      const missing = RELEASE_FUNC_SETS.filter((set) => !auth.funcInfo.includes(set));
      if (missing.length)
        throw new ConflictError({
          reason: 'MINIAPP_PERMISSION_MISSING',
          params: { sets: missing.join(', ') },
          message: `The mini-program's authorization lacks permission set ${missing.join(', ')} (code management): authorize again and grant it`,
        });
      const version = await deps.versions.ready(ctx, input.templateVersionId);
      if (!version) throw new ConflictError(input.templateVersionId ? NOT_BUILT : NO_VERSION);
      let id: number;
      try {
        id = await deps.tx.transaction(ctx, async (tctx) => {
          const at = now();
          const newId = await repo.insert(tctx, {
            templateVersionId: version.id,
            appid: auth.authorizerAppid,
            userVersion: version.version,
            autoRelease: input.autoRelease,
            requestedBy: actorId(ctx.actor),
            at,
          });
          await repo.setUserDesc(
            tctx,
            newId,
            `${(version.description || `版本 ${version.version}`).slice(0, 150)} ${marker(newId)}`,
          );
          await repo.addEvent(tctx, newId, 'pending', said('RELEASE_REQUESTED', { version: version.version }), now());
          return newId;
        });
      } catch (err) {
        if (isDuplicateKey(err))
          throw new ConflictError({
            reason: 'RELEASE_IN_FLIGHT',
            message: 'A release of this mini-program is already in flight',
          });
        throw err;
      }
      // The answer is the release as requested: read before its jobs exist, so a worker that starts at once cannot change it.
      const requested = await view(ctx, id);
      await addFlow(ctx.tenantId, id);
      return requested;
    },

    /** Runs one step of a release (the worker's part). */
    async runStep(ctx: TenantContext, releaseId: number, job: SubmissionJob): Promise<StepOutcome> {
      const r = await row(ctx, releaseId);
      const status = r.status;
      const inFlow = FLOW.find((s) => s.job === job);
      if (ENDED.has(status) && job !== SUBMISSION_JOBS.publish) return { kind: 'skipped' };
      if (inFlow && job !== SUBMISSION_JOBS.fetchQrcode && RANK[status] >= RANK[inFlow.reaches])
        return { kind: 'skipped' };
      if (job === SUBMISSION_JOBS.publish && status !== 'audit_passed' && status !== 'gray') return { kind: 'skipped' };
      return steps[job](ctx, r);
    },

    /** A step could not succeed: the release stops with the reason, shown to the merchant. */
    async stop(ctx: TenantContext, releaseId: number, err: unknown): Promise<void> {
      const r = await row(ctx, releaseId);
      if (ENDED.has(r.status)) return;
      const { code, said: why } = reasonOf(err);
      await transition(ctx, releaseId, r.status, 'failed', why, { error: { code, said: why } });
    },

    /**
     * A step's job gave up (its attempts spent, or its worker dead too often): the release stops with the
     * reason, once. A later step of the flow fails with the step before it (BullMQ fails a flow's parent
     * when its child fails); that one's own failure is the reason, so a step whose turn has not come is
     * left to it.
     */
    async giveUp(ctx: TenantContext, releaseId: number, step: SubmissionJob, failure: JobFailure): Promise<void> {
      const r = await row(ctx, releaseId);
      const status = r.status;
      if (ENDED.has(status)) return;
      const at = FLOW.findIndex((s) => s.job === step);
      if (at > 0 && RANK[status] < RANK[FLOW[at - 1]!.reaches]) return;
      const why = saidFailure(failure);
      await transition(ctx, releaseId, r.status, 'failed', why, { error: { code: failure.code, said: why } }, failure);
    },

    /**
     * Goes on with a failed release from the status it had reached: the flow runs again under new job
     * ids and every step it reaches already done is skipped, so nothing is committed or submitted twice.
     * The shop must still be active, and have no other release in flight.
     */
    async retry(ctx: TenantContext, id: number): Promise<MiniappRelease> {
      const r = await row(ctx, id);
      if (r.status !== 'failed')
        throw new ConflictError(
          {
            reason: 'RELEASE_NOT_FAILED',
            params: { status: r.status },
            message: `Only a failed release can be retried; this one is ${r.status}`,
          },
          { status: r.status },
        );
      const tenant = await deps.tenants.mustGet(ctx.tenantId);
      if (tenant.status !== 'active') throw new ForbiddenError(NOT_ACTIVE, 'TENANT_NOT_ACTIVE');
      const events = (await repo.events(ctx, [id])).reverse();
      const reached = events.find((e) => e.status !== 'failed')?.status ?? 'pending';
      if (ENDED.has(reached) || reached === 'gray')
        throw new ConflictError({
          reason: 'RELEASE_CANNOT_CONTINUE',
          message: 'This release cannot go on; start a new one',
        });
      // Events from before the codes are known by their message.
      const retries =
        events.filter((e) => (e.code === null ? e.message.startsWith('Retried from') : e.code === 'RELEASE_RETRIED'))
          .length + 1;
      const retried = { ...said('RELEASE_RETRIED'), message: `Retried from ${reached}` };
      try {
        if (!(await transition(ctx, id, 'failed', reached, retried, { error: null })))
          throw new ConflictError({ reason: 'RELEASE_MOVED_ON', message: 'The release moved on meanwhile; try again' });
      } catch (err) {
        if (isDuplicateKey(err))
          throw new ConflictError({
            reason: 'RELEASE_IN_FLIGHT',
            message: 'Another release of this mini-program is in flight',
          });
        throw err;
      }
      const suffix = `-retry${retries}`;
      const again = await view(ctx, id);
      if (RANK[reached] < RANK.submitted) await addFlow(ctx.tenantId, id, suffix);
      else if (UNDER_AUDIT.includes(reached)) await addJob(SUBMISSION_JOBS.pollAudit, ctx.tenantId, id, 0, suffix);
      else if (reached === 'audit_passed' && r.autoRelease)
        await addJob(SUBMISSION_JOBS.publish, ctx.tenantId, id, 0, suffix);
      return again;
    },

    /** Records an event on the release unless it is already its latest (a wait repeated every minute is told once). */
    async noteOnce(ctx: TenantContext, id: number, what: Said): Promise<void> {
      const r = await row(ctx, id);
      const last = await repo.lastEvent(ctx, id);
      if (last?.code !== what.code || last?.message !== what.message) await note(ctx, id, r.status, what);
    },

    /** WeChat's audit push (weapp_audit_success / _fail / _delay): it names no audit id, so it applies to the shop's latest submission. */
    async onAuditEvent(
      ctx: TenantContext,
      appid: string,
      event: { kind: 'success' | 'fail' | 'delay'; reason?: string; screenshot?: string },
    ): Promise<boolean> {
      const r = await repo.latestIn(ctx, appid, UNDER_AUDIT);
      if (!r) return false;
      const status = event.kind === 'success' ? 0 : event.kind === 'fail' ? 1 : 4;
      return applyAudit(ctx, r, { status, reason: event.reason, screenshot: event.screenshot }, 'pushed');
    },

    /** The merchant releases an audited version: to everyone, or to a share of users first (raise it, or go full, later). */
    async publish(ctx: TenantContext, id: number, input: { grayPercentage?: number }): Promise<MiniappRelease> {
      const r = await row(ctx, id);
      if (r.status !== 'audit_passed' && r.status !== 'gray')
        throw new ConflictError({ reason: 'RELEASE_NOT_AUDITED', message: 'Only an audited version can be released' });
      const pct = input.grayPercentage ?? null;
      if (r.status === 'gray') {
        if (pct === null) {
          await merchantFacing(() => steps[SUBMISSION_JOBS.publish](ctx, { ...r, grayPercentage: null }));
          return view(ctx, id);
        }
        const current = Number(r.grayPercentage);
        if (pct <= current)
          throw new ConflictError({
            reason: 'GRAY_ONLY_WIDENS',
            params: { percentage: current },
            message: `A gray release can only be widened (now ${current}%)`,
          });
        await forMerchant(ctx, (token) => deps.wechat.grayRelease(token, pct));
        await repo.update(ctx, id, { grayPercentage: pct }, now());
        await note(ctx, id, 'gray', said('GRAY_RELEASED', { percentage: pct }));
        return view(ctx, id);
      }
      // The step reads the share from the release it is given, and records it with the move to gray.
      await merchantFacing(() => steps[SUBMISSION_JOBS.publish](ctx, { ...r, grayPercentage: pct }));
      return view(ctx, id);
    },

    /**
     * Back to the version released before: the latest released release of the shop, or a gray
     * release (the users it reached go back).
     */
    async rollback(ctx: TenantContext, id: number): Promise<MiniappRelease> {
      const r = await row(ctx, id);
      if (r.status === 'gray') {
        await forMerchant(ctx, (token) => deps.wechat.revertGrayRelease(token));
        await transition(ctx, id, 'gray', 'rolled_back', said('GRAY_WITHDRAWN'));
        return view(ctx, id);
      }
      if (r.status !== 'released')
        throw new ConflictError({
          reason: 'RELEASE_NOT_RELEASED',
          message: 'Only a released version can be rolled back',
        });
      if ((await repo.latestReleasedId(ctx)) !== id)
        throw new ConflictError({
          reason: 'RELEASE_NOT_LATEST',
          message: 'Only the latest release can be rolled back',
        });
      await forMerchant(ctx, (token) => deps.wechat.revertRelease(token));
      await transition(ctx, id, 'released', 'rolled_back', said('ROLLED_BACK'));
      return view(ctx, id);
    },

    /** Stops a release in flight; one under review is withdrawn from WeChat's audit first. */
    async cancel(ctx: TenantContext, id: number): Promise<MiniappRelease> {
      const r = await row(ctx, id);
      const status = r.status;
      if (ENDED.has(status) || status === 'gray')
        throw new ConflictError(
          status === 'gray'
            ? { reason: 'RELEASE_GRAY_LIVE', message: 'A gray release is live: release it fully or roll it back' }
            : { reason: 'RELEASE_ENDED', message: 'This release has already ended' },
        );
      if (UNDER_AUDIT.includes(status)) await forMerchant(ctx, (token) => deps.wechat.undoAudit(token));
      if (!(await transition(ctx, id, status, 'cancelled', said('CANCELLED_BY_MERCHANT'))))
        throw new ConflictError({ reason: 'CHANGED_MEANWHILE', message: 'The release moved on meanwhile; try again' });
      return view(ctx, id);
    },

    /**
     * The audit quota of the third-party platform (one quota for all its shops), asked with the token
     * of a shop that granted code management, and kept for a minute (`fresh` asks WeChat anyway).
     */
    async auditQuota(ctx: RequestContext, opts: { fresh?: boolean } = {}): Promise<AuditQuota> {
      if (!opts.fresh && quotaCache && quotaCache.until > Date.now()) return quotaCache.value;
      // A platform figure, asked with the token of a shop that granted code management (set 18).
      const tenantId = await deps.authorizations.shopGranting(18);
      if (tenantId === null)
        throw new ConflictError({
          reason: 'QUOTA_NEEDS_AUTHORIZATION',
          message: 'No shop has authorized code management yet, so WeChat cannot be asked for the quota',
        });
      const quota = await forMerchant({ ...ctx, tenantId }, (token) => deps.wechat.auditQuota(token));
      const value = { ...quota, checkedAt: now().toISOString() };
      quotaCache = { value, until: Date.now() + 60_000 };
      return value;
    },
  };
}

/** The reason a release stopped, for the merchant: the stored code (WeChat's errcode, `stopped`…) and what to say. */
export function reasonOf(err: unknown): { code: string; said: Said } {
  if (err instanceof WechatApiError) return { code: `wechat:${err.errcode}`, said: saidReason(wechatRefusal(err)) };
  if (err instanceof ReleaseStopped) return { code: 'stopped', said: err.said };
  if (err instanceof UpstreamError) {
    return {
      code: 'wechat:unreachable',
      said: {
        code: 'WECHAT_UNREACHABLE',
        params: {},
        message: `WeChat could not be reached after several tries (${err.message})`,
      },
    };
  }
  if (err instanceof AppError) return { code: err.code, said: saidError(err, 'STOPPED_ON_ERROR') };
  return { code: 'internal', said: said('STOPPED_UNEXPECTEDLY') };
}

/** Whether a step's error may succeed on a later try (network, WeChat busy or rate-limited). */
export function isTransient(err: unknown): boolean {
  if (err instanceof WechatApiError) return err.retryable;
  return err instanceof UpstreamError;
}

export type MpReleasesService = ReturnType<typeof mpReleasesService>;
