import { computed, onMounted, reactive, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import type { AfterSalesSettings } from '@shopfleet/contracts';
import { AFTER_SALES_TIMER_DEFAULTS } from '@shopfleet/contracts/constants';
import { getAfterSalesSettings, updateAfterSalesSettings } from '@/api/after-sales';
import { useMerchantSessionStore } from '@/stores/merchant-session';

export type TimerName = keyof AfterSalesSettings;

/**
 * Each timer's range in days, as afterSalesSettingsSchema has them (the contracts export no constants for them; the
 * server checks again).
 */
export const TIMER_RANGES: Record<TimerName, { min: number; max: number }> = {
  autoApproveDays: { min: 1, max: 60 },
  returnShipDays: { min: 1, max: 60 },
  receiveConfirmDays: { min: 1, max: 60 },
  afterCompletionDays: { min: 0, max: 90 },
};
export const TIMER_NAMES = Object.keys(TIMER_RANGES) as TimerName[];

type TimerForm = Record<TimerName, number | null>;

/**
 * The shop's after-sales timers, in days: how long a refund-only request waits before it is agreed, an approved return
 * before it closes unshipped, returned goods before they are refunded unconfirmed, and how long after completion an
 * order still takes requests. Open cases keep the deadlines they have.
 */
export function useAfterSalesSettings() {
  const { t } = useI18n();
  const session = useMerchantSessionStore();
  const canManage = computed(() => session.can('aftersale:case:manage'));

  const settings = ref<AfterSalesSettings | null>(null);
  const form = reactive<TimerForm>({
    autoApproveDays: null,
    returnShipDays: null,
    receiveConfirmDays: null,
    afterCompletionDays: null,
  });
  const loading = ref(false);
  const saving = ref(false);

  const dirty = computed(() => settings.value !== null && TIMER_NAMES.some((n) => form[n] !== settings.value?.[n]));

  function apply(next: AfterSalesSettings): void {
    settings.value = next;
    Object.assign(form, next);
  }

  async function load(): Promise<void> {
    loading.value = true;
    try {
      apply(await getAfterSalesSettings());
    } catch {
      settings.value = null;
    } finally {
      loading.value = false;
    }
  }

  /** The form as the API takes it, or null when a timer is empty. */
  function body(): AfterSalesSettings | null {
    const { autoApproveDays, returnShipDays, receiveConfirmDays, afterCompletionDays } = form;
    if (autoApproveDays == null || returnShipDays == null || receiveConfirmDays == null || afterCompletionDays == null)
      return null;
    return { autoApproveDays, returnShipDays, receiveConfirmDays, afterCompletionDays };
  }

  async function save(): Promise<void> {
    const next = body();
    if (!next) {
      ElMessage.error(t('afterSales.settings.required'));
      return;
    }
    saving.value = true;
    try {
      apply(await updateAfterSalesSettings(next));
      ElMessage.success(t('afterSales.settings.saved'));
    } catch {
      // Shown by the request client; the form keeps the input.
    } finally {
      saving.value = false;
    }
  }

  function reset(): void {
    if (settings.value) apply(settings.value);
  }

  /** Back to the platform's defaults (saved only when the merchant saves). */
  function restoreDefaults(): void {
    Object.assign(form, AFTER_SALES_TIMER_DEFAULTS);
  }

  onMounted(load);

  return {
    canManage,
    settings,
    form,
    ranges: TIMER_RANGES,
    names: TIMER_NAMES,
    loading,
    saving,
    dirty,
    load,
    save,
    reset,
    restoreDefaults,
  };
}
