import { SUBMISSION_JOBS, type ReleaseStatus, type SubmissionJob } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { UpstreamError } from '../../kernel/errors';
import type { Storage } from '../../kernel/storage/s3';
import {
  WechatApiError,
  type ComponentTokenProvider,
  type WechatCategory,
  type WechatClient,
} from '../../integrations/wechat';
import type { TenantsService } from '../tenants';
import type { MpReleasesRepository, ReleasePatch, StoredRelease } from './mp-releases.repository';
import type { PackagesService } from './packages.service';
import { releaseMachine } from './release-states';
import { said, type Said } from './release-texts';
import type { TemplatesRepository } from './templates.repository';

/** The step ran, was already done, or must wait (61039 privacy scan, audit still in review). */
export type StepOutcome = { kind: 'done' } | { kind: 'skipped' } | { kind: 'wait'; ms: number; note?: Said };

/** A step failed for good: the release is marked failed with this reason, and the job is not retried. */
export class ReleaseStopped extends Error {
  constructor(readonly said: Said) {
    super(said.message);
    this.name = 'ReleaseStopped';
  }
}

/** The mark a release's description ends with: how a commit or submission that reached WeChat before a restart is known again. */
export const marker = (id: number) => `#r${id}`;

/** The statuses of a release under WeChat's audit: what an audit result applies to. */
export const UNDER_AUDIT = releaseMachine.sources('passAudit');

/** What a shop sells, matched against the service categories WeChat lists for its mini-program. */
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

/** What the steps do to a release, given by the service: each move checked against the release's machine. */
export interface ReleaseMoves {
  /** Moves a release from one status to the next and records the event; false when it was no longer in `from`. */
  transition(
    ctx: TenantContext,
    id: number,
    from: ReleaseStatus | readonly ReleaseStatus[],
    to: ReleaseStatus,
    what: Said,
    set?: ReleasePatch,
    data?: unknown,
  ): Promise<boolean>;
  /** Records an event without a move. */
  note(ctx: TenantContext, id: number, status: ReleaseStatus, what: Said): Promise<void>;
  /** Calls WeChat with the shop's authorizer token. */
  withToken<T>(ctx: TenantContext, call: (token: string) => Promise<T>): Promise<T>;
  /** Queues a job of the release. */
  addJob(job: SubmissionJob, tenantId: number, releaseId: number, delayMs?: number, suffix?: string): Promise<void>;
}

export interface ReleaseStepsDeps {
  repo: MpReleasesRepository;
  versions: TemplatesRepository;
  storage: Storage;
  tenants: TenantsService;
  packages: PackagesService;
  wechat: WechatClient;
  componentTokens: ComponentTokenProvider;
  publicUrl: string;
  privacyScanRetryMs: number;
  auditPollMs: number;
  now: () => Date;
}

/**
 * The WeChat side of a release, after WECHAT.md: each step of the flow (domains, privacy guide, commit,
 * trial QR code, submission for audit, polling the audit, release), and the audit's result however it
 * comes (WeChat's push, or a poll). Each step is told the release as it stands and moves it on.
 */
