import type { ClaimableCoupon, Coupon, CouponShownState, Page } from '@shopfleet/contracts';
import { shopRequest } from '../request';

/**
 * GET /shops/:shopKey/coupon-templates — the coupon centre: the templates to claim now and whether this shopper still
 * can; with `productId`, only those that apply to that product.
 */
export function couponCentre(productId?: number): Promise<ClaimableCoupon[]> {
  return shopRequest<ClaimableCoupon[]>({
    method: 'GET',
    path: '/coupon-templates',
    query: { productId },
    auth: true,
  });
}

/** POST /shops/:shopKey/coupon-templates/:id/claim — one coupon of the template, within its total and per-shopper limit. */
export function claimCoupon(templateId: number): Promise<Coupon> {
  return shopRequest<Coupon>({ method: 'POST', path: `/coupon-templates/${templateId}/claim`, auth: true });
}

/** GET /shops/:shopKey/coupons — the shopper's coupons in one state (unused, used, expired), a page at a time. */
export function myCoupons(query: { state: CouponShownState; page: number; pageSize: number }): Promise<Page<Coupon>> {
  return shopRequest<Page<Coupon>>({
    method: 'GET',
    path: '/coupons',
    query: { state: query.state, page: query.page, pageSize: query.pageSize },
    auth: true,
  });
}
