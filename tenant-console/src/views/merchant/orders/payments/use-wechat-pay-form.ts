import { computed, reactive, ref, useTemplateRef, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox, type FormInstance, type FormItemRule, type FormRules } from 'element-plus';
import type { PaymentSettings, WechatPaySettingsInput } from '@shopfleet/contracts';
import { PAYMENT_PATTERNS, PEM_MAX_CHARS } from '@shopfleet/contracts/constants';
import { deleteWechatPaySettings, updateWechatPaySettings } from '@/api/payments';

export type WechatPayMode = WechatPaySettingsInput['mode'];

export interface WechatPayForm {
  mode: WechatPayMode;
  appId: string;
  /** merchant mode */
  mchId: string;
  serialNo: string;
  /** Secrets: empty keeps the stored one. */
  privateKey: string;
  apiV3Key: string;
  publicKeyId: string;
  publicKey: string;
  /** partner mode */
  subMchId: string;
}

type Secret = 'privateKey' | 'apiV3Key' | 'publicKey';

/**
 * WeChat Pay: as a merchant with its own merchant account (AppID, mchid, API certificate serial and
 * private key, APIv3 key, WeChat Pay public key and its id), or as a sub-merchant of the platform
 * (AppID and sub_mchid). Secrets are never shown: an empty box keeps the stored one.
 */
