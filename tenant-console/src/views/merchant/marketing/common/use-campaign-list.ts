import { computed, onMounted, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import { ElMessage, ElMessageBox } from 'element-plus';
import type { CampaignFigures, CouponDisplayStatus, FlashSession, GroupCampaign, Page } from '@shopfleet/contracts';
import type { CampaignListQuery } from '@/api/marketing';
import { usePagedList } from '@/composables/use-paged-list';
import { useMerchantSessionStore } from '@/stores/merchant-session';
import type { ConsolePermission } from '@/stores/permissions';
import { useCampaignTab } from './campaign-tabs';

/** What a list row of any campaign (a coupon template, a promotion, a flash-sale session, a group buy) has. */
export interface CampaignRow {
  id: number;
  name: string;
  displayStatus: CouponDisplayStatus;
  /** A flash-sale session counts its visitors, a group buy its groups; the others the discount they gave. */
  figures: CampaignFigures | FlashSession['figures'] | GroupCampaign['figures'];
}

/** Which dialog is open over a campaign list. */
export type CampaignDialog = 'edit' | 'rename' | 'copy' | 'send';

export interface CampaignListOptions<T> {
  /** Acting on the list (new, edit, copy, stop) needs it; without it the list is read-only. */
  permission: ConsolePermission;
  fetchPage: (query: CampaignListQuery) => Promise<Page<T>>;
  stopOne: (id: number) => Promise<unknown>;
  /** The texts of the stop confirm and message: `${texts}.stopConfirm`, `.stopTitle`, `.stopped`. */
  texts: string;
  /** The route of the new-campaign page. */
  newRoute: string;
}

/**
 * The shop's campaigns of one kind: status tabs, server paging, stopping one (after a confirm), and which dialog is
 * open over the list for which campaign.
 */
export function useCampaignList<T extends CampaignRow>(options: CampaignListOptions<T>) {
  const { t } = useI18n();
  const router = useRouter();
  const session = useMerchantSessionStore();
  const canManage = computed(() => session.can(options.permission));

  const { tabs, tab, queryOf, choose } = useCampaignTab();
  const list = usePagedList((paging) => options.fetchPage(queryOf(paging)));
  const busyId = ref<number | null>(null);

  async function changeTab(name: string | number): Promise<void> {
    if (choose(name)) await list.changePage(1);
  }

  async function stop(campaign: T): Promise<void> {
    try {
      await ElMessageBox.confirm(
        t(`${options.texts}.stopConfirm`, { name: campaign.name }),
        t(`${options.texts}.stopTitle`),
        { type: 'warning', confirmButtonText: t('marketing.stop'), cancelButtonText: t('common.cancel') },
      );
    } catch {
      return;
    }
    busyId.value = campaign.id;
    try {
      await options.stopOne(campaign.id);
      ElMessage.success(t(`${options.texts}.stopped`, { name: campaign.name }));
      await list.load();
    } catch {
      // Shown by the request client.
    } finally {
      busyId.value = null;
    }
  }

  // ---- dialogs ----
  const dialog = ref<CampaignDialog | null>(null);
  const current = shallowRef<T | null>(null);

  function open(which: CampaignDialog, campaign: T): void {
    current.value = campaign;
    dialog.value = which;
  }

  /** Whether a dialog is open, for its v-model: closing it forgets it. */
  function dialogOpen(which: CampaignDialog) {
    return computed({
      get: () => dialog.value === which,
      set: (value: boolean) => {
        if (!value && dialog.value === which) dialog.value = null;
      },
    });
  }

  /** A dialog changed the list (saved, copied, renamed): close it and show the list again. */
  async function onChanged(): Promise<void> {
    dialog.value = null;
    await list.load();
  }

  function openNew(): void {
    void router.push({ name: options.newRoute });
  }

  onMounted(list.load);

  return { canManage, tabs, tab, changeTab, ...list, busyId, stop, current, open, dialogOpen, onChanged, openNew };
}

export type CampaignList<T extends CampaignRow> = ReturnType<typeof useCampaignList<T>>;
