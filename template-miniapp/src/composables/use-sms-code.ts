import { computed, onUnmounted, ref } from 'vue';
import { PHONE_PATTERN, SMS_CODE_PATTERN } from '@shopfleet/contracts/constants';
import { sendSmsCode } from '../api/auth';
import { t } from '../locales';

/**
 * A phone and the six-digit code texted to it (the sign-in page, and binding a phone on h5): the send button with its
 * wait before the next code, and whether both are well-formed. `failed` says why a send failed, as the page shows it.
 */
export function useSmsCode(failed: (error: unknown) => void) {
  const phone = ref('');
  const code = ref('');
  const countdown = ref(0);
  const sending = ref(false);
  let timer: ReturnType<typeof setInterval> | null = null;

  const phoneValid = computed(() => PHONE_PATTERN.test(phone.value));
  const ready = computed(() => phoneValid.value && SMS_CODE_PATTERN.test(code.value));
  const canSend = computed(() => phoneValid.value && countdown.value === 0 && !sending.value);
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
    sending.value = true;
    try {
      startCountdown((await sendSmsCode(phone.value)).retryAfterSeconds);
      uni.showToast({ title: t('login.codeSent'), icon: 'none' });
    } catch (e) {
      failed(e);
    } finally {
      sending.value = false;
    }
  }

  /** Empties the form (the phone was bound). */
  function reset() {
    phone.value = '';
    code.value = '';
    stopCountdown();
    countdown.value = 0;
  }

  onUnmounted(stopCountdown);

  return { phone, code, countdown, sending, ready, canSend, sendLabel, sendCode, reset };
}
