import { computed, ref } from 'vue';
import { onShow } from '@dcloudio/uni-app';
import type { BindPhoneResult } from '@shopfleet/contracts';
import { SHOPPER_NICKNAME_MAX } from '@shopfleet/contracts/constants';
import { bindPhone, bindPhoneWechat, getMe, updateMyProfile, uploadMyAvatar } from '../api/auth';
import { t } from '../locales';
import { phoneBindMethod } from '../platform/login';
import { describeError } from '../request';
import { sessionState, setMe } from '../stores/session';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';
import { useSignInGate } from './use-sign-in-gate';
import { useSmsCode } from './use-sms-code';

/**
 * The profile page: the avatar (WeChat's chooser in the mini-program, an image on h5, uploaded and set at once), the
 * nickname, and the phone (WeChat's phone-number button in the mini-program, an SMS code on h5). A phone another
 * account of the shop used merges that account into this one: its orders, coupons and the rest show here from now on.
 */
export function useProfile() {
  const gate = useSignInGate();
  const me = computed(() => sessionState.me);
  const loading = ref(false);
  const error = ref<string | null>(null);

  const nickname = ref('');
  const savingNickname = ref(false);
  const uploadingAvatar = ref(false);
  const nicknameChanged = computed(() => {
    const typed = nickname.value.trim();
    return typed.length > 0 && typed !== (me.value?.nickname ?? '');
  });

  const binding = ref(false);
  const sms = useSmsCode((e) => toast(describeError(e)));
  const canBind = computed(() => sms.ready.value && !binding.value);

  async function load() {
    if (!gate.admit()) return;
    loading.value = true;
    error.value = null;
    try {
      setMe(await getMe());
      // A name being typed stays (the page shows again after WeChat's avatar chooser or the album closes).
      if (!nicknameChanged.value) nickname.value = me.value?.nickname ?? '';
    } catch (e) {
      if (!gate.lapsed(e)) error.value = describeError(e);
    } finally {
      loading.value = false;
    }
  }

  function toast(title: string) {
    uni.showToast({ title, icon: 'none' });
  }

  async function saveNickname() {
    if (!nicknameChanged.value || savingNickname.value) return;
    savingNickname.value = true;
    try {
      setMe(await updateMyProfile({ nickname: nickname.value.trim() }));
      nickname.value = me.value?.nickname ?? '';
      toast(t('profile.saved'));
    } catch (e) {
      toast(describeError(e));
    } finally {
      savingNickname.value = false;
    }
  }

  /** A local image chosen (WeChat's avatar chooser, or the album on h5): uploaded, and it becomes the avatar. */
  async function avatarChosen(path: string) {
    if (uploadingAvatar.value) return;
    uploadingAvatar.value = true;
    try {
      const avatar = await uploadMyAvatar(path);
      if (sessionState.me) setMe({ ...sessionState.me, avatarUrl: avatar.url });
      toast(t('profile.avatarSaved'));
    } catch (e) {
      toast(describeError(e));
    } finally {
      uploadingAvatar.value = false;
    }
  }

  /** After a bind: what the page shows is the account as it is now (after a merge, with the other's phone). */
  async function bound(result: BindPhoneResult) {
    setMe(result.me);
    sms.reset();
    uni.showToast({ title: result.merged ? t('profile.merged') : t('profile.phoneBound'), icon: 'none' });
    await load();
  }

  async function bindWith(action: () => Promise<BindPhoneResult>) {
    if (binding.value) return;
    binding.value = true;
    try {
      await bound(await action());
    } catch (e) {
      toast(describeError(e));
    } finally {
      binding.value = false;
    }
  }

  const bindBySms = () =>
    canBind.value ? bindWith(() => bindPhone(sms.phone.value, sms.code.value)) : Promise.resolve();
  const bindByWechat = (buttonCode: string) => bindWith(() => bindPhoneWechat(buttonCode));

  useShopBars({ tabPage: false, title: () => t('nav.profile') });
  onShow(() => void load());

  return {
    ...useThemeVars(),
    primaryStyle: usePrimaryButtonStyle(),
    signedIn: gate.signedIn,
    me,
    loading,
    error,
    retry: load,
    nickname,
    nicknameMax: SHOPPER_NICKNAME_MAX,
    nicknameChanged,
    savingNickname,
    saveNickname,
    uploadingAvatar,
    avatarChosen,
    phoneBindMethod,
    phone: sms.phone,
    code: sms.code,
    sending: sms.sending,
    binding,
    canSend: sms.canSend,
    canBind,
    sendLabel: sms.sendLabel,
    sendCode: sms.sendCode,
    bindBySms,
    bindByWechat,
  };
}
