import type { PageLink } from '@shopfleet/contracts';
import { HOME_PAGE_KEY } from '@shopfleet/contracts/constants';
import {
  CART_PAGE,
  CATEGORY_PAGE,
  HOME_PAGE,
  USER_PAGE,
  openCouponCentre,
  openFavourites,
  openFlashSales,
  openMemberCentre,
  openMyGroups,
  openOrders,
  openProduct,
  openProductList,
  openSearch,
  openTabPage,
} from './routes';

/** The route of a custom page of the shop designer. */
export function customPagePath(key: string, preview?: string): string {
  const query = `key=${encodeURIComponent(key)}${preview ? `&preview=${encodeURIComponent(preview)}` : ''}`;
  return `/pages/custom/page?${query}`;
}

/** Where a designer's link goes: a product, a category's list, a custom page, or one of the shop's own pages. */
export function openPageLink(link: PageLink | null | undefined): void {
  if (!link) return;
  switch (link.kind) {
    case 'product':
      openProduct(link.productId);
      return;
    case 'category':
      openProductList({ categoryId: link.categoryId });
      return;
    case 'page':
      if (link.pageKey === HOME_PAGE_KEY) uni.switchTab({ url: HOME_PAGE });
      else uni.navigateTo({ url: customPagePath(link.pageKey) });
      return;
    case 'shop':
      switch (link.page) {
        case 'home':
          uni.switchTab({ url: HOME_PAGE });
          return;
        case 'category':
          openTabPage(CATEGORY_PAGE);
          return;
        case 'cart':
          openTabPage(CART_PAGE);
          return;
        case 'user':
          openTabPage(USER_PAGE);
          return;
        case 'search':
          openSearch();
          return;
        case 'coupons':
          openCouponCentre();
          return;
        case 'flashSales':
          openFlashSales();
          return;
        case 'orders':
          openOrders();
          return;
        case 'myGroups':
          openMyGroups();
          return;
        case 'favourites':
          openFavourites();
          return;
        case 'member':
          openMemberCentre();
          return;
      }
  }
}
