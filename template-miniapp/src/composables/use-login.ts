import { computed, onUnmounted, ref } from 'vue';
import type { TokenPair } from '@shopfleet/contracts';
import { PHONE_PATTERN, SMS_CODE_PATTERN } from '@shopfleet/contracts/constants';
import { phoneLogin, sendSmsCode } from '../api/auth';
import { t } from '../locales';
import { loginMethod, signInWithPlatform } from '../platform/login';
import { describeError } from '../request';
import { setTokens } from '../stores/session';
import { shopAppearance } from '../stores/shop';
import { usePrimaryButtonStyle, useShopBars } from './shop-theme';

/** The sign-in page: WeChat on mp-weixin, phone + SMS code on h5 (the platform decides which). */
export function useLogin() {
  const phone = ref('');
  const code = ref('');
  const countdown = ref(0);
  const sending = ref(false);
  const submitting = ref(false);
  const error = ref<string | null>(null);
  const shopName = computed(() => shopAppearance.value?.name ?? null);
  let timer: ReturnType<typeof setInterval> | null = null;

  const phoneValid = computed(() => PHONE_PATTERN.test(phone.value));
  const canSend = computed(() => phoneValid.value && countdown.value === 0 && !sending.value);
  const canSubmit = computed(() => phoneValid.value && SMS_CODE_PATTERN.test(code.value) && !submitting.value);
  const sendLabel = computed(() =>
    countdown.value > 0 ? t('login.resendIn', { seconds: countdown.value }) : t('login.sendCode'),
  );

  function stopCountdown() {
    if (timer) clearInterval(timer);
    timer = null;
  }

  function startCountdown(seconds: number) {
    stopCountdown();
    countdown.value = Math.max(0, Math.ceil(seconds));
    if (countdown.value === 0) return;
    timer = setInterval(() => {
      countdown.value -= 1;
      if (countdown.value <= 0) stopCountdown();
    }, 1000);
  }

  async function sendCode() {
    if (!canSend.value) return;
    error.value = null;
    sending.value = true;
    try {
      const res = await sendSmsCode(phone.value);
      startCountdown(res.retryAfterSeconds);
      uni.showToast({ title: t('login.codeSent'), icon: 'none' });
    } catch (e) {
      error.value = describeError(e);
    } finally {
      sending.value = false;
    }
  }

  function finish(tokens: TokenPair) {
    setTokens(tokens);
    uni.showToast({ title: t('login.success'), icon: 'success' });
    if (getCurrentPages().length > 1) uni.navigateBack();
    else uni.switchTab({ url: '/pages/user/index' });
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

  const submitPhone = () => (canSubmit.value ? run(() => phoneLogin(phone.value, code.value)) : Promise.resolve());
  const submitPlatform = () => run(signInWithPlatform);

  useShopBars({ tabPage: false, title: () => t('nav.login') });
  onUnmounted(stopCountdown);

  return {
    method: loginMethod,
    primaryStyle: usePrimaryButtonStyle(),
    shopName,
    phone,
    code,
    countdown,
    sending,
    submitting,
    error,
    canSend,
    canSubmit,
    sendLabel,
    sendCode,
    submitPhone,
    submitPlatform,
  };
}
