import { endpoint, merchantCan, platformCan } from './endpoint';
import { idParamsSchema, okSchema, pageOf, pageQuerySchema } from './common';
import {
  authorizationLinkBodySchema,
  authorizationLinkSchema,
  auditQuotaSchema,
  bulkReleaseSchema,
  bulkReleaseTargetSchema,
  bulkReleaseTargetsQuerySchema,
  createBulkReleaseBodySchema,
  createTemplateVersionBodySchema,
  miniappReleaseSchema,
  publishReleaseBodySchema,
  startReleaseBodySchema,
  codeUploadKeyInputSchema,
  codeUploadKeySchema,
  codeUploadSchema,
  startCodeUploadBodySchema,
  templateVersionLogSchema,
  templateVersionSchema,
  templateVersionShopSchema,
  tenantPackageSchema,
  wechatAuthorizationSchema,
} from './miniapp';

/** The miniapp endpoints of `/platform-api/v1` (composed in api.ts). */
export const miniappPlatformEndpoints = {
  listTemplateVersions: endpoint({
    method: 'get', path: '/templates', summary: 'Template versions, newest first, with how many shops run each', tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), query: pageQuerySchema, response: pageOf(templateVersionSchema),
  }),
  createTemplateVersion: endpoint({
    method: 'post', path: '/templates', summary: 'Register the template as it is now as a version and build it once (no build when its sources were built already)',
    tags: ['platform: releases'], access: platformCan('platform:release:manage'), body: createTemplateVersionBodySchema, response: templateVersionSchema, status: 201,
  }),
  retryTemplateVersion: endpoint({
    method: 'post', path: '/templates/:id/retry', summary: 'Build a version whose build failed again', tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), params: idParamsSchema, response: templateVersionSchema,
  }),
  getTemplateVersionLog: endpoint({
    method: 'get', path: '/templates/:id/log', summary: 'The build log of a version', tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), params: idParamsSchema, response: templateVersionLogSchema,
  }),
  listTemplateVersionShops: endpoint({
    method: 'get', path: '/templates/:id/shops', summary: 'The shops whose mini-program runs this version now', tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), params: idParamsSchema, query: pageQuerySchema, response: pageOf(templateVersionShopSchema),
  }),
  getAuditQuota: endpoint({
    method: 'get', path: '/releases/audit-quota', summary: "The third-party platform's WeChat audit quota left this month", tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), response: auditQuotaSchema,
  }),
  listBulkReleases: endpoint({
    method: 'get', path: '/releases/bulk', summary: 'Bulk releases, newest first, with their progress', tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), query: pageQuerySchema, response: pageOf(bulkReleaseSchema),
  }),
  createBulkRelease: endpoint({
    method: 'post', path: '/releases/bulk', summary: 'Release a template version to a canary set of shops, then (on continue) to every active shop or a filtered set',
    tags: ['platform: releases'], access: platformCan('platform:release:manage'), body: createBulkReleaseBodySchema, response: bulkReleaseSchema, status: 201,
  }),
  getBulkRelease: endpoint({
    method: 'get', path: '/releases/bulk/:id', summary: 'A bulk release and its progress', tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), params: idParamsSchema, response: bulkReleaseSchema,
  }),
  listBulkReleaseTargets: endpoint({
    method: 'get', path: '/releases/bulk/:id/targets', summary: 'The shops of a bulk release, each with its state and release', tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), params: idParamsSchema, query: bulkReleaseTargetsQuerySchema, response: pageOf(bulkReleaseTargetSchema),
  }),
  continueBulkRelease: endpoint({
    method: 'post', path: '/releases/bulk/:id/continue', summary: 'After the canary: release to the rest', tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), params: idParamsSchema, response: bulkReleaseSchema,
  }),
  pauseBulkRelease: endpoint({
    method: 'post', path: '/releases/bulk/:id/pause', summary: 'Start no more releases (those in flight carry on)', tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), params: idParamsSchema, response: bulkReleaseSchema,
  }),
  resumeBulkRelease: endpoint({
    method: 'post', path: '/releases/bulk/:id/resume', summary: 'Go on after a pause', tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), params: idParamsSchema, response: bulkReleaseSchema,
  }),
  retryBulkRelease: endpoint({
    method: 'post', path: '/releases/bulk/:id/retry', summary: 'Go on with a bulk release whose dispatcher failed, in the phase it was in', tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), params: idParamsSchema, response: bulkReleaseSchema,
  }),
  stopBulkRelease: endpoint({
    method: 'post', path: '/releases/bulk/:id/stop', summary: 'Stop for good: the shops not started are skipped', tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), params: idParamsSchema, response: bulkReleaseSchema,
  }),
};

