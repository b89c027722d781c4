import express, { type Router } from 'express';
import type { merchantApi, platformApi } from '@shopfleet/contracts';
import { systemContext, type TenantContext } from '../../kernel/context';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { Logger } from '../../kernel/logger';
import { PushRejected, type WechatAuthorizationService } from '../miniapp';
import type { TenantsService } from '../tenants';
import type { BulkReleasesService } from './bulk-releases.service';
import type { CodeUploadsService } from './code-uploads.service';
import type { MpReleasesService } from './mp-releases.service';
import type { PackagesService } from './packages.service';
import type { TemplatesService } from './templates.service';

export function platformReleaseHandlers(
  templates: TemplatesService,
  releases: MpReleasesService,
  bulk: BulkReleasesService,
) {
  return {
    listTemplateVersions: (ctx, { query }) => templates.list(ctx, query),
    createTemplateVersion: (ctx, { body }) => templates.create(ctx, body),
    retryTemplateVersion: (ctx, { params }) => templates.retry(ctx, params.id),
    getTemplateVersionLog: async (ctx, { params }) => ({ log: await templates.log(ctx, params.id) }),
    listTemplateVersionShops: (ctx, { params, query }) => templates.liveShops(ctx, params.id, query),
    getAuditQuota: (ctx) => releases.auditQuota(ctx),
    listBulkReleases: (ctx, { query }) => bulk.list(ctx, query),
    createBulkRelease: (ctx, { body }) => bulk.create(ctx, body),
    getBulkRelease: (ctx, { params }) => bulk.view(ctx, params.id),
    listBulkReleaseTargets: (ctx, { params, query }) => bulk.targets(ctx, params.id, query),
    continueBulkRelease: (ctx, { params }) => bulk.continue(ctx, params.id),
    pauseBulkRelease: (ctx, { params }) => bulk.pause(ctx, params.id),
    resumeBulkRelease: (ctx, { params }) => bulk.resume(ctx, params.id),
    retryBulkRelease: (ctx, { params }) => bulk.retry(ctx, params.id),
    stopBulkRelease: (ctx, { params }) => bulk.stop(ctx, params.id),
  } satisfies Partial<Handlers<typeof platformApi>>;
}

export function merchantReleaseHandlers(
  packages: PackagesService,
  releases: MpReleasesService,
  uploads: CodeUploadsService,
) {
  return {
    getMiniappPackage: (ctx) => packages.latest(ctx),
    listMiniappReleases: (ctx, { query }) => releases.list(ctx, query),
    getMiniappRelease: (ctx, { params }) => releases.view(ctx, params.id),
    startMiniappRelease: (ctx, { body }) => releases.start(ctx, body),
    publishMiniappRelease: (ctx, { params, body }) => releases.publish(ctx, params.id, body),
    rollbackMiniappRelease: (ctx, { params }) => releases.rollback(ctx, params.id),
    cancelMiniappRelease: (ctx, { params }) => releases.cancel(ctx, params.id),
    retryMiniappRelease: (ctx, { params }) => releases.retry(ctx, params.id),
    getCodeUploadKey: (ctx) => uploads.key(ctx),
    setCodeUploadKey: (ctx, { body }) => uploads.setKey(ctx, body),
    removeCodeUploadKey: async (ctx) => {
      await uploads.removeKey(ctx);
      return { ok: true as const };
    },
    listCodeUploads: (ctx, { query }) => uploads.list(ctx, query),
    getCodeUpload: (ctx, { params }) => uploads.view(ctx, params.id),
    startCodeUpload: (ctx, { body }) => uploads.start(ctx, body),
  } satisfies Partial<Handlers<typeof merchantApi>>;
}

/** What a user may send to a mini-program's contact button. */
const USER_MESSAGES = new Set(['text', 'image', 'miniprogrampage']);

const AUDIT_EVENTS = { weapp_audit_success: 'success', weapp_audit_fail: 'fail', weapp_audit_delay: 'delay' } as const;
const one = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * `/webhooks/wechat/events/:appid`: the third-party platform's message-and-event URL (configured
 * in WeChat as `…/events/$APPID$`). Pushes are verified and decrypted like the component's; the
 * audit results (`weapp_audit_*`) are applied to the shop's latest submission; a user's message to the
 * mini-program's contact button (text, image, mini-program card) goes to `onUserMessage` (customer
 * service). WeChat wants the text `success` for anything it may stop sending; a failure answers 500,
 * and WeChat sends the push again.
 */
export function wechatEventWebhooks(
  auth: WechatAuthorizationService,
  tenants: TenantsService,
  releases: MpReleasesService,
  log: Logger,
  onUserMessage?: (ctx: TenantContext, fields: Record<string, string>) => Promise<void>,
): Router {
  const router = express.Router();
  router.post('/:appid', express.text({ type: () => true, limit: '64kb' }), async (req, res, next) => {
    const ctx = systemContext(log.child({ component: 'wechat-events' }), 'wechat-events');
    try {
      const fields = auth.open({
        timestamp: one(req.query.timestamp),
        nonce: one(req.query.nonce),
        msgSignature: one(req.query.msg_signature),
        rawBody: typeof req.body === 'string' ? req.body : '',
      });
      const appid = one(req.params.appid);
      const kind = fields.MsgType === 'event' ? AUDIT_EVENTS[fields.Event as keyof typeof AUDIT_EVENTS] : undefined;
      const tenant = kind ? await tenants.findByMpAppid(appid) : null;
      if (kind && tenant) {
        const applied = await releases.onAuditEvent({ ...ctx, tenantId: tenant.id }, appid, {
          kind,
          reason: fields.Reason,
          screenshot: fields.ScreenShot,
        });
        ctx.log.info({ appid, event: fields.Event, applied }, 'wechat audit event');
      }
      if (onUserMessage && USER_MESSAGES.has(fields.MsgType ?? '')) {
        const shop = await tenants.findByMpAppid(appid);
        if (shop) await onUserMessage({ ...ctx, tenantId: shop.id }, fields);
      }
      res.type('text/plain').send('success');
    } catch (err) {
      if (err instanceof PushRejected) {
        ctx.log.warn({ reason: err.message }, 'wechat event push rejected');
        res.status(400).type('text/plain').send('fail');
        return;
      }
      next(err);
    }
  });
  return router;
}
