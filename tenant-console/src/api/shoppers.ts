import type { Page, ShopperSummary } from '@shopfleet/contracts';
import { merchantHttp, type PageQuery } from './request';

/** GET /merchant-api/v1/shoppers */
export function listShoppers(query: PageQuery): Promise<Page<ShopperSummary>> {
  return merchantHttp.get<Page<ShopperSummary>>('/shoppers', { ...query });
}
