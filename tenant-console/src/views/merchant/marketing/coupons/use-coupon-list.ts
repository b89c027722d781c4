import { listCouponTemplates, stopCouponTemplate } from '@/api/marketing';
import { useCampaignList } from '../common/use-campaign-list';

/**
 * The shop's coupon templates: status tabs, server paging, stopping one (after a confirm), and the state of the
 * edit, copy and send dialogs. Acting needs marketing:coupon:manage; without it the list is read-only.
 */
export function useCouponList() {
  const list = useCampaignList({
    permission: 'marketing:coupon:manage',
    fetchPage: listCouponTemplates,
    stopOne: stopCouponTemplate,
    texts: 'marketing.coupons',
    newRoute: 'merchant-marketing-coupon-new',
  });
  return {
    ...list,
    editOpen: list.dialogOpen('edit'),
    copyOpen: list.dialogOpen('copy'),
    sendOpen: list.dialogOpen('send'),
  };
}
