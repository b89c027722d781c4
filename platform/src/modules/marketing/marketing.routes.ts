import type { merchantApi, shopApi } from '@shopfleet/contracts';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { CouponsService } from './coupons.service';
import type { FlashService } from './flash.service';
import type { PromotionsService } from './promotions.service';

export function merchantMarketingHandlers(coupons: CouponsService, promotions: PromotionsService, flash: FlashService) {
  return {
    createCouponTemplate: (ctx, { body }) => coupons.create(ctx, body),
    listCouponTemplates: (ctx, { query }) => coupons.list(ctx, query),
    getCouponTemplate: (ctx, { params }) => coupons.get(ctx, params.id),
    updateCouponTemplate: (ctx, { params, body }) => coupons.update(ctx, params.id, body),
    stopCouponTemplate: (ctx, { params }) => coupons.stop(ctx, params.id),
    copyCouponTemplate: (ctx, { params, body }) => coupons.copy(ctx, params.id, body),
    sendCoupons: (ctx, { params, body }) => coupons.send(ctx, params.id, body),
    createPromotion: (ctx, { body }) => promotions.create(ctx, body),
    listPromotions: (ctx, { query }) => promotions.list(ctx, query),
    getPromotion: (ctx, { params }) => promotions.get(ctx, params.id),
    updatePromotion: (ctx, { params, body }) => promotions.rename(ctx, params.id, body.name),
    stopPromotion: (ctx, { params }) => promotions.stop(ctx, params.id),
    copyPromotion: (ctx, { params, body }) => promotions.copy(ctx, params.id, body),
    createFlashSession: (ctx, { body }) => flash.create(ctx, body),
    listFlashSessions: (ctx, { query }) => flash.list(ctx, query),
    getFlashSession: (ctx, { params }) => flash.get(ctx, params.id),
    flashSessionLive: (ctx, { params }) => flash.live(ctx, params.id),
    updateFlashSession: (ctx, { params, body }) => flash.update(ctx, params.id, body),
    stopFlashSession: (ctx, { params }) => flash.stop(ctx, params.id),
  } satisfies Partial<Handlers<typeof merchantApi>>;
}

export function shopMarketingHandlers(coupons: CouponsService, flash: FlashService) {
  return {
    couponCentre: (ctx, { query }) => coupons.centre(ctx, query.productId),
    claimCoupon: (ctx, { params }) => coupons.claim(ctx, params.id),
    myCoupons: (ctx, { query }) => coupons.mine(ctx, query),
    shopFlashSales: (ctx, { query }) => flash.shown(ctx, query.productId),
    flashPass: (ctx, { params }) => flash.pass(ctx, params.id),
  } satisfies Partial<Handlers<typeof shopApi>>;
}
