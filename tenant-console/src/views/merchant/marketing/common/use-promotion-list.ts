import { watch } from 'vue';
import type { PromotionKind } from '@shopfleet/contracts';
import { listPromotions, stopPromotion } from '@/api/marketing';
import { useCampaignList } from './use-campaign-list';
import { useProductOptions } from './use-product-options';

/** The list and the new-promotion page of each kind. */
export const PROMOTION_ROUTES: Record<PromotionKind, { list: string; create: string }> = {
  full_reduction: { list: 'merchant-marketing-full-reductions', create: 'merchant-marketing-full-reduction-new' },
  timed_discount: { list: 'merchant-marketing-timed-discounts', create: 'merchant-marketing-timed-discount-new' },
};

/**
 * The shop's promotions of one kind: status tabs, server paging, stopping one (after a confirm), the rename and
 * copy dialogs, and the titles of the products a 限时折扣 prices. Acting needs marketing:promotion:manage.
 */
export function usePromotionList(kind: PromotionKind) {
  const list = useCampaignList({
    permission: 'marketing:promotion:manage',
    fetchPage: (query) => listPromotions(kind, query),
    stopOne: stopPromotion,
    texts: 'marketing.promotions',
    newRoute: PROMOTION_ROUTES[kind].create,
  });
  const products = useProductOptions();

  // A 限时折扣 names its products by id: fetch their titles for the list.
  watch(list.items, (items) => {
    if (kind !== 'timed_discount') return;
    const shown = items.flatMap((p) => p.items);
    void products.name(shown.filter((i) => i.skuId === null).map((i) => i.productId));
    // An item of one SKU is shown with its spec values, read with the product.
    void products.name(
      shown.filter((i) => i.skuId !== null).map((i) => i.productId),
      true,
    );
  });

  return {
    ...list,
    productTitle: (id: number) => products.titleOf(id).title,
    skuLabel: products.skuLabel,
    renameOpen: list.dialogOpen('rename'),
    copyOpen: list.dialogOpen('copy'),
  };
}
