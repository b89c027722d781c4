import { computed, onMounted, reactive, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import type { DistributionApplyMode, DistributionBindMode, DistributionSettings } from '@shopfleet/contracts';
import { DISTRIBUTION_LIMITS } from '@shopfleet/contracts/constants';
import { getDistributionSettings, updateDistributionSettings } from '@/api/distribution';
import { useMerchantSessionStore } from '@/stores/merchant-session';
import { fenToYuan, yuanToFen } from '@/utils/money';
import { bpToPercentValue, percentToBp } from '../common/distribution-parts';

/** The settings as the form holds them: rates in % (two decimals), the smallest withdrawal in yuan. */
export interface SettingsForm {
  enabled: boolean;
  applyMode: DistributionApplyMode;
  bindMode: DistributionBindMode;
  protectDays: number | null;
  level1Percent: number | null;
  level2Percent: number | null;
  withdrawMinYuan: number | null;
}

export function formOf(s: DistributionSettings): SettingsForm {
  return {
    enabled: s.enabled,
    applyMode: s.applyMode,
    bindMode: s.bindMode,
    protectDays: s.protectDays,
    level1Percent: bpToPercentValue(s.level1Bp),
    level2Percent: bpToPercentValue(s.level2Bp),
    withdrawMinYuan: fenToYuan(s.withdrawMinFen),
  };
}

/** The form as the API takes it; null when a field is empty. */
export function settingsOf(f: SettingsForm): DistributionSettings | null {
  if (f.protectDays == null || f.level1Percent == null || f.level2Percent == null || f.withdrawMinYuan == null)
    return null;
  return {
    enabled: f.enabled,
    applyMode: f.applyMode,
    bindMode: f.bindMode,
    protectDays: f.protectDays,
    level1Bp: percentToBp(f.level1Percent),
    level2Bp: percentToBp(f.level2Percent),
    withdrawMinFen: yuanToFen(f.withdrawMinYuan),
  };
}

/** Both levels together take at most `ratesBpMax` (50 %). */
export function ratesFit(level1Bp: number, level2Bp: number): boolean {
  return level1Bp + level2Bp <= DISTRIBUTION_LIMITS.ratesBpMax;
}

/** The shop's distribution rules: on/off, admission, binding, the default rates and the smallest withdrawal. */
export function useDistributionSettings() {
  const { t } = useI18n();
  const session = useMerchantSessionStore();
  const canManage = computed(() => session.can('distribution:commission:manage'));
  const settings = ref<DistributionSettings | null>(null);
  const form = reactive<SettingsForm>({
    enabled: false,
    applyMode: 'approval',
    bindMode: 'first',
    protectDays: null,
    level1Percent: null,
    level2Percent: null,
    withdrawMinYuan: null,
  });
  const loading = ref(false);
  const saving = ref(false);

  const dirty = computed(() => {
    if (!settings.value) return false;
    const next = settingsOf(form);
    return !next || (Object.keys(next) as (keyof DistributionSettings)[]).some((k) => next[k] !== settings.value?.[k]);
  });

  function apply(next: DistributionSettings): void {
    settings.value = next;
    Object.assign(form, formOf(next));
  }

  async function load(): Promise<void> {
    loading.value = true;
    try {
      apply(await getDistributionSettings());
    } catch {
      settings.value = null;
    } finally {
      loading.value = false;
    }
  }

  async function save(): Promise<void> {
    const next = settingsOf(form);
    if (!next) {
      ElMessage.error(t('distribution.settings.required'));
      return;
    }
    if (!ratesFit(next.level1Bp, next.level2Bp)) {
      ElMessage.error(t('distribution.settings.ratesTooHigh'));
      return;
    }
    saving.value = true;
    try {
      apply(await updateDistributionSettings(next));
      ElMessage.success(t('distribution.settings.saved'));
    } catch {
      // Shown by the request client; the form keeps the input.
    } finally {
      saving.value = false;
    }
  }

  function reset(): void {
    if (settings.value) apply(settings.value);
  }

  onMounted(load);
  return { canManage, settings, form, loading, saving, dirty, load, save, reset };
}
