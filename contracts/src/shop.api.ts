import { endpoint, merchantCan, platformCan, publicAccess } from './endpoint';
import { idParamsSchema, pageOf, pageQuerySchema, shopParamsSchema } from './common';
import {
  auditEntrySchema,
  appearanceBodySchema,
  appearanceSchema,
  publicShopSchema,
  shopPreviewPassSchema,
  shopSettingsSchema,
  shopperSummarySchema,
  staffMemberSchema,
  tenantListQuerySchema,
  tenantSummarySchema,
  updateShopBodySchema,
} from './shop';
import { LOGO_MAX_BYTES } from './shop.constants';

/** The shop endpoints of `/platform-api/v1` (composed in api.ts). */
export const shopPlatformEndpoints = {
  listTenants: endpoint({
    method: 'get',
    path: '/tenants',
    summary: 'List tenants',
    tags: ['platform: tenants'],
    access: platformCan('platform:tenant:read'),
    query: tenantListQuerySchema,
    response: pageOf(tenantSummarySchema),
  }),
  listAudit: endpoint({
    method: 'get',
    path: '/audit-log',
    summary: 'Platform-wide audit log, newest first',
    tags: ['platform: audit'],
    access: platformCan('platform:audit:read'),
    query: pageQuerySchema,
    response: pageOf(auditEntrySchema),
  }),
};

/** The shop endpoints of `/merchant-api/v1` (composed in api.ts). */
export const shopMerchantEndpoints = {
  getShop: endpoint({
    method: 'get',
    path: '/shop',
    summary: "The shop's settings",
    tags: ['merchant: shop'],
    access: merchantCan('shop:settings:read'),
    response: shopSettingsSchema,
  }),
  updateShop: endpoint({
    method: 'patch',
    path: '/shop',
    summary: "Change the shop's settings",
    tags: ['merchant: shop'],
    access: merchantCan('shop:settings:update'),
    body: updateShopBodySchema,
    response: shopSettingsSchema,
  }),
  getAppearance: endpoint({
    method: 'get',
    path: '/shop/appearance',
    summary: "How the shop's mini-program looks (defaults until edited)",
    tags: ['merchant: shop'],
    access: merchantCan('shop:settings:read'),
    response: appearanceSchema,
  }),
  updateAppearance: endpoint({
    method: 'put',
    path: '/shop/appearance',
    summary:
      "Set how the shop's mini-program looks: name, colours, navigation and tab bar, home layout, customer service, sharing",
    tags: ['merchant: shop'],
    access: merchantCan('shop:settings:update'),
    body: appearanceBodySchema,
    response: appearanceSchema,
  }),
  createShopPreviewPass: endpoint({
    method: 'post',
    path: '/shop/preview-pass',
    summary:
      "A short-lived pass to read the shop's own h5 and shop API while it is not open (the appearance editor's preview)",
    tags: ['merchant: shop'],
    access: merchantCan('shop:settings:read'),
    response: shopPreviewPassSchema,
    status: 201,
  }),
  uploadShareImage: endpoint({
    method: 'post',
    path: '/shop/appearance/share-image',
    summary: 'Upload the picture of a shared page (JPEG, PNG or WebP; cropped to 5:4)',
    tags: ['merchant: shop'],
    access: merchantCan('shop:settings:update'),
    upload: { field: 'file', maxBytes: LOGO_MAX_BYTES },
    response: appearanceSchema,
  }),
  uploadLogo: endpoint({
    method: 'post',
    path: '/shop/logo',
    summary: 'Upload the shop logo (JPEG, PNG or WebP; resized to 256 px)',
    tags: ['merchant: shop'],
    access: merchantCan('shop:settings:update'),
    upload: { field: 'file', maxBytes: LOGO_MAX_BYTES },
    response: shopSettingsSchema,
  }),
  listStaff: endpoint({
    method: 'get',
    path: '/staff',
    summary: "The shop's staff",
    tags: ['merchant: staff'],
    access: merchantCan('staff:member:read'),
    query: pageQuerySchema,
    response: pageOf(staffMemberSchema),
  }),
  listShoppers: endpoint({
    method: 'get',
    path: '/shoppers',
    summary: "The shop's shoppers",
    tags: ['merchant: customers'],
    access: merchantCan('customer:shopper:read'),
    query: pageQuerySchema,
    response: pageOf(shopperSummarySchema),
  }),
  getShopper: endpoint({
    method: 'get',
    path: '/shoppers/:id',
    summary: 'One shopper',
    tags: ['merchant: customers'],
    access: merchantCan('customer:shopper:read'),
    params: idParamsSchema,
    response: shopperSummarySchema,
  }),
  listAudit: endpoint({
    method: 'get',
    path: '/audit-log',
    summary: "The shop's audit log, newest first",
    tags: ['merchant: audit'],
    access: merchantCan('audit:log:read'),
    query: pageQuerySchema,
    response: pageOf(auditEntrySchema),
  }),
};

/** The shop endpoints of `/shop-api/v1` (composed in api.ts). */
export const shopShopEndpoints = {
  shop: endpoint({
    method: 'get',
    path: '/shops/:shopKey',
    summary: 'Public shop profile',
    tags: ['shop'],
    access: publicAccess,
    params: shopParamsSchema,
    response: publicShopSchema,
  }),
};
