import { computed, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import type { Withdrawal, WithdrawalMethod, WithdrawalStatus } from '@shopfleet/contracts';
import { WITHDRAWAL_STATUSES } from '@shopfleet/contracts/constants';
import { approveWithdrawal, listWithdrawals, rejectWithdrawal } from '@/api/distribution';
import { useTabbedList } from '@/composables/use-tabbed-list';
import { useMerchantSessionStore } from '@/stores/merchant-session';

export type WithdrawalTab = WithdrawalStatus | 'all';
export const WITHDRAWAL_TABS: readonly WithdrawalTab[] = ['all', ...WITHDRAWAL_STATUSES];

/**
 * Withdrawals by status (the tab and page in the URL): a waiting one is paid — WeChat Pay's transfer to the
 * distributor's change, or marked paid by hand — or refused with a reason (the money goes back). The request client
 * says why a payment was refused (WECHAT_TRANSFER_UNAVAILABLE, WITHDRAWAL_NO_WECHAT, WITHDRAWAL_NOT_WAITING).
 */
export function useWithdrawalList() {
  const { t } = useI18n();
  const session = useMerchantSessionStore();
  const canManage = computed(() => session.can('distribution:commission:manage'));
  const list = useTabbedList<Withdrawal, WithdrawalTab>({
    tabs: WITHDRAWAL_TABS,
    defaultTab: 'all',
    fetch: (tab, paging) => listWithdrawals({ ...paging, ...(tab === 'all' ? {} : { status: tab }) }),
  });

  const paying = shallowRef<Withdrawal | null>(null);
  const refusing = shallowRef<Withdrawal | null>(null);
  const busy = ref(false);

  function replace(next: Withdrawal): void {
    list.items.value = list.items.value.map((w) => (w.id === next.id ? next : w));
  }

  async function pay(method: WithdrawalMethod): Promise<void> {
    const withdrawal = paying.value;
    if (!withdrawal) return;
    busy.value = true;
    try {
      const next = await approveWithdrawal(withdrawal.id, method);
      replace(next);
      paying.value = null;
      ElMessage.success(
        t(next.status === 'paid' ? 'distribution.withdrawals.paid' : 'distribution.withdrawals.paying'),
      );
    } catch {
      // Shown by the request client (by its reason); the dialog stays for another choice.
      void list.load();
    } finally {
      busy.value = false;
    }
  }

  async function refuse(reason: string): Promise<void> {
    const withdrawal = refusing.value;
    if (!withdrawal) return;
    busy.value = true;
    try {
      replace(await rejectWithdrawal(withdrawal.id, reason));
      refusing.value = null;
      ElMessage.success(t('distribution.withdrawals.rejected'));
    } catch {
      void list.load();
    } finally {
      busy.value = false;
    }
  }

  return { ...list, canManage, paying, refusing, busy, pay, refuse };
}
