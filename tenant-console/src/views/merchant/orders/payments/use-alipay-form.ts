import { computed, reactive, ref, useTemplateRef, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox, type FormInstance, type FormItemRule, type FormRules } from 'element-plus';
import type { AlipaySettingsInput, PaymentSettings } from '@shopfleet/contracts';
import { PAYMENT_PATTERNS, PEM_MAX_CHARS } from '@shopfleet/contracts/constants';
import { deleteAlipaySettings, updateAlipaySettings } from '@/api/payments';

export interface AlipayForm {
  appId: string;
  /** Secrets: empty keeps the stored one. */
  privateKey: string;
  alipayPublicKey: string;
}

type Secret = 'privateKey' | 'alipayPublicKey';

/** Alipay for the web shop: the app id, the application private key and Alipay's public key (never shown; empty keeps them). */
export function useAlipayForm(settings: Ref<PaymentSettings | null>, apply: (next: PaymentSettings) => void) {
  const { t } = useI18n();
  const formRef = useTemplateRef<FormInstance>('alipayForm');
  const form = reactive<AlipayForm>({ appId: '', privateKey: '', alipayPublicKey: '' });
  const saving = ref(false);
  const removing = ref(false);

  const saved = computed(() => settings.value?.alipay ?? null);

  function stored(secret: Secret): boolean {
    const alipay = saved.value;
    if (!alipay) return false;
    return secret === 'privateKey' ? alipay.hasPrivateKey : alipay.hasAlipayPublicKey;
  }

  function reset(): void {
    Object.assign(form, { appId: saved.value?.appId ?? '', privateKey: '', alipayPublicKey: '' });
    formRef.value?.clearValidate();
  }

  function secret(field: Secret): FormItemRule {
    return {
      // Only a key not stored yet must be given (the form item shows the mark).
      required: !stored(field),
      trigger: 'blur',
      validator: (_rule, _value, callback) => {
        const value = form[field].trim();
        if (!value) return stored(field) ? callback() : callback(new Error(t('payments.secretRequired')));
        if (value.length > PEM_MAX_CHARS) return callback(new Error(t('payments.pemTooLong', { max: PEM_MAX_CHARS })));
        return PAYMENT_PATTERNS.pem.test(value) ? callback() : callback(new Error(t('payments.pemInvalid')));
      },
    };
  }

  const rules = computed<FormRules<AlipayForm>>(() => ({
    appId: [
      { required: true, message: t('payments.fieldRequired'), trigger: 'blur' },
      { pattern: PAYMENT_PATTERNS.alipayAppId, message: t('payments.alipay.appIdInvalid'), trigger: 'blur' },
    ],
    privateKey: [secret('privateKey')],
    alipayPublicKey: [secret('alipayPublicKey')],
  }));

  function bodyOf(): AlipaySettingsInput {
    const privateKey = form.privateKey.trim();
    const alipayPublicKey = form.alipayPublicKey.trim();
    return {
      appId: form.appId.trim(),
      ...(privateKey ? { privateKey } : {}),
      ...(alipayPublicKey ? { alipayPublicKey } : {}),
    };
  }

  async function save(): Promise<void> {
    const valid = await formRef.value?.validate().catch(() => false);
    if (!valid) return;
    saving.value = true;
    try {
      apply(await updateAlipaySettings(bodyOf()));
      reset();
      ElMessage.success(t('payments.alipay.saved'));
    } catch {
      // Shown by the request client; the form keeps the input.
    } finally {
      saving.value = false;
    }
  }

  async function remove(): Promise<void> {
    try {
      await ElMessageBox.confirm(t('payments.alipay.removeConfirm'), t('payments.alipay.remove'), {
        type: 'warning',
        confirmButtonText: t('payments.alipay.remove'),
        cancelButtonText: t('common.cancel'),
      });
    } catch {
      return;
    }
    removing.value = true;
    try {
      apply(await deleteAlipaySettings());
      reset();
      ElMessage.success(t('payments.alipay.removed'));
    } catch {
      // Shown by the request client.
    } finally {
      removing.value = false;
    }
  }

  // Reset only when what the server holds for Alipay changed, not on every other change of the settings.
  watch(() => JSON.stringify(saved.value), reset, { immediate: true });

  return { form, rules, saved, stored, saving, removing, save, remove, reset };
}
