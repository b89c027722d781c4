import { computed, onMounted, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox } from 'element-plus';
import type { PaymentSettings } from '@shopfleet/contracts';
import { getPaymentSettings, updatePaymentMode } from '@/api/payments';

export type NotifyUrlKey = keyof PaymentSettings['notifyUrls'];
const NOTIFY_URL_KEYS: readonly NotifyUrlKey[] = ['wechat', 'wechatRefunds', 'alipay', 'unionpay'];

/**
 * The payment settings page: the settings as the server holds them (secrets never, only whether they
 * are stored), test mode on or off, and the notification addresses to give the providers.
 */
export function usePaymentSettings() {
  const { t } = useI18n();

  const settings = ref<PaymentSettings | null>(null);
  const loading = ref(false);
  const modeSaving = ref(false);

  /** Live, but no provider to take the money: shoppers cannot pay. */
  const noLiveProvider = computed(
    () =>
      settings.value !== null &&
      !settings.value.testMode &&
      !settings.value.wechat &&
      !settings.value.alipay &&
      !settings.value.unionpay,
  );

  function apply(next: PaymentSettings): void {
    settings.value = next;
  }

  async function load(): Promise<void> {
    loading.value = true;
    try {
      apply(await getPaymentSettings());
    } catch {
      settings.value = null;
    } finally {
      loading.value = false;
    }
  }

  /** Test mode on or off, after saying what it changes for shoppers. */
  async function setTestMode(testMode: boolean | string | number): Promise<void> {
    const current = settings.value;
    if (!current || typeof testMode !== 'boolean' || testMode === current.testMode) return;
    try {
      await ElMessageBox.confirm(
        t(testMode ? 'payments.mode.toTestConfirm' : 'payments.mode.toLiveConfirm'),
        t(testMode ? 'payments.mode.toTest' : 'payments.mode.toLive'),
        { type: 'warning', confirmButtonText: t('common.confirm'), cancelButtonText: t('common.cancel') },
      );
    } catch {
      return;
    }
    modeSaving.value = true;
    try {
      apply(await updatePaymentMode({ testMode }));
      ElMessage.success(t(testMode ? 'payments.mode.testOn' : 'payments.mode.testOff'));
    } catch {
      // Shown by the request client; the switch stays as the server has it.
    } finally {
      modeSaving.value = false;
    }
  }

  async function copy(text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      ElMessage.success(t('payments.notify.copied'));
    } catch {
      ElMessage.warning(t('payments.notify.copyFailed'));
    }
  }

  onMounted(load);

  return {
    settings,
    loading,
    modeSaving,
    noLiveProvider,
    notifyUrlKeys: NOTIFY_URL_KEYS,
    apply,
    load,
    setTestMode,
    copy,
  };
}
