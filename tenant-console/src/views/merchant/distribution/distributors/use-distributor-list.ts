import { computed, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox } from 'element-plus';
import type { Distributor, DistributorStatus } from '@shopfleet/contracts';
import { DISTRIBUTOR_STATUSES } from '@shopfleet/contracts/constants';
import { approveDistributor, disableDistributor, listDistributors, rejectDistributor } from '@/api/distribution';
import { useTabbedList } from '@/composables/use-tabbed-list';
import { useMerchantSessionStore } from '@/stores/merchant-session';
import { personName } from '../common/distribution-parts';

export type DistributorTab = DistributorStatus | 'all';
export const DISTRIBUTOR_TABS: readonly DistributorTab[] = ['all', ...DISTRIBUTOR_STATUSES];

/** What a reason dialog is open for. */
type Refusal = { kind: 'reject' | 'disable'; distributor: Distributor };

/**
 * The shop's distributors by status (the tab and page in the URL): approve or reject an application, disable a
 * distributor with a reason or enable them again; a row opens the distributor's drawer.
 */
export function useDistributorList() {
  const { t } = useI18n();
  const session = useMerchantSessionStore();
  const canManage = computed(() => session.can('distribution:commission:manage'));
  const list = useTabbedList<Distributor, DistributorTab>({
    tabs: DISTRIBUTOR_TABS,
    defaultTab: 'all',
    fetch: (tab, paging) => listDistributors({ ...paging, ...(tab === 'all' ? {} : { status: tab }) }),
  });

  const busy = ref<number | null>(null);
  const refusal = shallowRef<Refusal | null>(null);
  const refusing = ref(false);
  const shown = shallowRef<Distributor | null>(null);

  /** A distributor changed: its row (and the drawer, if it shows them) take the new state. */
  function replace(next: Distributor): void {
    list.items.value = list.items.value.map((d) => (d.shopperId === next.shopperId ? next : d));
    if (shown.value?.shopperId === next.shopperId) shown.value = next;
  }

  async function approve(distributor: Distributor): Promise<void> {
    const enabling = distributor.status === 'disabled';
    const key = enabling ? 'distribution.distributors.enableConfirm' : 'distribution.distributors.approveConfirm';
    try {
      await ElMessageBox.confirm(t(key, { name: personName(distributor) }), {
        confirmButtonText: t('common.confirm'),
        cancelButtonText: t('common.cancel'),
        type: 'info',
      });
    } catch {
      return;
    }
    busy.value = distributor.shopperId;
    try {
      replace(await approveDistributor(distributor.shopperId));
      ElMessage.success(t(enabling ? 'distribution.distributors.enabled' : 'distribution.distributors.approved'));
      void list.load();
    } catch {
      // Shown by the request client.
    } finally {
      busy.value = null;
    }
  }

  function askReason(kind: Refusal['kind'], distributor: Distributor): void {
    refusal.value = { kind, distributor };
  }

  async function refuse(reason: string): Promise<void> {
    const current = refusal.value;
    if (!current) return;
    refusing.value = true;
    try {
      const id = current.distributor.shopperId;
      replace(current.kind === 'reject' ? await rejectDistributor(id, reason) : await disableDistributor(id, reason));
      ElMessage.success(
        t(current.kind === 'reject' ? 'distribution.distributors.rejected' : 'distribution.distributors.disabled'),
      );
      refusal.value = null;
      void list.load();
    } catch {
      // Shown by the request client; the dialog keeps the reason.
    } finally {
      refusing.value = false;
    }
  }

  return { ...list, canManage, busy, approve, askReason, refusal, refusing, refuse, shown };
}