export function useWechatPayForm(settings: Ref<PaymentSettings | null>, apply: (next: PaymentSettings) => void) {
  const { t } = useI18n();
  const formRef = useTemplateRef<FormInstance>('wechatForm');
  const form = reactive<WechatPayForm>({
    mode: 'merchant',
    appId: '',
    mchId: '',
    serialNo: '',
    privateKey: '',
    apiV3Key: '',
    publicKeyId: '',
    publicKey: '',
    subMchId: '',
  });
  const saving = ref(false);
  const removing = ref(false);

  const saved = computed(() => settings.value?.wechat ?? null);
  const partnerAvailable = computed(() => settings.value?.partnerAvailable ?? false);

  /** A secret is stored for merchant mode (and so may be left empty). */
  function stored(secret: Secret): boolean {
    const wechat = saved.value;
    if (!wechat || wechat.mode !== 'merchant') return false;
    if (secret === 'privateKey') return wechat.hasPrivateKey;
    if (secret === 'apiV3Key') return wechat.hasApiV3Key;
    return wechat.hasPublicKey;
  }

  function reset(): void {
    const wechat = saved.value;
    Object.assign(form, {
      mode: wechat?.mode ?? 'merchant',
      appId: wechat?.appId ?? '',
      mchId: wechat?.mchId ?? '',
      serialNo: wechat?.serialNo ?? '',
      privateKey: '',
      apiV3Key: '',
      publicKeyId: wechat?.publicKeyId ?? '',
      publicKey: '',
      subMchId: wechat?.subMchId ?? '',
    });
    formRef.value?.clearValidate();
  }

  function pattern(
    field: keyof WechatPayForm,
    regex: RegExp,
    message: () => string,
    modes: readonly WechatPayMode[],
  ): FormItemRule {
    return {
      required: true,
      trigger: 'blur',
      validator: (_rule, _value, callback) => {
        if (!modes.includes(form.mode)) return callback();
        const value = form[field].trim();
        if (!value) return callback(new Error(t('payments.fieldRequired')));
        return regex.test(value) ? callback() : callback(new Error(message()));
      },
    };
  }

  function secret(field: Secret, regex: RegExp, message: () => string): FormItemRule {
    return {
      // Only a secret not stored yet must be given (the form item shows the mark).
      required: !stored(field),
      trigger: 'blur',
      validator: (_rule, _value, callback) => {
        if (form.mode !== 'merchant') return callback();
        const value = form[field].trim();
        if (!value) return stored(field) ? callback() : callback(new Error(t('payments.secretRequired')));
        if (value.length > PEM_MAX_CHARS) return callback(new Error(t('payments.pemTooLong', { max: PEM_MAX_CHARS })));
        return regex.test(value) ? callback() : callback(new Error(message()));
      },
    };
  }

  const rules = computed<FormRules<WechatPayForm>>(() => ({
    appId: [
      pattern('appId', PAYMENT_PATTERNS.wechatAppId, () => t('payments.wechat.appIdInvalid'), ['merchant', 'partner']),
    ],
    mchId: [pattern('mchId', PAYMENT_PATTERNS.mchId, () => t('payments.wechat.mchIdInvalid'), ['merchant'])],
    serialNo: [
      pattern('serialNo', PAYMENT_PATTERNS.serialNo, () => t('payments.wechat.serialNoInvalid'), ['merchant']),
    ],
    privateKey: [secret('privateKey', PAYMENT_PATTERNS.pem, () => t('payments.pemInvalid'))],
    apiV3Key: [secret('apiV3Key', PAYMENT_PATTERNS.apiV3Key, () => t('payments.wechat.apiV3KeyInvalid'))],
    publicKeyId: [
      pattern('publicKeyId', PAYMENT_PATTERNS.publicKeyId, () => t('payments.wechat.publicKeyIdInvalid'), ['merchant']),
    ],
    publicKey: [secret('publicKey', PAYMENT_PATTERNS.pem, () => t('payments.pemInvalid'))],
    subMchId: [pattern('subMchId', PAYMENT_PATTERNS.mchId, () => t('payments.wechat.subMchIdInvalid'), ['partner'])],
  }));

  function bodyOf(): WechatPaySettingsInput {
    const appId = form.appId.trim();
    if (form.mode === 'partner') return { mode: 'partner', appId, subMchId: form.subMchId.trim() };
    const privateKey = form.privateKey.trim();
    const apiV3Key = form.apiV3Key.trim();
    const publicKey = form.publicKey.trim();
    return {
      mode: 'merchant',
      appId,
      mchId: form.mchId.trim(),
      serialNo: form.serialNo.trim(),
      publicKeyId: form.publicKeyId.trim(),
      ...(privateKey ? { privateKey } : {}),
      ...(apiV3Key ? { apiV3Key } : {}),
      ...(publicKey ? { publicKey } : {}),
    };
  }

  async function save(): Promise<void> {
    if (form.mode === 'partner' && !partnerAvailable.value) {
      ElMessage.error(t('payments.wechat.partnerUnavailable'));
      return;
    }
    const valid = await formRef.value?.validate().catch(() => false);
    if (!valid) return;
    saving.value = true;
    try {
      apply(await updateWechatPaySettings(bodyOf()));
      reset();
      ElMessage.success(t('payments.wechat.saved'));
    } catch {
      // Shown by the request client; the form keeps the input.
    } finally {
      saving.value = false;
    }
  }

  async function remove(): Promise<void> {
    try {
      await ElMessageBox.confirm(t('payments.wechat.removeConfirm'), t('payments.wechat.remove'), {
        type: 'warning',
        confirmButtonText: t('payments.wechat.remove'),
        cancelButtonText: t('common.cancel'),
      });
    } catch {
      return;
    }
    removing.value = true;
    try {
      apply(await deleteWechatPaySettings());
      reset();
      ElMessage.success(t('payments.wechat.removed'));
    } catch {
      // Shown by the request client.
    } finally {
      removing.value = false;
    }
  }

  // The form follows what the server holds for WeChat Pay whenever that changes (loaded, saved,
  // removed), and keeps what is being typed when only something else changed (test mode, Alipay).
  watch(() => JSON.stringify(saved.value), reset, { immediate: true });
  watch(
    () => form.mode,
    () => formRef.value?.clearValidate(),
  );

  return { form, rules, saved, partnerAvailable, stored, saving, removing, save, remove, reset };
}
