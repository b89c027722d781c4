import { computed, onMounted, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import { ElMessage, ElMessageBox } from 'element-plus';
import type { CouponTemplate } from '@shopfleet/contracts';
import { listCouponTemplates, stopCouponTemplate } from '@/api/marketing';
import { usePagedList } from '@/composables/use-paged-list';
import { useMerchantSessionStore } from '@/stores/merchant-session';
import { useCampaignTab } from '../common/campaign-tabs';

/** Which dialog is open over the list, and for which template. */
export type CouponDialog = 'edit' | 'copy' | 'send';

/**
 * The shop's coupon templates: status tabs, server paging, stopping one (after a confirm), and the state of the
 * edit, copy and send dialogs. Acting needs marketing:coupon:manage; without it the list is read-only.
 */
export function useCouponList() {
  const { t } = useI18n();
  const router = useRouter();
  const session = useMerchantSessionStore();
  const canManage = computed(() => session.can('marketing:coupon:manage'));

  const { tabs, tab, queryOf, choose } = useCampaignTab();
  const list = usePagedList((paging) => listCouponTemplates(queryOf(paging)));
  const busyId = ref<number | null>(null);

  async function changeTab(name: string | number): Promise<void> {
    if (choose(name)) await list.changePage(1);
  }

  async function stop(template: CouponTemplate): Promise<void> {
    try {
      await ElMessageBox.confirm(
        t('marketing.coupons.stopConfirm', { name: template.name }),
        t('marketing.coupons.stopTitle'),
        { type: 'warning', confirmButtonText: t('marketing.stop'), cancelButtonText: t('common.cancel') },
      );
    } catch {
      return;
    }
    busyId.value = template.id;
    try {
      await stopCouponTemplate(template.id);
      ElMessage.success(t('marketing.coupons.stopped', { name: template.name }));
      await list.load();
    } catch {
      // Shown by the request client.
    } finally {
      busyId.value = null;
    }
  }

  // ---- dialogs ----
  const dialog = ref<CouponDialog | null>(null);
  const current = shallowRef<CouponTemplate | null>(null);

  function open(kind: CouponDialog, template: CouponTemplate): void {
    current.value = template;
    dialog.value = kind;
  }

  function dialogOpen(kind: CouponDialog) {
    return computed({
      get: () => dialog.value === kind,
      set: (value: boolean) => {
        if (!value && dialog.value === kind) dialog.value = null;
      },
    });
  }

  /** A dialog changed the list (saved, copied, sent): close it and show the list again. */
  async function onChanged(): Promise<void> {
    dialog.value = null;
    await list.load();
  }

  function openNew(): void {
    void router.push({ name: 'merchant-marketing-coupon-new' });
  }

  onMounted(list.load);

  return {
    canManage,
    tabs,
    tab,
    changeTab,
    ...list,
    busyId,
    stop,
    current,
    open,
    editOpen: dialogOpen('edit'),
    copyOpen: dialogOpen('copy'),
    sendOpen: dialogOpen('send'),
    onChanged,
    openNew,
  };
}
