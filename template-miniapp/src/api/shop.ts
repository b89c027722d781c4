import type { PublicShop } from '@shopfleet/contracts';
import { shopRequest } from '../request';

/** GET /shops/:shopKey — the public profile that frames the shop (name, logo, theme colour, status). */
export function getShop(): Promise<PublicShop> {
  return shopRequest<PublicShop>({ method: 'GET', path: '' });
}
