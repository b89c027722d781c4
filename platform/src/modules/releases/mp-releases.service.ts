import type { Knex } from 'knex';
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
import { AppError, ConflictError, ForbiddenError, NotFoundError, UpstreamError } from '../../kernel/errors';
import { ENDED, canMove } from './release-states';
import { NOT_ACTIVE, NOT_BUILT, NO_VERSION, NO_ERROR, errorColumns, eventColumns, said, saidError, saidFailure, saidReason, storedReason, storedSaid, wechatRefusal, type Said } from './release-texts';
import { TenantScope } from '../../kernel/db/tenant-scope';
import { isDuplicateKey, iso, isoOrNull, totalOf } from '../../kernel/db/rows';
import { platformTable } from '../../kernel/db/platform-db';
import type { Queues } from '../../kernel/queue';
import type { Storage } from '../../kernel/storage/s3';
import { WechatApiError, type ComponentTokenProvider, type WechatCategory, type WechatClient } from '../../integrations/wechat';
import type { AuthorizationsService } from '../miniapp';
import type { TenantsService } from '../tenants';
import type { PackagesService } from './packages.service';

type Row = Record<string, unknown>;

/** How far along each status is; a step is done once the release has reached the status it leads to. */
const RANK: Record<ReleaseStatus, number> = {
  pending: 0, domains_set: 1, privacy_set: 2, committed: 3, submitted: 4, audit_delayed: 4, audit_passed: 5, gray: 6, released: 7,
  audit_failed: -1, failed: -1, cancelled: -1, rolled_back: -1,
};

/** The steps the flow runs in order, and the status each one leads to. */
const FLOW: ReadonlyArray<{ job: SubmissionJob; reaches: ReleaseStatus }> = [
  { job: SUBMISSION_JOBS.setDomains, reaches: 'domains_set' },
  { job: SUBMISSION_JOBS.setPrivacy, reaches: 'privacy_set' },
  { job: SUBMISSION_JOBS.commitCode, reaches: 'committed' },
  { job: SUBMISSION_JOBS.fetchQrcode, reaches: 'committed' },
  { job: SUBMISSION_JOBS.submitAudit, reaches: 'submitted' },
];

/** What the shop sells, matched against the service categories WeChat lists for its mini-program. */
const CATEGORY_WORDS: Readonly<Record<string, readonly string[]>> = {
  apparel: ['服装', '鞋', '箱包'],
  food: ['食品'],
  fresh_produce: ['生鲜', '水果', '蔬菜', '食品'],
  electronics: ['数码', '家电', '电器'],
  beauty: ['美妆', '洗护', '个护'],
  books: ['图书', '出版'],
  home: ['家居', '日用', '百货'],
  maternal_baby: ['母婴'],
  medical_devices: ['医疗器械'],
  travel: ['旅游', '出行'],
  services: ['生活服务', '服务'],
};

/** The pages submitted for audit (at most five), with their titles and tags. */
const AUDIT_PAGES: ReadonlyArray<{ address: string; title: string; tag: string }> = [
  { address: 'pages/index/index', title: '首页', tag: '商城 购物' },
  { address: 'pages/product/detail', title: '商品详情', tag: '商品' },
  { address: 'pages/cart/index', title: '购物车', tag: '购物车' },
  { address: 'pages/order/list', title: '我的订单', tag: '订单' },
  { address: 'pages/user/index', title: '我的', tag: '个人中心' },
];

/** The step ran, was already done, or must wait (61039 privacy scan, audit still in review). */
export type StepOutcome = { kind: 'done' } | { kind: 'skipped' } | { kind: 'wait'; ms: number; note?: Said };

/** A step failed for good: the release is marked failed with this reason, and the job is not retried. */
export class ReleaseStopped extends Error {
  constructor(readonly said: Said) {
    super(said.message);
    this.name = 'ReleaseStopped';
  }
}

export interface MpReleasesDeps {
  knex: Knex;
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
  const scopeOf = (tenantId: number) => new TenantScope(deps.knex, tenantId);

  async function row(tenantId: number, id: number): Promise<Row> {
    const r = (await scopeOf(tenantId).table('mp_releases').where({ id }).first()) as Row | undefined;
    if (!r) throw new NotFoundError('RELEASE_NOT_FOUND');
    return r;
  }

