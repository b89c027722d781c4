import { computed, onMounted, reactive, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import type { OrderSettings } from '@shopfleet/contracts';
import { ORDER_SETTINGS_LIMITS } from '@shopfleet/contracts/constants';
import { getOrderSettings, updateOrderSettings } from '@/api/orders';
import { useMerchantSessionStore } from '@/stores/merchant-session';

export interface OrderSettingsForm {
  paymentWindowMinutes: number | null;
  autoConfirmDays: number | null;
}

/** The shop's order settings: how long an order waits for payment, and when a shipped order is confirmed for the shopper. */
export function useOrderSettings() {
  const { t } = useI18n();
  const session = useMerchantSessionStore();
  const canManage = computed(() => session.can('order:settings:manage'));

  const settings = ref<OrderSettings | null>(null);
  const form = reactive<OrderSettingsForm>({ paymentWindowMinutes: null, autoConfirmDays: null });
  const loading = ref(false);
  const saving = ref(false);

  const dirty = computed(
    () =>
      settings.value !== null &&
      (form.paymentWindowMinutes !== settings.value.paymentWindowMinutes ||
        form.autoConfirmDays !== settings.value.autoConfirmDays),
  );

  function apply(next: OrderSettings): void {
    settings.value = next;
    Object.assign(form, { paymentWindowMinutes: next.paymentWindowMinutes, autoConfirmDays: next.autoConfirmDays });
  }

  async function load(): Promise<void> {
    loading.value = true;
    try {
      apply(await getOrderSettings());
    } catch {
      settings.value = null;
    } finally {
      loading.value = false;
    }
  }

  async function save(): Promise<void> {
    const { paymentWindowMinutes, autoConfirmDays } = form;
    if (paymentWindowMinutes == null || autoConfirmDays == null) {
      ElMessage.error(t('freightTemplates.settings.required'));
      return;
    }
    saving.value = true;
    try {
      apply(await updateOrderSettings({ paymentWindowMinutes, autoConfirmDays }));
      ElMessage.success(t('freightTemplates.settings.saved'));
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

  return { canManage, settings, form, limits: ORDER_SETTINGS_LIMITS, loading, saving, dirty, load, save, reset };
}
