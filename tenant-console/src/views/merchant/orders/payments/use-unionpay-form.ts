import { computed, reactive, ref, useTemplateRef, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox, type FormInstance, type FormRules } from 'element-plus';
import type { PaymentSettings, UnionPaySettingsInput } from '@shopfleet/contracts';
import { PAYMENT_PATTERNS, PFX_MAX_BASE64_CHARS } from '@shopfleet/contracts/constants';
import { deleteUnionPaySettings, updateUnionPaySettings } from '@/api/payments';

export interface UnionPayForm {
  merId: string;
  /** The chosen .pfx, in base64; empty keeps the stored one. */
  pfxBase64: string;
  pfxName: string;
  pfxPassword: string;
}

/** The largest .pfx read in the browser (its base64 must fit what the server takes). */
const PFX_MAX_BYTES = Math.floor((PFX_MAX_BASE64_CHARS * 3) / 4);

function base64Of(bytes: ArrayBuffer): string {
  let binary = '';
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  return btoa(binary);
}

/**
 * UnionPay (银联全渠道) for the web shop: the merchant number and the signing certificate (.pfx) with its password. The
 * server opens the file with the password before storing it; a file it cannot open comes back with its reason.
 */
export function useUnionPayForm(settings: Ref<PaymentSettings | null>, apply: (next: PaymentSettings) => void) {
  const { t } = useI18n();
  const formRef = useTemplateRef<FormInstance>('unionpayForm');
  const form = reactive<UnionPayForm>({ merId: '', pfxBase64: '', pfxName: '', pfxPassword: '' });
  const saving = ref(false);
  const removing = ref(false);

  const saved = computed(() => settings.value?.unionpay ?? null);
  const available = computed(() => settings.value?.unionpayAvailable ?? false);

  function reset(): void {
    Object.assign(form, { merId: saved.value?.merId ?? '', pfxBase64: '', pfxName: '', pfxPassword: '' });
    formRef.value?.clearValidate();
  }

  /** A file chosen: read it whole (it is a few KB) into base64. */
  async function choose(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    if (file.size > PFX_MAX_BYTES) {
      ElMessage.error(t('payments.unionpay.pfxTooLarge'));
      return;
    }
    form.pfxBase64 = base64Of(await file.arrayBuffer());
    form.pfxName = file.name;
  }

  const rules = computed<FormRules<UnionPayForm>>(() => ({
    merId: [
      { required: true, message: t('payments.fieldRequired'), trigger: 'blur' },
      { pattern: PAYMENT_PATTERNS.unionPayMerId, message: t('payments.unionpay.merIdInvalid'), trigger: 'blur' },
    ],
    pfxBase64: [
      {
        required: !saved.value,
        validator: (_rule, _value, callback) =>
          form.pfxBase64 || saved.value ? callback() : callback(new Error(t('payments.unionpay.pfxRequired'))),
      },
    ],
    pfxPassword: [
      {
        required: !saved.value,
        trigger: 'blur',
        validator: (_rule, _value, callback) =>
          !form.pfxBase64 || form.pfxPassword
            ? callback()
            : callback(new Error(t('payments.unionpay.passwordRequired'))),
      },
    ],
  }));

  function bodyOf(): UnionPaySettingsInput {
    return {
      merId: form.merId.trim(),
      ...(form.pfxBase64 ? { pfxBase64: form.pfxBase64, pfxPassword: form.pfxPassword } : {}),
    };
  }

  async function save(): Promise<void> {
    const valid = await formRef.value?.validate().catch(() => false);
    if (!valid) return;
    saving.value = true;
    try {
      apply(await updateUnionPaySettings(bodyOf()));
      reset();
      ElMessage.success(t('payments.unionpay.saved'));
    } catch {
      // Shown by the request client (a .pfx it cannot open says why); the form keeps the input.
    } finally {
      saving.value = false;
    }
  }

  async function remove(): Promise<void> {
    try {
      await ElMessageBox.confirm(t('payments.unionpay.removeConfirm'), t('payments.unionpay.remove'), {
        type: 'warning',
        confirmButtonText: t('payments.unionpay.remove'),
        cancelButtonText: t('common.cancel'),
      });
    } catch {
      return;
    }
    removing.value = true;
    try {
      apply(await deleteUnionPaySettings());
      reset();
      ElMessage.success(t('payments.unionpay.removed'));
    } catch {
      // Shown by the request client.
    } finally {
      removing.value = false;
    }
  }

  watch(() => JSON.stringify(saved.value), reset, { immediate: true });

  return { form, rules, saved, available, saving, removing, choose, save, remove, reset };
}