export function releaseSteps(deps: ReleaseStepsDeps, moves: ReleaseMoves) {
  const { now } = deps;
  const { transition, note, withToken, addJob } = moves;

  /** The template id /wxa/commit names: stored on the version, else found in WeChat's template library (or added from its drafts). */
  async function templateIdOf(ctx: TenantContext, versionId: number, version: string): Promise<number> {
    const stored = await deps.versions.wechatTemplateId(ctx, versionId);
    if (stored) return stored;
    const token = await deps.componentTokens.token();
    let found = (await deps.wechat.templateList(token))
      .filter((t) => t.userVersion === version)
      .sort((a, b) => b.templateId - a.templateId)[0];
    if (!found) {
      const draft = (await deps.wechat.templateDrafts(token))
        .filter((d) => d.userVersion === version)
        .sort((a, b) => b.draftId - a.draftId)[0];
      if (!draft) throw new ReleaseStopped(said('TEMPLATE_NOT_IN_LIBRARY', { version }));
      await deps.wechat.addToTemplate(token, draft.draftId);
      found = (await deps.wechat.templateList(token))
        .filter((t) => t.userVersion === version)
        .sort((a, b) => b.templateId - a.templateId)[0];
      if (!found) throw new UpstreamError('WeChat did not list the template it was just given', { version });
    }
    await deps.versions.setWechatTemplateId(ctx, versionId, found.templateId);
    return found.templateId;
  }

  /** item_list for submit_audit: the shop's category as WeChat lists it, on each audited page the code has. */
  function itemList(
    categories: WechatCategory[],
    pages: string[],
    categoryCode: string | null,
  ): Array<Record<string, unknown>> {
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
  async function applyAudit(
    ctx: TenantContext,
    r: StoredRelease,
    result: { status: number; reason?: string; screenshot?: string },
    via: 'pushed' | 'polled',
  ): Promise<boolean> {
    const id = r.id;
    const pushed = via === 'pushed';
    // WeChat's reason, in its own words: a param, shown as it is.
    const reason = (result.reason ?? '').slice(0, 400);
    switch (result.status) {
      case 0: {
        const moved = await transition(
          ctx,
          id,
          UNDER_AUDIT,
          'audit_passed',
          said(pushed ? 'AUDIT_PASSED_PUSHED' : 'AUDIT_PASSED_POLLED'),
          { auditedAt: now() },
        );
        if (moved && r.autoRelease) await addJob(SUBMISSION_JOBS.publish, ctx.tenantId, id);
        return moved;
      }
      case 1:
        return transition(
          ctx,
          id,
          UNDER_AUDIT,
          'audit_failed',
          said(pushed ? 'AUDIT_REJECTED_PUSHED' : 'AUDIT_REJECTED_POLLED', { reason }),
          {
            auditedAt: now(),
            auditReason: (result.reason ?? '').slice(0, 2000),
            auditScreenshots: (result.screenshot ?? '').slice(0, 2000) || null,
          },
        );
      case 3:
        return transition(
          ctx,
          id,
          UNDER_AUDIT,
          'cancelled',
          said(pushed ? 'AUDIT_WITHDRAWN_PUSHED' : 'AUDIT_WITHDRAWN_POLLED'),
        );
      case 4:
        return transition(
          ctx,
          id,
          'submitted',
          'audit_delayed',
          said(pushed ? 'AUDIT_DELAYED_PUSHED' : 'AUDIT_DELAYED_POLLED', { reason }),
        );
      default:
        return false;
    }
  }

  const steps: Record<SubmissionJob, (ctx: TenantContext, r: StoredRelease) => Promise<StepOutcome>> = {
    async [SUBMISSION_JOBS.setDomains](ctx, r) {
      const origin = new URL(deps.publicUrl).origin;
      const files = new URL(deps.storage.publicUrl('x')).origin;
      const domains = {
        requestdomain: [origin],
        wsrequestdomain: [origin.replace(/^http/, 'ws')],
        uploaddomain: [origin],
        downloaddomain: [...new Set([origin, files])],
      };
      await withToken(ctx, (token) => deps.wechat.modifyDomain(token, domains));
      await transition(ctx, r.id, 'pending', 'domains_set', said('DOMAINS_SET'), {}, domains);
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
      await transition(ctx, r.id, 'domains_set', 'privacy_set', said('PRIVACY_SET'));
      return { kind: 'done' };
    },

    async [SUBMISSION_JOBS.commitCode](ctx, r) {
      const id = r.id;
      // A commit that reached WeChat before the worker stopped is not sent again: its desc names this release.
      const info = await withToken(ctx, (token) => deps.wechat.versionInfo(token));
      if (info.exp && info.exp.desc.endsWith(marker(id))) {
        await transition(ctx, id, 'privacy_set', 'committed', said('CODE_COMMITTED_EARLIER'));
        return { kind: 'done' };
      }
      const version = r.userVersion;
      const templateId = await templateIdOf(ctx, r.templateVersionId, version);
      const settings = await deps.packages.settingsOf(ctx, version);
      const extJson = deps.packages.extJson(settings);
      await withToken(ctx, (token) =>
        deps.wechat.commit(token, {
          template_id: templateId,
          ext_json: extJson,
          user_version: version,
          user_desc: r.userDesc,
        }),
      );
      await transition(ctx, id, 'privacy_set', 'committed', said('CODE_COMMITTED', { templateId }));
      return { kind: 'done' };
    },

    async [SUBMISSION_JOBS.fetchQrcode](ctx, r) {
      if (r.qrcodeKey) return { kind: 'skipped' };
      const qr = await withToken(ctx, (token) => deps.wechat.trialQrcode(token));
      const key = `tenants/${ctx.tenantId}/releases/${r.id}/trial-qrcode.${qr.contentType === 'image/png' ? 'png' : 'jpg'}`;
      await deps.storage.put({ visibility: 'private', key, body: qr.body, contentType: qr.contentType });
      await deps.repo.update(ctx, r.id, { qrcodeKey: key }, now());
      await note(ctx, r.id, 'committed', said('TRIAL_QRCODE_READY'));
      return { kind: 'done' };
    },

    async [SUBMISSION_JOBS.submitAudit](ctx, r) {
      const id = r.id;
      const tenant = await deps.tenants.mustGet(ctx.tenantId);
      const [categories, pages] = await withToken(ctx, (token) =>
        Promise.all([deps.wechat.categories(token), deps.wechat.pages(token)]),
      );
      const body = {
        item_list: itemList(categories, pages, tenant.categoryCode),
        version_desc: r.userDesc,
        // Shoppers publish reviews with text and photos; the merchant reads and can hide each one.
        ugc_declare: {
          scene: [2, 4],
          method: [3],
          has_audit_team: 1,
          audit_desc: '商家在后台逐条查看用户评价，可隐藏违规内容',
        },
        privacy_api_not_use: false,
        order_path: 'pages/order/list',
      };
      let auditid: number;
      try {
        auditid = await withToken(ctx, (token) => deps.wechat.submitAudit(token, body));
      } catch (err) {
        // 61039: WeChat's privacy scan of the commit is still running. Wait; never commit again.
        if (err instanceof WechatApiError && err.errcode === 61039)
          return { kind: 'wait', ms: deps.privacyScanRetryMs, note: said('PRIVACY_SCAN_WAITING') };
        // 85009: something is under review already; when it is this release (submitted before a restart), carry on with it.
        if (!(err instanceof WechatApiError && err.errcode === 85009)) throw err;
        const latest = await withToken(ctx, (token) => deps.wechat.latestAudit(token));
        if (!latest.userDesc.endsWith(marker(id))) throw err;
        auditid = latest.auditid;
      }
      await transition(
        ctx,
        id,
        'committed',
        'submitted',
        said('AUDIT_SUBMITTED', { auditId: auditid }),
        { auditId: auditid, submittedAt: now() },
        { item_list: body.item_list },
      );
      await addJob(SUBMISSION_JOBS.pollAudit, ctx.tenantId, id, deps.auditPollMs);
      return { kind: 'done' };
    },

    async [SUBMISSION_JOBS.pollAudit](ctx, r) {
      if (!UNDER_AUDIT.includes(r.status)) return { kind: 'skipped' };
      const result = await withToken(ctx, (token) => deps.wechat.auditStatus(token, Number(r.auditId)));
      if (result.status === 2 || result.status === 4) {
        if (result.status === 4) await applyAudit(ctx, r, result, 'polled');
        return { kind: 'wait', ms: deps.auditPollMs };
      }
      await applyAudit(ctx, r, result, 'polled');
      return { kind: 'done' };
    },

    async [SUBMISSION_JOBS.publish](ctx, r) {
      const id = r.id;
      const gray = r.grayPercentage;
      if (gray !== null && gray < 100) {
        if (r.status === 'gray') return { kind: 'skipped' };
        await withToken(ctx, (token) => deps.wechat.grayRelease(token, gray));
        await transition(ctx, id, 'audit_passed', 'gray', said('GRAY_RELEASED', { percentage: gray }), {
          releasedAt: now(),
          grayPercentage: gray,
        });
        return { kind: 'done' };
      }
      try {
        await withToken(ctx, (token) => deps.wechat.release(token));
      } catch (err) {
        // 85052: already released (a retry after WeChat took the first call).
        if (!(err instanceof WechatApiError && err.errcode === 85052)) throw err;
      }
      await transition(ctx, id, ['audit_passed', 'gray'], 'released', said('RELEASED'), {
        releasedAt: now(),
        grayPercentage: null,
      });
      return { kind: 'done' };
    },
  };

  return { steps, applyAudit };
}
