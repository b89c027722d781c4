import type {
  CouponDisplayStatus,
  CouponTemplate,
  EndpointInput,
  Page,
  Promotion,
  PromotionKind,
  SendCouponsResult,
  merchantApi,
} from '@shopfleet/contracts';
import { merchantHttp, type PageQuery } from './request';

export type CouponTemplateBody = EndpointInput<typeof merchantApi.createCouponTemplate>['body'];
export type UpdateCouponTemplateBody = EndpointInput<typeof merchantApi.updateCouponTemplate>['body'];
export type CopyCouponTemplateBody = EndpointInput<typeof merchantApi.copyCouponTemplate>['body'];
export type SendCouponsBody = EndpointInput<typeof merchantApi.sendCoupons>['body'];
export type PromotionBody = EndpointInput<typeof merchantApi.createPromotion>['body'];
export type FullReductionBody = Extract<PromotionBody, { kind: 'full_reduction' }>['fullReduction'];
export type TimedDiscountBody = Extract<PromotionBody, { kind: 'timed_discount' }>['timedDiscount'];
export type CopyPromotionBody = EndpointInput<typeof merchantApi.copyPromotion>['body'];

/** A list page of campaigns, of one display status or all. */
export interface CampaignListQuery extends PageQuery {
  status?: CouponDisplayStatus;
}

// ---- coupon templates ----

/** GET /merchant-api/v1/coupon-templates: newest first, by display status, with their figures. */
export function listCouponTemplates(query: CampaignListQuery): Promise<Page<CouponTemplate>> {
  return merchantHttp.get<Page<CouponTemplate>>('/coupon-templates', { ...query });
}

/** POST /merchant-api/v1/coupon-templates (201): 满减, 折扣 or 无门槛, amounts in fen. */
export function createCouponTemplate(body: CouponTemplateBody): Promise<CouponTemplate> {
  return merchantHttp.post<CouponTemplate>('/coupon-templates', body);
}

/** PATCH /merchant-api/v1/coupon-templates/:id: the name and the total only (never below the coupons issued). */
export function updateCouponTemplate(id: number, body: UpdateCouponTemplateBody): Promise<CouponTemplate> {
  return merchantHttp.patch<CouponTemplate>(`/coupon-templates/${id}`, body);
}

/** POST /merchant-api/v1/coupon-templates/:id/stop: no more claims or sends; coupons issued stay valid. */
export function stopCouponTemplate(id: number): Promise<CouponTemplate> {
  return merchantHttp.post<CouponTemplate>(`/coupon-templates/${id}/stop`);
}

/** POST /merchant-api/v1/coupon-templates/:id/copy (201): the same rules with a new name and periods. */
export function copyCouponTemplate(id: number, body: CopyCouponTemplateBody): Promise<CouponTemplate> {
  return merchantHttp.post<CouponTemplate>(`/coupon-templates/${id}/copy`, body);
}

/** POST /merchant-api/v1/coupon-templates/:id/send: a send-mode template's coupons to chosen shoppers, each all or none. */
export function sendCoupons(id: number, body: SendCouponsBody): Promise<SendCouponsResult> {
  return merchantHttp.post<SendCouponsResult>(`/coupon-templates/${id}/send`, body);
}

// ---- promotions ----

/** GET /merchant-api/v1/promotions?kind: one kind's promotions, newest first, by display status. */
export function listPromotions(kind: PromotionKind, query: CampaignListQuery): Promise<Page<Promotion>> {
  return merchantHttp.get<Page<Promotion>>('/promotions', { ...query, kind });
}

/** POST /merchant-api/v1/promotions (201): a 满减/满折 or a 限时折扣. */
export function createPromotion(body: PromotionBody): Promise<Promotion> {
  return merchantHttp.post<Promotion>('/promotions', body);
}

/** PATCH /merchant-api/v1/promotions/:id: rename (nothing else changes once created). */
export function renamePromotion(id: number, name: string): Promise<Promotion> {
  return merchantHttp.patch<Promotion>(`/promotions/${id}`, { name });
}

/** POST /merchant-api/v1/promotions/:id/stop: orders placed after no longer get it. */
export function stopPromotion(id: number): Promise<Promotion> {
  return merchantHttp.post<Promotion>(`/promotions/${id}/stop`);
}

/** POST /merchant-api/v1/promotions/:id/copy (201): the same rules over a new period. */
export function copyPromotion(id: number, body: CopyPromotionBody): Promise<Promotion> {
  return merchantHttp.post<Promotion>(`/promotions/${id}/copy`, body);
}
