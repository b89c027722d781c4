import type { Coupon, CouponShownState } from '@shopfleet/contracts';
import { COUPON_SHOWN_STATES } from '@shopfleet/contracts/constants';
import { myCoupons } from '../api/marketing';
import { t } from '../locales';
import { couponValidityText } from '../utils/marketing';
import { formatDateTime } from '../utils/time';
import { openCouponCentre, openProduct, openProductList } from '../utils/routes';
import { useShopperList } from './use-shopper-list';

/** My coupons: the shopper's coupons by tab (unused, used, expired), a page more on reaching the bottom. */
export function useMyCoupons() {
  const list = useShopperList<CouponShownState, Coupon>({
    tabs: COUPON_SHOWN_STATES,
    tabQuery: 'state',
    fetchPage: (state, page, pageSize) => myCoupons({ state, page, pageSize }),
    title: () => t('nav.myCoupons'),
  });

  /** Use it: the one product or category it is for, else the shop's products. */
  function use(coupon: Coupon) {
    const only = coupon.scopeIds.length === 1 ? coupon.scopeIds[0] : undefined;
    if (coupon.scope === 'products' && only !== undefined) openProduct(only);
    else if (coupon.scope === 'categories' && only !== undefined) openProductList({ categoryId: only });
    else openProductList({});
  }

  /** The line under a used coupon (when it was used), else how long it is valid. */
  function validity(coupon: Coupon): string {
    if (coupon.state === 'used' && coupon.usedAt) return t('myCoupons.usedAt', { at: formatDateTime(coupon.usedAt) });
    return couponValidityText(coupon);
  }

  return {
    ...list,
    tabs: COUPON_SHOWN_STATES.map((key) => ({ key, name: t(`myCoupons.tab.${key}`) })),
    coupons: list.items,
    validity,
    use,
    goCentre: openCouponCentre,
  };
}
