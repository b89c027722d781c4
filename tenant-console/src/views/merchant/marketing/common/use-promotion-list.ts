import { computed, onMounted, ref, shallowRef, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import { ElMessage, ElMessageBox } from 'element-plus';
import type { Promotion, PromotionKind } from '@shopfleet/contracts';
import { listPromotions, stopPromotion } from '@/api/marketing';
import { usePagedList } from '@/composables/use-paged-list';
import { useMerchantSessionStore } from '@/stores/merchant-session';
import { useCampaignTab } from './campaign-tabs';
import { useProductOptions } from './use-product-options';

/** The list and the new-promotion page of each kind. */
export const PROMOTION_ROUTES: Record<PromotionKind, { list: string; create: string }> = {
  full_reduction: { list: 'merchant-marketing-full-reductions', create: 'merchant-marketing-full-reduction-new' },
  timed_discount: { list: 'merchant-marketing-timed-discounts', create: 'merchant-marketing-timed-discount-new' },
};

/** Which dialog is open over the list. */
export type PromotionDialog = 'rename' | 'copy';

/**
 * The shop's promotions of one kind: status tabs, server paging, stopping one (after a confirm), the rename and
 * copy dialogs, and the titles of the products a 限时折扣 prices. Acting needs marketing:promotion:manage.
 */
export function usePromotionList(kind: PromotionKind) {
  const { t } = useI18n();
  const router = useRouter();
  const session = useMerchantSessionStore();
  const canManage = computed(() => session.can('marketing:promotion:manage'));

  const { tabs, tab, queryOf, choose } = useCampaignTab();
  const list = usePagedList((paging) => listPromotions(kind, queryOf(paging)));
  const products = useProductOptions();
  const busyId = ref<number | null>(null);

  async function changeTab(name: string | number): Promise<void> {
    if (choose(name)) await list.changePage(1);
  }

  async function stop(promotion: Promotion): Promise<void> {
    try {
      await ElMessageBox.confirm(
        t('marketing.promotions.stopConfirm', { name: promotion.name }),
        t('marketing.promotions.stopTitle'),
        { type: 'warning', confirmButtonText: t('marketing.stop'), cancelButtonText: t('common.cancel') },
      );
    } catch {
      return;
    }
    busyId.value = promotion.id;
    try {
      await stopPromotion(promotion.id);
      ElMessage.success(t('marketing.promotions.stopped', { name: promotion.name }));
      await list.load();
    } catch {
      // Shown by the request client.
    } finally {
      busyId.value = null;
    }
  }

  // ---- dialogs ----
  const dialog = ref<PromotionDialog | null>(null);
  const current = shallowRef<Promotion | null>(null);

  function open(which: PromotionDialog, promotion: Promotion): void {
    current.value = promotion;
    dialog.value = which;
  }

  function dialogOpen(which: PromotionDialog) {
    return computed({
      get: () => dialog.value === which,
      set: (value: boolean) => {
        if (!value && dialog.value === which) dialog.value = null;
      },
    });
  }

  async function onChanged(): Promise<void> {
    dialog.value = null;
    await list.load();
  }

  function openNew(): void {
    void router.push({ name: PROMOTION_ROUTES[kind].create });
  }

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

  onMounted(list.load);

  return {
    canManage,
    tabs,
    tab,
    changeTab,
    ...list,
    productTitle: (id: number) => products.titleOf(id).title,
    skuLabel: products.skuLabel,
    busyId,
    stop,
    current,
    open,
    renameOpen: dialogOpen('rename'),
    copyOpen: dialogOpen('copy'),
    onChanged,
    openNew,
  };
}
