import { ref } from 'vue';
import type { Commission, CommissionState, TeamMember, Withdrawal } from '@shopfleet/contracts';
import { myCommissions, myTeam, myWithdrawals } from '../api/distribution';
import { t } from '../locales';
import { canConfirmReceipt, confirmReceipt } from '../platform/merchant-transfer';
import { formatFen } from '../utils/money';
import { formatDateTime } from '../utils/time';
import { useShopperList } from './use-shopper-list';

const TEAM_TABS = ['1', '2'] as const;

/** My team: the shoppers bound to me (level 1) and to my distributors (level 2). */
export function useDistributionTeam() {
  const list = useShopperList<(typeof TEAM_TABS)[number], TeamMember & { id: number }>({
    tabs: TEAM_TABS,
    tabQuery: 'level',
    fetchPage: async (tab, page, pageSize) => {
      const result = await myTeam({ level: tab === '2' ? 2 : 1, page, pageSize });
      return { ...result, items: result.items.map((m) => ({ ...m, id: m.shopperId })) };
    },
    title: () => t('distribution.team'),
  });
  return {
    ...list,
    tabs: TEAM_TABS.map((key) => ({ key, name: t(key === '1' ? 'distribution.level1' : 'distribution.level2') })),
    members: list.items,
    nameOf: (m: TeamMember) => m.nickname?.trim() || `#${m.shopperId}`,
    joinedText: (m: TeamMember) => t('distribution.boundAt', { at: formatDateTime(m.boundAt) }),
  };
}

const COMMISSION_TABS = ['', 'frozen', 'released', 'cancelled'] as const;
type CommissionTab = (typeof COMMISSION_TABS)[number];

/** My commission: my commission by order, by state; each with its order, buyer, level, amount and what refunds took back. */
export function useMyCommissions() {
  const list = useShopperList<CommissionTab, Commission>({
    tabs: COMMISSION_TABS,
    tabQuery: 'state',
    fetchPage: (tab, page, pageSize) =>
      myCommissions({ page, pageSize, ...(tab ? { state: tab as CommissionState } : {}) }),
    title: () => t('distribution.commissions'),
  });
  function card(c: Commission) {
    return {
      stateText: t(`distribution.state.${c.state}`),
      levelText: t(c.level === 1 ? 'distribution.levelTag.1' : 'distribution.levelTag.2'),
      amountText: formatFen(c.amountFen),
      orderText: t('distribution.commissionOrder', { orderNo: c.orderNo ?? `#${c.orderId}` }),
      buyerText: t('distribution.commissionBuyer', { name: c.buyer.nickname?.trim() || `#${c.buyer.shopperId}` }),
      baseText: t('distribution.commissionBase', { amount: formatFen(c.baseFen) }),
      takenBackText: c.takenBackFen ? t('distribution.commissionTakenBack', { amount: formatFen(c.takenBackFen) }) : '',
      atText: formatDateTime(c.createdAt),
    };
  }
  return {
    ...list,
    tabs: COMMISSION_TABS.map((key) => ({
      key,
      name: key ? t(`distribution.state.${key}`) : t('distribution.stateAll'),
    })),
    commissions: list.items,
    card,
  };
}

const WITHDRAWAL_TABS = [''] as const;

/**
 * My withdrawals: my withdrawals with their state; one being paid by WeChat Pay's transfer waits for me to confirm receipt —
 * in the mini-program (WeChat's own page), on h5 the card says to open the mini-program.
 */
export function useMyWithdrawals() {
  const list = useShopperList<'', Withdrawal>({
    tabs: WITHDRAWAL_TABS,
    tabQuery: 'tab',
    fetchPage: (_tab, page, pageSize) => myWithdrawals({ page, pageSize }),
    title: () => t('distribution.withdrawals'),
  });
  const confirming = ref<number | null>(null);

  /** Waiting for the shopper to confirm receipt of a WeChat transfer. */
  const awaitsReceipt = (w: Withdrawal) => w.status === 'paying' && !!w.packageInfo;

  function card(w: Withdrawal) {
    return {
      statusText: t(`distribution.withdrawal.${w.status}`),
      amountText: formatFen(w.amountFen),
      atText: t('distribution.withdrawalAt', { at: formatDateTime(w.requestedAt) }),
      reasonText: w.reason ? t('distribution.withdrawalReason', { reason: w.reason }) : '',
      receipt: awaitsReceipt(w) ? (canConfirmReceipt && w.mchId ? 'button' : 'hint') : null,
    };
  }

  async function confirm(w: Withdrawal): Promise<void> {
    if (!w.packageInfo || !w.mchId || confirming.value !== null) return;
    confirming.value = w.id;
    try {
      const done = await confirmReceipt({ mchId: w.mchId, packageInfo: w.packageInfo });
      uni.showToast({ title: t(done ? 'distribution.receiptConfirmed' : 'distribution.receiptFailed'), icon: 'none' });
      if (done) await list.retry();
    } finally {
      confirming.value = null;
    }
  }

  return { ...list, tabs: [{ key: '' as const, name: '' }], withdrawals: list.items, card, confirm, confirming };
}
