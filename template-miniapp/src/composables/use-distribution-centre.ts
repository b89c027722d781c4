import { computed, ref, shallowRef } from 'vue';
import { onShow } from '@dcloudio/uni-app';
import type { DistributionCentre } from '@shopfleet/contracts';
import { applyDistributor, distributionCentre, requestWithdrawal } from '../api/distribution';
import { t } from '../locales';
import { describeError } from '../request';
import {
  checkWithdrawAmount,
  fenAsYuanInput,
  openDistributionCommissions,
  openDistributionTeam,
  openDistributionWithdrawals,
} from '../utils/distribution';
import { formatFen } from '../utils/money';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';
import { useSignInGate } from './use-sign-in-gate';

/** What the centre shows: nothing yet, the shop's distribution off, an application to make or waiting, or a distributor. */
export type CentreView = 'off' | 'apply' | 'pending' | 'rejected' | 'disabled' | 'approved';

export function centreView(centre: DistributionCentre): CentreView {
  // A distributor keeps their money and records when the shop turns distribution off; nobody can apply then.
  if (centre.me) return centre.me.status === 'rejected' && !centre.enabled ? 'off' : centre.me.status;
  return centre.enabled ? 'apply' : 'off';
}

/**
 * The distribution centre: apply to become a distributor (pending and rejected shown), and as one: the money by state, the team,
 * commission and withdrawals, and a withdrawal of available money (the server's reasons said by code).
 */
export function useDistributionCentre() {
  const { signedIn, admit, lapsed } = useSignInGate();
  const centre = shallowRef<DistributionCentre | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const applying = ref(false);
  const amount = ref('');
  const withdrawError = ref<string | null>(null);
  const withdrawing = ref(false);

  const view = computed<CentreView | null>(() => (centre.value ? centreView(centre.value) : null));
  const me = computed(() => centre.value?.me ?? null);
  const balance = computed(() => me.value?.balance ?? null);
  const teamSize = computed(() => (me.value ? me.value.team.level1 + me.value.team.level2 : 0));
  const boundToName = computed(() => {
    const to = centre.value?.boundTo;
    return to ? to.nickname?.trim() || `#${to.shopperId}` : null;
  });
  const withdrawHint = computed(() =>
    centre.value && balance.value
      ? t('distribution.withdrawMin', {
          min: formatFen(centre.value.withdrawMinFen),
          available: formatFen(balance.value.availableFen),
        })
      : '',
  );

  async function load(): Promise<void> {
    if (!admit()) return;
    loading.value = true;
    error.value = null;
    try {
      centre.value = await distributionCentre();
    } catch (e) {
      if (!lapsed(e)) error.value = describeError(e);
    } finally {
      loading.value = false;
    }
  }

  async function apply(): Promise<void> {
    if (applying.value) return;
    applying.value = true;
    try {
      centre.value = await applyDistributor();
      const approved = centre.value.me?.status === 'approved';
      uni.showToast({ title: t(approved ? 'distribution.approvedNow' : 'distribution.applied'), icon: 'success' });
    } catch (e) {
      uni.showToast({ title: describeError(e), icon: 'none' });
    } finally {
      applying.value = false;
    }
  }

  function fillAll(): void {
    if (balance.value) amount.value = fenAsYuanInput(balance.value.availableFen);
  }

  async function withdraw(): Promise<void> {
    if (withdrawing.value || !centre.value || !balance.value) return;
    const limits = { minFen: centre.value.withdrawMinFen, availableFen: balance.value.availableFen };
    const checked = checkWithdrawAmount(amount.value, limits);
    if ('problem' in checked) {
      const params = { min: formatFen(limits.minFen), available: formatFen(limits.availableFen) };
      const key = {
        invalid: 'distribution.withdrawInvalid',
        belowMin: 'distribution.withdrawBelowMin',
        tooMuch: 'distribution.withdrawTooMuch',
      } as const;
      withdrawError.value = t(key[checked.problem], params);
      return;
    }
    withdrawError.value = null;
    withdrawing.value = true;
    try {
      await requestWithdrawal(checked.fen);
      amount.value = '';
      uni.showToast({ title: t('distribution.withdrawSent'), icon: 'success' });
      await load();
    } catch (e) {
      // COMMISSION_NOT_ENOUGH, WITHDRAWAL_BELOW_MINIMUM and the rest, by their reasons.
      withdrawError.value = describeError(e);
      void load();
    } finally {
      withdrawing.value = false;
    }
  }

  useShopBars({ tabPage: false, title: () => t('distribution.entry') });
  onShow(() => {
    void load();
  });

  return {
    ...useThemeVars(),
    primaryStyle: usePrimaryButtonStyle(),
    signedIn,
    centre,
    view,
    me,
    balance,
    teamSize,
    boundToName,
    loading,
    error,
    applying,
    amount,
    withdrawError,
    withdrawing,
    withdrawHint,
    formatFen,
    load,
    apply,
    fillAll,
    withdraw,
    openTeam: openDistributionTeam,
    openCommissions: openDistributionCommissions,
    openWithdrawals: openDistributionWithdrawals,
  };
}