/** The miniapp endpoints of `/merchant-api/v1` (composed in api.ts). */
export const miniappMerchantEndpoints = {
  getWechatAuthorization: endpoint({
    method: 'get', path: '/wechat/authorization', summary: "The shop's mini-program as authorized to the platform", tags: ['merchant: mini-program'],
    access: merchantCan('shop:settings:read'), response: wechatAuthorizationSchema,
  }),
  getMiniappPackage: endpoint({
    method: 'get', path: '/miniapp/package', summary: "The shop's mini-program package of the newest template version (made if missing), with a download link",
    tags: ['merchant: mini-program'], access: merchantCan('shop:settings:update'), response: tenantPackageSchema,
  }),
  createWechatAuthorizationLink: endpoint({
    method: 'post', path: '/wechat/authorization/link', summary: "A link to WeChat's page where the merchant authorizes the platform to manage its mini-program",
    tags: ['merchant: mini-program'], access: merchantCan('shop:settings:update'), body: authorizationLinkBodySchema, response: authorizationLinkSchema,
  }),
  listMiniappReleases: endpoint({
    method: 'get', path: '/miniapp/releases', summary: "The shop's mini-program releases, newest first, each with its steps", tags: ['merchant: mini-program'],
    access: merchantCan('shop:settings:read'), query: pageQuerySchema, response: pageOf(miniappReleaseSchema),
  }),
  getMiniappRelease: endpoint({
    method: 'get', path: '/miniapp/releases/:id', summary: 'One release with its steps, audit state and trial QR code', tags: ['merchant: mini-program'],
    access: merchantCan('shop:settings:read'), params: idParamsSchema, response: miniappReleaseSchema,
  }),
  startMiniappRelease: endpoint({
    method: 'post', path: '/miniapp/releases', summary: 'Release a template version to WeChat: domains, privacy settings, commit, trial QR code, audit (one release in flight per shop)',
    tags: ['merchant: mini-program'], access: merchantCan('miniapp:release:manage'), body: startReleaseBodySchema, response: miniappReleaseSchema, status: 201,
  }),
  publishMiniappRelease: endpoint({
    method: 'post', path: '/miniapp/releases/:id/publish', summary: 'Release an audited version to all users, or to a share of them first (gray release; raise it or release fully later)',
    tags: ['merchant: mini-program'], access: merchantCan('miniapp:release:manage'), params: idParamsSchema, body: publishReleaseBodySchema, response: miniappReleaseSchema,
  }),
  rollbackMiniappRelease: endpoint({
    method: 'post', path: '/miniapp/releases/:id/rollback', summary: 'Go back to the version released before this one (the latest release), or withdraw a gray release', tags: ['merchant: mini-program'],
    access: merchantCan('miniapp:release:manage'), params: idParamsSchema, response: miniappReleaseSchema,
  }),
  getCodeUploadKey: endpoint({
    method: 'get', path: '/miniapp/upload-key', summary: "The AppID and key fingerprint of the shop's own code-upload key (the direct path, without authorizing the platform)",
    tags: ['merchant: mini-program'], access: merchantCan('shop:settings:read'), response: codeUploadKeySchema.nullable(),
  }),
  setCodeUploadKey: endpoint({
    method: 'put', path: '/miniapp/upload-key', summary: "Give the mini-program's AppID, code-upload key and AppSecret, for uploads by miniprogram-ci (kept encrypted)",
    tags: ['merchant: mini-program'], access: merchantCan('miniapp:release:manage'), body: codeUploadKeyInputSchema, response: codeUploadKeySchema,
  }),
  removeCodeUploadKey: endpoint({
    method: 'delete', path: '/miniapp/upload-key', summary: 'Forget the code-upload key', tags: ['merchant: mini-program'],
    access: merchantCan('miniapp:release:manage'), response: okSchema,
  }),
  listCodeUploads: endpoint({
    method: 'get', path: '/miniapp/code-uploads', summary: "Uploads made with the shop's own key, newest first", tags: ['merchant: mini-program'],
    access: merchantCan('shop:settings:read'), query: pageQuerySchema, response: pageOf(codeUploadSchema),
  }),
  getCodeUpload: endpoint({
    method: 'get', path: '/miniapp/code-uploads/:id', summary: 'One upload made with the shop\'s own key', tags: ['merchant: mini-program'],
    access: merchantCan('shop:settings:read'), params: idParamsSchema, response: codeUploadSchema,
  }),
  startCodeUpload: endpoint({
    method: 'post', path: '/miniapp/code-uploads', summary: "Upload a template version as the mini-program's development version with its own key (then submit it for review in mp.weixin.qq.com)",
    tags: ['merchant: mini-program'], access: merchantCan('miniapp:release:manage'), body: startCodeUploadBodySchema, response: codeUploadSchema, status: 201,
  }),
  cancelMiniappRelease: endpoint({
    method: 'post', path: '/miniapp/releases/:id/cancel', summary: 'Stop a release in flight (withdraws it from audit when it is under review)', tags: ['merchant: mini-program'],
    access: merchantCan('miniapp:release:manage'), params: idParamsSchema, response: miniappReleaseSchema,
  }),
  retryMiniappRelease: endpoint({
    method: 'post', path: '/miniapp/releases/:id/retry', summary: 'Go on with a failed release from the step it stopped at (the steps done are not repeated; one release in flight per shop)',
    tags: ['merchant: mini-program'], access: merchantCan('miniapp:release:manage'), params: idParamsSchema, response: miniappReleaseSchema,
  }),
};
