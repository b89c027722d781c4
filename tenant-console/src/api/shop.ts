import type { ShopSettings, UpdateShopBody } from '@shopfleet/contracts';
import { merchantHttp } from './request';

/** Largest logo the server takes (contracts LOGO_MAX_BYTES). */
export const LOGO_MAX_BYTES = 2 * 1024 * 1024;
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
