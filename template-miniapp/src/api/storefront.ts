import type { ShopPage, ShopTabBar } from '@shopfleet/contracts';
import { shopRequest } from '../request';

/**
 * GET /shops/:shopKey/pages/:key — a page of the shop designer, ready to render (its blocks with images and product
 * cards filled in): the published version, or with `preview` (a token from the console) the draft.
 */
export function getShopPage(key: string, preview?: string): Promise<ShopPage> {
  return shopRequest<ShopPage>({ method: 'GET', path: `/pages/${encodeURIComponent(key)}`, query: { preview } });
}

/** GET /shops/:shopKey/tab-bar — the tab bar as the shop applies it: colours, the tabs shown, their texts and icons. */
export function getShopTabBar(): Promise<ShopTabBar> {
  return shopRequest<ShopTabBar>({ method: 'GET', path: '/tab-bar' });
}
