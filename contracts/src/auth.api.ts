import { endpoint, platformCan, publicAccess, signedIn } from './endpoint';
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
import { okSchema, shopParamsSchema } from './common';

/** The auth endpoints of `/platform-api/v1` (composed in api.ts). */
export const authPlatformEndpoints = {
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
};

/** The auth endpoints of `/merchant-api/v1` (composed in api.ts). */
export const authMerchantEndpoints = {
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
};

/** The auth endpoints of `/shop-api/v1` (composed in api.ts). */
export const authShopEndpoints = {
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
