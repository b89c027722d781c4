import { computed, ref } from 'vue';
import type { TokenPair } from '@shopfleet/contracts';
import { phoneLogin } from '../api/auth';
import { t } from '../locales';
import { loginMethod, signInWithPlatform } from '../platform/login';
import { describeError } from '../request';
import { setTokens } from '../stores/session';
import { shopAppearance } from '../stores/shop';
import { usePrimaryButtonStyle, useShopBars } from './shop-theme';
import { useSmsCode } from './use-sms-code';
import { USER_PAGE, openTabPage } from '../utils/routes';

/** The sign-in page: WeChat on mp-weixin, phone + SMS code on h5 (the platform decides which). */
export function useLogin() {
  const submitting = ref(false);
  const error = ref<string | null>(null);
  const shopName = computed(() => shopAppearance.value?.name ?? null);
  const sms = useSmsCode((e) => {
    error.value = describeError(e);
  });
  const canSubmit = computed(() => sms.ready.value && !submitting.value);

  async function sendCode() {
    if (!sms.canSend.value) return;
    error.value = null;
    await sms.sendCode();
  }

  function finish(tokens: TokenPair) {
    setTokens(tokens);
    uni.showToast({ title: t('login.success'), icon: 'success' });
    if (getCurrentPages().length > 1) uni.navigateBack();
    else openTabPage(USER_PAGE);
  }

  async function run(action: () => Promise<TokenPair>) {
    if (submitting.value) return;
    error.value = null;
    submitting.value = true;
    try {
      finish(await action());
    } catch (e) {
      error.value = describeError(e);
    } finally {
      submitting.value = false;
    }
  }

  const submitPhone = () =>
    canSubmit.value ? run(() => phoneLogin(sms.phone.value, sms.code.value)) : Promise.resolve();
  const submitPlatform = () => run(signInWithPlatform);

  useShopBars({ tabPage: false, title: () => t('nav.login') });

  return {
    method: loginMethod,
    primaryStyle: usePrimaryButtonStyle(),
    shopName,
    phone: sms.phone,
    code: sms.code,
    countdown: sms.countdown,
    sending: sms.sending,
    submitting,
    error,
    canSend: sms.canSend,
    canSubmit,
    sendLabel: sms.sendLabel,
    sendCode,
    submitPhone,
    submitPlatform,
  };
}