  /** Moves a release from one status to the next and records the event; false when it was no longer in `from`. */
  async function transition(tenantId: number, id: number, from: ReleaseStatus | readonly ReleaseStatus[], to: ReleaseStatus, what: Said, set: Row = {}, data?: unknown): Promise<boolean> {
    const froms = Array.isArray(from) ? from : [from];
    // The machine decides which moves exist; a move it does not have is a bug here, never a user's error.
    for (const f of froms) if (!canMove(f, to)) throw new Error(`release ${id}: no move from ${f} to ${to}`);
    return scopeOf(tenantId).transaction(async (scope) => {
      const changed = await scope
        .table('mp_releases')
        .where({ id })
        .whereIn('status', froms as string[])
        .update({ ...set, status: to, in_flight: ENDED.has(to) ? null : 1, updated_at: now() });
      if (!changed) return false;
      await scope.insert('mp_release_events', { release_id: id, status: to, ...eventColumns(what), data: data === undefined ? null : JSON.stringify(data), created_at: now() });
      return true;
    });
  }

  async function note(tenantId: number, id: number, status: ReleaseStatus, what: Said): Promise<void> {
    await scopeOf(tenantId).insert('mp_release_events', { release_id: id, status, ...eventColumns(what), created_at: now() });
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
        if (err.retryable) throw new UpstreamError({ reason: 'WECHAT_BUSY', message: 'WeChat is busy; try again in a moment' }, { errcode: err.errcode });
        throw new ConflictError(wechatRefusal(err), { errcode: err.errcode });
      }
      throw err;
    }
  }

  async function toRelease(r: Row, events: Row[]): Promise<MiniappRelease> {
    const status = r.status as ReleaseStatus;
    return {
      id: Number(r.id),
      templateVersionId: Number(r.template_version_id),
      // The release's user_version is its template version's version.
      version: String(r.user_version),
      appid: String(r.appid),
      status,
      inFlight: !ENDED.has(status),
      autoRelease: Boolean(r.auto_release),
      grayPercentage: r.gray_percentage === null ? null : Number(r.gray_percentage),
      auditId: r.auditid === null ? null : Number(r.auditid),
      auditReason: (r.audit_reason as string | null) ?? null,
      auditScreenshots: r.audit_screenshots ? String(r.audit_screenshots).split('|').filter(Boolean) : [],
      trialQrcodeUrl: r.qrcode_key ? await deps.storage.signedGetUrl(String(r.qrcode_key), deps.signedUrlSeconds) : null,
      error: r.error_code ? { code: String(r.error_code), message: String(r.error_message ?? ''), ...storedReason(r.error_reason, r.error_params) } : null,
      createdAt: iso(r.created_at as Date),
      submittedAt: isoOrNull(r.submitted_at as Date | null),
      auditedAt: isoOrNull(r.audited_at as Date | null),
      releasedAt: isoOrNull(r.released_at as Date | null),
      events: events
        .filter((e) => Number(e.release_id) === Number(r.id))
        .map((e) => ({ status: e.status as ReleaseStatus, ...storedSaid(e.code, e.params), message: String(e.message), createdAt: iso(e.created_at as Date) })),
    };
  }

  async function view(tenantId: number, id: number): Promise<MiniappRelease> {
    const r = await row(tenantId, id);
    const events = (await scopeOf(tenantId).table('mp_release_events').where({ release_id: id }).orderBy('id')) as Row[];
    return toRelease(r, events);
  }

  /** Adds the submission flow: each step a child of the next, so they run in order, each once. */
  async function addFlow(tenantId: number, releaseId: number, suffix = ''): Promise<void> {
    const data: SubmissionPayload = { tenantId, releaseId };
    const opts = (job: SubmissionJob) => ({ jobId: `r${releaseId}-${job}${suffix}`, attempts: 8, backoff: { type: 'exponential', delay: 3000 }, failParentOnFailure: true, removeOnComplete: { age: 7 * 24 * 3600 } });
    type Node = { name: string; queueName: string; data: SubmissionPayload; opts: ReturnType<typeof opts>; children?: Node[] };
    let node: Node | undefined;
    for (const step of FLOW) node = { name: step.job, queueName: QUEUES.submissions, data, opts: opts(step.job), ...(node ? { children: [node] } : {}) };
    await deps.queues.flows.add(node!);
  }

  async function addJob(job: SubmissionJob, tenantId: number, releaseId: number, delayMs = 0, suffix = ''): Promise<void> {
    await deps.queues.get(QUEUES.submissions).add(job, { tenantId, releaseId } satisfies SubmissionPayload, {
      jobId: `r${releaseId}-${job}${suffix}`,
      delay: delayMs,
      attempts: 8,
      backoff: { type: 'exponential', delay: 3000 },
    });
  }

  /** The template id /wxa/commit names: stored on the version, else found in WeChat's template library (or added from its drafts). */
  async function templateIdOf(versionId: number, version: string): Promise<number> {
    const stored = await platformTable(deps.knex, 'template_versions').where({ id: versionId }).first('wechat_template_id');
    if (stored?.wechat_template_id) return Number(stored.wechat_template_id);
    const token = await deps.componentTokens.token();
    let found = (await deps.wechat.templateList(token)).filter((t) => t.userVersion === version).sort((a, b) => b.templateId - a.templateId)[0];
    if (!found) {
      const draft = (await deps.wechat.templateDrafts(token)).filter((d) => d.userVersion === version).sort((a, b) => b.draftId - a.draftId)[0];
      if (!draft) throw new ReleaseStopped(said('TEMPLATE_NOT_IN_LIBRARY', { version }));
      await deps.wechat.addToTemplate(token, draft.draftId);
      found = (await deps.wechat.templateList(token)).filter((t) => t.userVersion === version).sort((a, b) => b.templateId - a.templateId)[0];
      if (!found) throw new UpstreamError('WeChat did not list the template it was just given', { version });
    }
    await platformTable(deps.knex, 'template_versions').where({ id: versionId }).update({ wechat_template_id: found.templateId });
    return found.templateId;
  }

  /** item_list for submit_audit: the shop's category as WeChat lists it, on each audited page the code has. */
  function itemList(categories: WechatCategory[], pages: string[], categoryCode: string | null): Array<Record<string, unknown>> {
    if (!categories.length) throw new ReleaseStopped(said('NO_SERVICE_CATEGORY'));
    const words = CATEGORY_WORDS[categoryCode ?? ''] ?? [];
    const named = (c: WechatCategory) => [c.first_class, c.second_class, c.third_class ?? ''].join('/');
    const category = categories.find((c) => words.some((w) => named(c).includes(w))) ?? categories[0]!;
    const available = new Set(pages);
    return AUDIT_PAGES.filter((p) => available.has(p.address)).map((p) => ({
      address: p.address,
      tag: p.tag,
      title: p.title,
      first_class: category.first_class,
      second_class: category.second_class,
      first_id: category.first_id,
      second_id: category.second_id,
      ...(category.third_class ? { third_class: category.third_class, third_id: category.third_id } : {}),
    }));
  }

  /** Applies an audit result (from the push or from polling); a result already applied changes nothing. */
  async function applyAudit(ctx: TenantContext, r: Row, result: { status: number; reason?: string; screenshot?: string }, via: 'pushed' | 'polled'): Promise<boolean> {
    const id = Number(r.id);
    const from: ReleaseStatus[] = ['submitted', 'audit_delayed'];
    const pushed = via === 'pushed';
    // WeChat's reason, in its own words: a param, shown as it is.
    const reason = (result.reason ?? '').slice(0, 400);
    switch (result.status) {
      case 0: {
        const moved = await transition(ctx.tenantId, id, from, 'audit_passed', said(pushed ? 'AUDIT_PASSED_PUSHED' : 'AUDIT_PASSED_POLLED'), { audited_at: now() });
        if (moved && r.auto_release) await addJob(SUBMISSION_JOBS.publish, ctx.tenantId, id);
        return moved;
      }
      case 1:
        return transition(ctx.tenantId, id, from, 'audit_failed', said(pushed ? 'AUDIT_REJECTED_PUSHED' : 'AUDIT_REJECTED_POLLED', { reason }), {
          audited_at: now(),
          audit_reason: (result.reason ?? '').slice(0, 2000),
          audit_screenshots: (result.screenshot ?? '').slice(0, 2000) || null,
        });
      case 3:
        return transition(ctx.tenantId, id, from, 'cancelled', said(pushed ? 'AUDIT_WITHDRAWN_PUSHED' : 'AUDIT_WITHDRAWN_POLLED'));
      case 4:
        return transition(ctx.tenantId, id, 'submitted', 'audit_delayed', said(pushed ? 'AUDIT_DELAYED_PUSHED' : 'AUDIT_DELAYED_POLLED', { reason }));
      default:
        return false;
    }
  }

  const steps: Record<SubmissionJob, (ctx: TenantContext, r: Row) => Promise<StepOutcome>> = {
    async [SUBMISSION_JOBS.setDomains](ctx, r) {
      const origin = new URL(deps.publicUrl).origin;
      const files = new URL(deps.storage.publicUrl('x')).origin;
      const domains = { requestdomain: [origin], wsrequestdomain: [origin.replace(/^http/, 'ws')], uploaddomain: [origin], downloaddomain: [...new Set([origin, files])] };
      await withToken(ctx, (token) => deps.wechat.modifyDomain(token, domains));
      await transition(ctx.tenantId, Number(r.id), 'pending', 'domains_set', said('DOMAINS_SET'), {}, domains);
      return { kind: 'done' };
    },

    async [SUBMISSION_JOBS.setPrivacy](ctx, r) {
      const tenant = await deps.tenants.mustGet(ctx.tenantId);
      const setting = {
        owner_setting: { contact_phone: tenant.contactPhone ?? '', notice_method: '小程序内弹窗提示' },
        setting_list: [
          { privacy_key: 'PhoneNumber', privacy_text: '登录并联系你处理订单' },
          { privacy_key: 'Address', privacy_text: '填写收货地址以便配送' },
          { privacy_key: 'Album', privacy_text: '在评价中上传商品照片' },
          { privacy_key: 'Camera', privacy_text: '在评价中拍摄商品照片' },
          { privacy_key: 'EXOrderInfo', privacy_text: '展示和处理你的订单' },
          { privacy_key: 'EXUserPublishContent', privacy_text: '展示你发布的商品评价' },
        ],
      };
      await withToken(ctx, (token) => deps.wechat.setPrivacySetting(token, setting));
      await transition(ctx.tenantId, Number(r.id), 'domains_set', 'privacy_set', said('PRIVACY_SET'));
      return { kind: 'done' };
    },

    async [SUBMISSION_JOBS.commitCode](ctx, r) {
      const id = Number(r.id);
      // A commit that reached WeChat before the worker stopped is not sent again: its desc names this release.
      const info = await withToken(ctx, (token) => deps.wechat.versionInfo(token));
      if (info.exp && info.exp.desc.endsWith(marker(id))) {
        await transition(ctx.tenantId, id, 'privacy_set', 'committed', said('CODE_COMMITTED_EARLIER'));
        return { kind: 'done' };
      }
      const version = String(r.user_version);
      const templateId = await templateIdOf(Number(r.template_version_id), version);
      const settings = await deps.packages.settingsOf(ctx, version);
      const extJson = deps.packages.extJson(settings);
      await withToken(ctx, (token) => deps.wechat.commit(token, { template_id: templateId, ext_json: extJson, user_version: version, user_desc: String(r.user_desc) }));
      await transition(ctx.tenantId, id, 'privacy_set', 'committed', said('CODE_COMMITTED', { templateId }));
      return { kind: 'done' };
    },

    async [SUBMISSION_JOBS.fetchQrcode](ctx, r) {
      if (r.qrcode_key) return { kind: 'skipped' };
      const qr = await withToken(ctx, (token) => deps.wechat.trialQrcode(token));
      const key = `tenants/${ctx.tenantId}/releases/${Number(r.id)}/trial-qrcode.${qr.contentType === 'image/png' ? 'png' : 'jpg'}`;
      await deps.storage.put({ visibility: 'private', key, body: qr.body, contentType: qr.contentType });
      await scopeOf(ctx.tenantId).table('mp_releases').where({ id: r.id }).update({ qrcode_key: key, updated_at: now() });
      await note(ctx.tenantId, Number(r.id), 'committed', said('TRIAL_QRCODE_READY'));
      return { kind: 'done' };
    },

    async [SUBMISSION_JOBS.submitAudit](ctx, r) {
      const id = Number(r.id);
      const tenant = await deps.tenants.mustGet(ctx.tenantId);
      const [categories, pages] = await withToken(ctx, (token) => Promise.all([deps.wechat.categories(token), deps.wechat.pages(token)]));
      const body = {
        item_list: itemList(categories, pages, tenant.categoryCode),
        version_desc: String(r.user_desc),
        // Shoppers publish reviews with text and photos; the merchant reads and can hide each one.
        ugc_declare: { scene: [2, 4], method: [3], has_audit_team: 1, audit_desc: '商家在后台逐条查看用户评价，可隐藏违规内容' },
        privacy_api_not_use: false,
        order_path: 'pages/order/list',
      };
      let auditid: number;
      try {
        auditid = await withToken(ctx, (token) => deps.wechat.submitAudit(token, body));
      } catch (err) {
        // 61039: WeChat's privacy scan of the commit is still running. Wait; never commit again.
        if (err instanceof WechatApiError && err.errcode === 61039) return { kind: 'wait', ms: deps.privacyScanRetryMs, note: said('PRIVACY_SCAN_WAITING') };
        // 85009: something is under review already; when it is this release (submitted before a restart), carry on with it.
        if (!(err instanceof WechatApiError && err.errcode === 85009)) throw err;
        const latest = await withToken(ctx, (token) => deps.wechat.latestAudit(token));
        if (!latest.userDesc.endsWith(marker(id))) throw err;
        auditid = latest.auditid;
      }
      await transition(ctx.tenantId, id, 'committed', 'submitted', said('AUDIT_SUBMITTED', { auditId: auditid }), { auditid, submitted_at: now() }, { item_list: body.item_list });
      await addJob(SUBMISSION_JOBS.pollAudit, ctx.tenantId, id, deps.auditPollMs);
      return { kind: 'done' };
    },

    async [SUBMISSION_JOBS.pollAudit](ctx, r) {
      if (r.status !== 'submitted' && r.status !== 'audit_delayed') return { kind: 'skipped' };
      const result = await withToken(ctx, (token) => deps.wechat.auditStatus(token, Number(r.auditid)));
      if (result.status === 2 || result.status === 4) {
        if (result.status === 4) await applyAudit(ctx, r, result, 'polled');
        return { kind: 'wait', ms: deps.auditPollMs };
      }
      await applyAudit(ctx, r, result, 'polled');
      return { kind: 'done' };
    },

    async [SUBMISSION_JOBS.publish](ctx, r) {
      const id = Number(r.id);
      const gray = r.gray_percentage === null ? null : Number(r.gray_percentage);
      if (gray !== null && gray < 100) {
        if (r.status === 'gray') return { kind: 'skipped' };
        await withToken(ctx, (token) => deps.wechat.grayRelease(token, gray));
        await transition(ctx.tenantId, id, 'audit_passed', 'gray', said('GRAY_RELEASED', { percentage: gray }), { released_at: now(), gray_percentage: gray });
        return { kind: 'done' };
      }
      try {
        await withToken(ctx, (token) => deps.wechat.release(token));
      } catch (err) {
        // 85052: already released (a retry after WeChat took the first call).
        if (!(err instanceof WechatApiError && err.errcode === 85052)) throw err;
      }
      await transition(ctx.tenantId, id, ['audit_passed', 'gray'], 'released', said('RELEASED'), { released_at: now(), gray_percentage: null });
      return { kind: 'done' };
    },
  };

  const marker = (id: number) => `#r${id}`;
  let quotaCache: { value: AuditQuota; until: number } | null = null;

  return {
    view,

    async list(ctx: TenantContext, q: { page: number; pageSize: number }): Promise<{ items: MiniappRelease[]; page: number; pageSize: number; total: number }> {
      const scope = scopeOf(ctx.tenantId);
      const rows = (await scope.table('mp_releases').orderBy('id', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize)) as Row[];
      const counted = await scope.table('mp_releases').count({ total: '*' });
      const events = rows.length ? ((await scope.table('mp_release_events').whereIn('release_id', rows.map((r) => Number(r.id))).orderBy('id')) as Row[]) : [];
      return { items: await Promise.all(rows.map((r) => toRelease(r, events))), page: q.page, pageSize: q.pageSize, total: totalOf(counted) };
    },

    /** Whether the shop's mini-program was ever released through the platform (to everyone or to a gray share). */
    async everReleased(ctx: TenantContext): Promise<boolean> {
      return (await scopeOf(ctx.tenantId).table('mp_releases').whereNotNull('released_at').first('id')) !== undefined;
    },

    /** Starts a release: the shop must be active and authorized with code management; one in flight at a time. */
    async start(ctx: TenantContext, input: { templateVersionId?: number; autoRelease: boolean }): Promise<MiniappRelease> {
      const tenant = await deps.tenants.mustGet(ctx.tenantId);
      if (tenant.status !== 'active') throw new ForbiddenError(NOT_ACTIVE, 'TENANT_NOT_ACTIVE');
      if (!tenant.contactPhone) throw new ConflictError({ reason: 'CONTACT_PHONE_REQUIRED', message: "Set the shop's contact phone first: WeChat shows it in the mini-program's privacy guide" });
      const auth = await deps.authorizations.get(ctx);
      if (!auth) throw new ConflictError({ reason: 'MINIAPP_NOT_AUTHORIZED', message: "Authorize the shop's mini-program to the platform first" });
      const missing = RELEASE_FUNC_SETS.filter((set) => !auth.funcInfo.includes(set));
      if (missing.length) throw new ConflictError({ reason: 'MINIAPP_PERMISSION_MISSING', params: { sets: missing.join(', ') }, message: `The mini-program's authorization lacks permission set ${missing.join(', ')} (code management): authorize again and grant it` });
      const versions = platformTable(deps.knex, 'template_versions').where({ status: 'ready' });
      const version = input.templateVersionId ? await versions.clone().where({ id: input.templateVersionId }).first() : await versions.clone().orderBy('id', 'desc').first();
      if (!version) throw new ConflictError(input.templateVersionId ? NOT_BUILT : NO_VERSION);
      let id: number;
      try {
        id = await scopeOf(ctx.tenantId).transaction(async (scope) => {
          const newId = await scope.insert('mp_releases', {
            template_version_id: version.id,
            in_flight: 1,
            status: 'pending',
            appid: auth.authorizerAppid,
            user_version: version.version,
            user_desc: '',
            auto_release: input.autoRelease,
            requested_by: actorId(ctx.actor),
            created_at: now(),
            updated_at: now(),
          });
          const desc = `${String(version.description || `版本 ${version.version}`).slice(0, 150)} ${marker(newId)}`;
          await scope.table('mp_releases').where({ id: newId }).update({ user_desc: desc });
          await scope.insert('mp_release_events', { release_id: newId, status: 'pending', ...eventColumns(said('RELEASE_REQUESTED', { version: String(version.version) })), created_at: now() });
          return newId;
        });
      } catch (err) {
        if (isDuplicateKey(err)) throw new ConflictError({ reason: 'RELEASE_IN_FLIGHT', message: 'A release of this mini-program is already in flight' });
        throw err;
      }
      // The answer is the release as requested: read before its jobs exist, so a worker that starts at once cannot change it.
      const requested = await view(ctx.tenantId, id);
      await addFlow(ctx.tenantId, id);
      return requested;
    },

    /** Runs one step of a release (the worker's part). */
    async runStep(ctx: TenantContext, releaseId: number, job: SubmissionJob): Promise<StepOutcome> {
      const r = await row(ctx.tenantId, releaseId);
      const status = r.status as ReleaseStatus;
      const inFlow = FLOW.find((s) => s.job === job);
      if (ENDED.has(status) && job !== SUBMISSION_JOBS.publish) return { kind: 'skipped' };
      if (inFlow && job !== SUBMISSION_JOBS.fetchQrcode && RANK[status] >= RANK[inFlow.reaches]) return { kind: 'skipped' };
      if (job === SUBMISSION_JOBS.publish && status !== 'audit_passed' && status !== 'gray') return { kind: 'skipped' };
      return steps[job](ctx, r);
    },

    /** A step could not succeed: the release stops with the reason, shown to the merchant. */
    async stop(ctx: TenantContext, releaseId: number, err: unknown): Promise<void> {
      const r = await row(ctx.tenantId, releaseId);
      if (ENDED.has(r.status as ReleaseStatus)) return;
      const { code, said: why } = reasonOf(err);
      await transition(ctx.tenantId, releaseId, r.status as ReleaseStatus, 'failed', why, errorColumns(code, why));
    },

    /**
     * A step's job gave up (its attempts spent, or its worker dead too often): the release stops with the
     * reason, once. A later step of the flow fails with the step before it (BullMQ fails a flow's parent
     * when its child fails); that one's own failure is the reason, so a step whose turn has not come is
     * left to it.
     */
    async giveUp(ctx: TenantContext, releaseId: number, step: SubmissionJob, failure: JobFailure): Promise<void> {
      const r = await row(ctx.tenantId, releaseId);
      const status = r.status as ReleaseStatus;
      if (ENDED.has(status)) return;
      const at = FLOW.findIndex((s) => s.job === step);
      if (at > 0 && RANK[status] < RANK[FLOW[at - 1]!.reaches]) return;
      const why = saidFailure(failure);
      await transition(ctx.tenantId, releaseId, r.status as ReleaseStatus, 'failed', why, errorColumns(failure.code, why), failure);
    },

    /**
     * Goes on with a failed release from the status it had reached: the flow runs again under new job
     * ids and every step it reaches already done is skipped, so nothing is committed or submitted twice.
     * The shop must still be active, and have no other release in flight.
     */
    async retry(ctx: TenantContext, id: number): Promise<MiniappRelease> {
      const r = await row(ctx.tenantId, id);
      if (r.status !== 'failed') throw new ConflictError({ reason: 'RELEASE_NOT_FAILED', params: { status: String(r.status) }, message: `Only a failed release can be retried; this one is ${String(r.status)}` }, { status: r.status });
      const tenant = await deps.tenants.mustGet(ctx.tenantId);
      if (tenant.status !== 'active') throw new ForbiddenError(NOT_ACTIVE, 'TENANT_NOT_ACTIVE');
      const events = (await scopeOf(ctx.tenantId).table('mp_release_events').where({ release_id: id }).orderBy('id', 'desc').select('status', 'code', 'message')) as Row[];
      const reached = (events.find((e) => e.status !== 'failed')?.status ?? 'pending') as ReleaseStatus;
      if (ENDED.has(reached) || reached === 'gray') throw new ConflictError({ reason: 'RELEASE_CANNOT_CONTINUE', message: 'This release cannot go on; start a new one' });
      // Events from before the codes are known by their message.
      const retries = events.filter((e) => (e.code === null ? String(e.message).startsWith('Retried from') : e.code === 'RELEASE_RETRIED')).length + 1;
      const retried = { ...said('RELEASE_RETRIED'), message: `Retried from ${reached}` };
      try {
        if (!(await transition(ctx.tenantId, id, 'failed', reached, retried, NO_ERROR))) throw new ConflictError({ reason: 'RELEASE_MOVED_ON', message: 'The release moved on meanwhile; try again' });
      } catch (err) {
        if (isDuplicateKey(err)) throw new ConflictError({ reason: 'RELEASE_IN_FLIGHT', message: 'Another release of this mini-program is in flight' });
        throw err;
      }
      const suffix = `-retry${retries}`;
      const again = await view(ctx.tenantId, id);
      if (RANK[reached] < RANK.submitted) await addFlow(ctx.tenantId, id, suffix);
      else if (reached === 'submitted' || reached === 'audit_delayed') await addJob(SUBMISSION_JOBS.pollAudit, ctx.tenantId, id, 0, suffix);
      else if (reached === 'audit_passed' && r.auto_release) await addJob(SUBMISSION_JOBS.publish, ctx.tenantId, id, 0, suffix);
      return again;
    },

    /** Records an event on the release unless it is already its latest (a wait repeated every minute is told once). */
    async noteOnce(ctx: TenantContext, id: number, what: Said): Promise<void> {
      const r = await row(ctx.tenantId, id);
      const last = await scopeOf(ctx.tenantId).table('mp_release_events').where({ release_id: id }).orderBy('id', 'desc').first('code', 'message');
      if (last?.code !== what.code || last?.message !== what.message) await note(ctx.tenantId, id, r.status as ReleaseStatus, what);
    },

    /** WeChat's audit push (weapp_audit_success / _fail / _delay): it names no audit id, so it applies to the shop's latest submission. */
    async onAuditEvent(ctx: TenantContext, appid: string, event: { kind: 'success' | 'fail' | 'delay'; reason?: string; screenshot?: string }): Promise<boolean> {
      const r = (await scopeOf(ctx.tenantId).table('mp_releases').where({ appid }).whereIn('status', ['submitted', 'audit_delayed']).orderBy('id', 'desc').first()) as Row | undefined;
      if (!r) return false;
      const status = event.kind === 'success' ? 0 : event.kind === 'fail' ? 1 : 4;
      return applyAudit(ctx, r, { status, reason: event.reason, screenshot: event.screenshot }, 'pushed');
    },

    /** The merchant releases an audited version: to everyone, or to a share of users first (raise it, or go full, later). */
    async publish(ctx: TenantContext, id: number, input: { grayPercentage?: number }): Promise<MiniappRelease> {
      const r = await row(ctx.tenantId, id);
      if (r.status !== 'audit_passed' && r.status !== 'gray') throw new ConflictError({ reason: 'RELEASE_NOT_AUDITED', message: 'Only an audited version can be released' });
      const pct = input.grayPercentage ?? null;
      if (r.status === 'gray') {
        if (pct === null) {
          await merchantFacing(() => steps[SUBMISSION_JOBS.publish](ctx, { ...r, gray_percentage: null }));
          return view(ctx.tenantId, id);
        }
        if (pct <= Number(r.gray_percentage)) throw new ConflictError({ reason: 'GRAY_ONLY_WIDENS', params: { percentage: Number(r.gray_percentage) }, message: `A gray release can only be widened (now ${Number(r.gray_percentage)}%)` });
        await forMerchant(ctx, (token) => deps.wechat.grayRelease(token, pct));
        await scopeOf(ctx.tenantId).table('mp_releases').where({ id }).update({ gray_percentage: pct, updated_at: now() });
        await note(ctx.tenantId, id, 'gray', said('GRAY_RELEASED', { percentage: pct }));
        return view(ctx.tenantId, id);
      }
      // The step reads the share from the row it is given, and records it with the move to gray.
      await merchantFacing(() => steps[SUBMISSION_JOBS.publish](ctx, { ...r, gray_percentage: pct }));
      return view(ctx.tenantId, id);
    },

    /**
     * Back to the version released before: the latest released release of the shop, or a gray
     * release (the users it reached go back).
     */
    async rollback(ctx: TenantContext, id: number): Promise<MiniappRelease> {
      const r = await row(ctx.tenantId, id);
      if (r.status === 'gray') {
        await forMerchant(ctx, (token) => deps.wechat.revertGrayRelease(token));
        await transition(ctx.tenantId, id, 'gray', 'rolled_back', said('GRAY_WITHDRAWN'));
        return view(ctx.tenantId, id);
      }
      if (r.status !== 'released') throw new ConflictError({ reason: 'RELEASE_NOT_RELEASED', message: 'Only a released version can be rolled back' });
      const latest = await scopeOf(ctx.tenantId).table('mp_releases').where({ status: 'released' }).orderBy('released_at', 'desc').orderBy('id', 'desc').first('id');
      if (Number(latest?.id) !== id) throw new ConflictError({ reason: 'RELEASE_NOT_LATEST', message: 'Only the latest release can be rolled back' });
      await forMerchant(ctx, (token) => deps.wechat.revertRelease(token));
      await transition(ctx.tenantId, id, 'released', 'rolled_back', said('ROLLED_BACK'));
      return view(ctx.tenantId, id);
    },

    /** Stops a release in flight; one under review is withdrawn from WeChat's audit first. */
    async cancel(ctx: TenantContext, id: number): Promise<MiniappRelease> {
      const r = await row(ctx.tenantId, id);
      const status = r.status as ReleaseStatus;
      if (ENDED.has(status) || status === 'gray') throw new ConflictError(status === 'gray' ? { reason: 'RELEASE_GRAY_LIVE', message: 'A gray release is live: release it fully or roll it back' } : { reason: 'RELEASE_ENDED', message: 'This release has already ended' });
      if (status === 'submitted' || status === 'audit_delayed') await forMerchant(ctx, (token) => deps.wechat.undoAudit(token));
      if (!(await transition(ctx.tenantId, id, status, 'cancelled', said('CANCELLED_BY_MERCHANT')))) throw new ConflictError({ reason: 'CHANGED_MEANWHILE', message: 'The release moved on meanwhile; try again' });
      return view(ctx.tenantId, id);
    },

    /**
     * The audit quota of the third-party platform (one quota for all its shops), asked with the token
     * of a shop that granted code management, and kept for a minute (`fresh` asks WeChat anyway).
     */
    async auditQuota(ctx: RequestContext, opts: { fresh?: boolean } = {}): Promise<AuditQuota> {
      if (!opts.fresh && quotaCache && quotaCache.until > Date.now()) return quotaCache.value;
      // A platform figure, asked with the token of a shop that granted code management (set 18).
      const tenantId = await deps.authorizations.shopGranting(18);
      if (tenantId === null) throw new ConflictError({ reason: 'QUOTA_NEEDS_AUTHORIZATION', message: 'No shop has authorized code management yet, so WeChat cannot be asked for the quota' });
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
    return { code: 'wechat:unreachable', said: { code: 'WECHAT_UNREACHABLE', params: {}, message: `WeChat could not be reached after several tries (${err.message})` } };
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
