import { endpoint, merchantCan, signedIn } from './endpoint';
import { idParamsSchema, pageOf, shopParamsSchema } from './common';
import { shopProductParamsSchema } from './catalog';
import {
  claimableCouponSchema,
  copyCouponTemplateBodySchema,
  couponSchema,
  couponTemplateInputSchema,
  couponTemplateListQuerySchema,
  couponTemplateSchema,
  myCouponsQuerySchema,
  sendCouponsBodySchema,
  sendCouponsResultSchema,
  updateCouponTemplateBodySchema,
} from './marketing';
import { z } from 'zod';

const tags = ['merchant: marketing'];

/** The marketing endpoints of `/merchant-api/v1` (composed in api.ts). */
export const marketingMerchantEndpoints = {
  createCouponTemplate: endpoint({
    method: 'post',
    path: '/coupon-templates',
    summary: 'Create a coupon template (满减, 折扣 or 无门槛)',
    tags,
    access: merchantCan('marketing:coupon:manage'),
    body: couponTemplateInputSchema,
    response: couponTemplateSchema,
    status: 201,
  }),
  listCouponTemplates: endpoint({
    method: 'get',
    path: '/coupon-templates',
    summary: "The shop's coupon templates, newest first, by display status",
    tags,
    access: merchantCan('marketing:coupon:read'),
    query: couponTemplateListQuerySchema,
    response: pageOf(couponTemplateSchema),
  }),
  getCouponTemplate: endpoint({
    method: 'get',
    path: '/coupon-templates/:id',
    summary: 'A coupon template with its figures (issued, used, remaining)',
    tags,
    access: merchantCan('marketing:coupon:read'),
    params: idParamsSchema,
    response: couponTemplateSchema,
  }),
  updateCouponTemplate: endpoint({
    method: 'patch',
    path: '/coupon-templates/:id',
    summary: 'Rename a template or change its total (never below the coupons issued)',
    tags,
    access: merchantCan('marketing:coupon:manage'),
    params: idParamsSchema,
    body: updateCouponTemplateBodySchema,
    response: couponTemplateSchema,
  }),
  stopCouponTemplate: endpoint({
    method: 'post',
    path: '/coupon-templates/:id/stop',
    summary: 'Stop a template early: no more claims or sends (coupons issued stay valid)',
    tags,
    access: merchantCan('marketing:coupon:manage'),
    params: idParamsSchema,
    response: couponTemplateSchema,
  }),
  copyCouponTemplate: endpoint({
    method: 'post',
    path: '/coupon-templates/:id/copy',
    summary: 'A new template with the same rules, its counters at zero',
    tags,
    access: merchantCan('marketing:coupon:manage'),
    params: idParamsSchema,
    body: copyCouponTemplateBodySchema,
    response: couponTemplateSchema,
    status: 201,
  }),
  sendCoupons: endpoint({
    method: 'post',
    path: '/coupon-templates/:id/send',
    summary: "Send a template's coupons to chosen shoppers (each all or nothing)",
    tags,
    access: merchantCan('marketing:coupon:manage'),
    params: idParamsSchema,
    body: sendCouponsBodySchema,
    response: sendCouponsResultSchema,
  }),
};

/** The marketing endpoints of `/shop-api/v1` (composed in api.ts). */
export const marketingShopEndpoints = {
  couponCentre: endpoint({
    method: 'get',
    path: '/shops/:shopKey/coupon-templates',
    summary: 'The coupon centre: templates to claim now, and whether this shopper still can',
    tags: ['shop: marketing'],
    access: signedIn('shopper'),
    params: shopParamsSchema,
    response: z.array(claimableCouponSchema),
  }),
  claimCoupon: endpoint({
    method: 'post',
    path: '/shops/:shopKey/coupon-templates/:id/claim',
    summary: 'Claim a coupon of a template (exact under concurrency: total and per-shopper limit)',
    tags: ['shop: marketing'],
    access: signedIn('shopper'),
    params: shopProductParamsSchema,
    response: couponSchema,
    status: 201,
  }),
  myCoupons: endpoint({
    method: 'get',
    path: '/shops/:shopKey/coupons',
    summary: "The shopper's coupons: unused, used or expired",
    tags: ['shop: marketing'],
    access: signedIn('shopper'),
    params: shopParamsSchema,
    query: myCouponsQuerySchema,
    response: pageOf(couponSchema),
  }),
};
