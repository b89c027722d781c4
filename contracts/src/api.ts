import { z } from 'zod';
import { endpoint, merchantCan, platformCan, publicAccess, signedIn } from './endpoint';
import {
  merchantLoginBodySchema,
  merchantMeSchema,
  logoutBodySchema,
  passwordLoginBodySchema,
  phoneLoginBodySchema,
  platformMeSchema,
  refreshBodySchema,
  shopperMeSchema,
  smsCodeBodySchema,
  smsCodeResponseSchema,
  tokenPairSchema,
  wechatLoginBodySchema,
} from './auth';
import { idParamsSchema, okSchema, pageOf, pageQuerySchema, shopParamsSchema } from './common';
import {
  auditEntrySchema,
  publicShopSchema,
  shopSettingsSchema,
  shopperSummarySchema,
  staffMemberSchema,
  tenantListQuerySchema,
  tenantSummarySchema,
  updateShopBodySchema,
} from './shop';

/** Max size of a shop logo upload. */
export const LOGO_MAX_BYTES = 2 * 1024 * 1024;

/** `/platform-api/v1`: platform staff. */
export const platformApi = {
  login: endpoint({
    method: 'post', path: '/auth/login', summary: 'Sign in as platform staff', tags: ['platform: auth'],
    access: publicAccess, body: passwordLoginBodySchema, response: tokenPairSchema,
  }),
  refresh: endpoint({
    method: 'post', path: '/auth/refresh', summary: 'Rotate a refresh token', tags: ['platform: auth'],
    access: publicAccess, body: refreshBodySchema, response: tokenPairSchema,
  }),
  logout: endpoint({
    method: 'post', path: '/auth/logout', summary: 'Revoke a refresh token and its family', tags: ['platform: auth'],
    access: publicAccess, body: logoutBodySchema, response: okSchema,
  }),
  me: endpoint({
    method: 'get', path: '/me', summary: 'The signed-in staff member', tags: ['platform: auth'],
    access: signedIn('platform'), response: platformMeSchema,
  }),
  queueSession: endpoint({
    method: 'post', path: '/auth/queue-session',
    summary: 'Set a short-lived cookie that opens the queue dashboard (/platform-api/v1/queues) in a browser tab',
    tags: ['platform: auth'], access: platformCan('platform:queue:manage'), response: okSchema,
  }),
  listTenants: endpoint({
    method: 'get', path: '/tenants', summary: 'List tenants', tags: ['platform: tenants'],
    access: platformCan('platform:tenant:read'), query: tenantListQuerySchema, response: pageOf(tenantSummarySchema),
  }),
  getTenant: endpoint({
    method: 'get', path: '/tenants/:id', summary: 'One tenant', tags: ['platform: tenants'],
    access: platformCan('platform:tenant:read'), params: idParamsSchema, response: tenantSummarySchema,
  }),
  listAudit: endpoint({
    method: 'get', path: '/audit-log', summary: 'Platform-wide audit log, newest first', tags: ['platform: audit'],
    access: platformCan('platform:audit:read'), query: pageQuerySchema, response: pageOf(auditEntrySchema),
  }),
};

