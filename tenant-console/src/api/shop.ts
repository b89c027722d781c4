import type { Appearance, AppearanceBody, ShopPreviewPass, ShopSettings, UpdateShopBody } from '@shopfleet/contracts';
import { merchantHttp } from './request';

/** The logo and share images the server takes (JPEG, PNG or WebP). */
export const LOGO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

/** GET /merchant-api/v1/shop */
export function getShop(): Promise<ShopSettings> {
  return merchantHttp.get<ShopSettings>('/shop');
}

/** PATCH /merchant-api/v1/shop */
export function updateShop(body: UpdateShopBody): Promise<ShopSettings> {
  return merchantHttp.patch<ShopSettings>('/shop', body);
}

/** POST /merchant-api/v1/shop/logo (multipart, field `file`) */
export function uploadShopLogo(file: Blob): Promise<ShopSettings> {
  return merchantHttp.upload<ShopSettings>('/shop/logo', 'file', file);
}

/** GET /merchant-api/v1/shop/appearance: how the shop's mini-program looks (the defaults until edited). */
export function getAppearance(): Promise<Appearance> {
  return merchantHttp.get<Appearance>('/shop/appearance');
}

/**
 * PUT /merchant-api/v1/shop/appearance: the whole appearance (the shop's name and theme colour follow it).
 * A 400 VALIDATION_FAILED lists its issues by path (`body.tabBar.labels.home`).
 */
export function updateAppearance(body: AppearanceBody): Promise<Appearance> {
  return merchantHttp.put<Appearance>('/shop/appearance', body);
}

/** POST /merchant-api/v1/shop/appearance/share-image (multipart, field `file`): the picture of a shared page, cropped to 5:4. */
export function uploadShareImage(file: Blob): Promise<Appearance> {
  return merchantHttp.upload<Appearance>('/shop/appearance/share-image', 'file', file);
}

/**
 * POST /merchant-api/v1/shop/preview-pass: a short-lived pass that lets the framed shop read this shop on
 * the shop API while it is not open to the public (pending review, suspended). Silent: without one the
 * preview shows what the public sees.
 */
export function createShopPreviewPass(): Promise<ShopPreviewPass> {
  return merchantHttp.post<ShopPreviewPass>('/shop/preview-pass', undefined, { silent: true });
}