/** `/merchant-api/v1`: merchant staff; the tenant comes from the token. */
export const merchantApi = {
  login: endpoint({
    method: 'post', path: '/auth/login', summary: 'Sign in to a shop as its staff', tags: ['merchant: auth'],
    access: publicAccess, body: merchantLoginBodySchema, response: tokenPairSchema,
  }),
  refresh: endpoint({
    method: 'post', path: '/auth/refresh', summary: 'Rotate a refresh token', tags: ['merchant: auth'],
    access: publicAccess, body: refreshBodySchema, response: tokenPairSchema,
  }),
  logout: endpoint({
    method: 'post', path: '/auth/logout', summary: 'Revoke a refresh token and its family', tags: ['merchant: auth'],
    access: publicAccess, body: logoutBodySchema, response: okSchema,
  }),
  me: endpoint({
    method: 'get', path: '/me', summary: 'The signed-in merchant user, role and permissions', tags: ['merchant: auth'],
    access: signedIn('merchant'), response: merchantMeSchema,
  }),
  getShop: endpoint({
    method: 'get', path: '/shop', summary: "The shop's settings", tags: ['merchant: shop'],
    access: merchantCan('shop:settings:read'), response: shopSettingsSchema,
  }),
  updateShop: endpoint({
    method: 'patch', path: '/shop', summary: "Change the shop's settings", tags: ['merchant: shop'],
    access: merchantCan('shop:settings:update'), body: updateShopBodySchema, response: shopSettingsSchema,
  }),
  uploadLogo: endpoint({
    method: 'post', path: '/shop/logo', summary: 'Upload the shop logo (JPEG, PNG or WebP; resized to 256 px)',
    tags: ['merchant: shop'], access: merchantCan('shop:settings:update'),
    upload: { field: 'file', maxBytes: LOGO_MAX_BYTES }, response: shopSettingsSchema,
  }),
  listStaff: endpoint({
    method: 'get', path: '/staff', summary: "The shop's staff", tags: ['merchant: staff'],
    access: merchantCan('staff:member:read'), query: pageQuerySchema, response: pageOf(staffMemberSchema),
  }),
  listShoppers: endpoint({
    method: 'get', path: '/shoppers', summary: "The shop's shoppers", tags: ['merchant: customers'],
    access: merchantCan('customer:shopper:read'), query: pageQuerySchema, response: pageOf(shopperSummarySchema),
  }),
  getShopper: endpoint({
    method: 'get', path: '/shoppers/:id', summary: 'One shopper', tags: ['merchant: customers'],
    access: merchantCan('customer:shopper:read'), params: idParamsSchema, response: shopperSummarySchema,
  }),
  listAudit: endpoint({
    method: 'get', path: '/audit-log', summary: "The shop's audit log, newest first", tags: ['merchant: audit'],
    access: merchantCan('audit:log:read'), query: pageQuerySchema, response: pageOf(auditEntrySchema),
  }),
};

/** `/shop-api/v1`: shoppers; every path names the shop. */
export const shopApi = {
  shop: endpoint({
    method: 'get', path: '/shops/:shopKey', summary: 'Public shop profile', tags: ['shop'],
    access: publicAccess, params: shopParamsSchema, response: publicShopSchema,
  }),
  wechatLogin: endpoint({
    method: 'post', path: '/shops/:shopKey/auth/wechat', summary: 'Sign in with a wx.login() code',
    tags: ['shop: auth'], access: publicAccess, params: shopParamsSchema, body: wechatLoginBodySchema,
    response: tokenPairSchema,
  }),
  smsCode: endpoint({
    method: 'post', path: '/shops/:shopKey/auth/sms-code', summary: 'Send a one-time sign-in code by SMS',
    tags: ['shop: auth'], access: publicAccess, params: shopParamsSchema, body: smsCodeBodySchema,
    response: smsCodeResponseSchema,
  }),
  phoneLogin: endpoint({
    method: 'post', path: '/shops/:shopKey/auth/phone', summary: 'Sign in with phone and one-time code',
    tags: ['shop: auth'], access: publicAccess, params: shopParamsSchema, body: phoneLoginBodySchema,
    response: tokenPairSchema,
  }),
  refresh: endpoint({
    method: 'post', path: '/shops/:shopKey/auth/refresh', summary: 'Rotate a refresh token', tags: ['shop: auth'],
    access: publicAccess, params: shopParamsSchema, body: refreshBodySchema, response: tokenPairSchema,
  }),
  logout: endpoint({
    method: 'post', path: '/shops/:shopKey/auth/logout', summary: 'Revoke a refresh token', tags: ['shop: auth'],
    access: publicAccess, params: shopParamsSchema, body: logoutBodySchema, response: okSchema,
  }),
  me: endpoint({
    method: 'get', path: '/shops/:shopKey/me', summary: 'The signed-in shopper', tags: ['shop: auth'],
    access: signedIn('shopper'), params: shopParamsSchema, response: shopperMeSchema,
  }),
};

export const API_ROOTS = {
  platform: '/platform-api/v1',
  merchant: '/merchant-api/v1',
  shop: '/shop-api/v1',
} as const;

export const healthSchema = z.object({ status: z.literal('ok') });
export const readinessSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), ms: z.number(), error: z.string().optional() })),
});
