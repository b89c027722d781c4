import { computed, ref, shallowRef } from 'vue';
import { onShow } from '@dcloudio/uni-app';
import type { MemberCentre } from '@shopfleet/contracts';
import { memberCentre, signIn } from '../api/members';
import { t } from '../locales';
import { ApiError, describeError } from '../request';
import { streakStrip } from '../utils/members';
import { openPoints } from '../utils/routes';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';
import { useSignInGate } from './use-sign-in-gate';

/** Reasons the sign-in refuses that the page says in place of the button's result (by code, never by message). */
const REFUSALS = new Set(['SIGNED_IN_TODAY', 'POINTS_OFF']);

/**
 * sign-in: the streak strip (each day's reward, signed, today, to come), the big button, and after signing in the points it
 * gave (+N). A refusal (signed today already on another device, points off) is said from its reason and the centre
 * read again.
 */
export function useSignIn() {
  const { signedIn, admit, lapsed } = useSignInGate();
  const centre = shallowRef<MemberCentre | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const signing = ref(false);
  /** What the sign-in just gave, shown as +N until the page is left. */
  const gained = ref<number | null>(null);
  const refusal = ref<string | null>(null);

  async function load() {
    if (!admit()) return;
    loading.value = true;
    error.value = null;
    try {
      centre.value = await memberCentre();
    } catch (e) {
      if (!lapsed(e)) error.value = describeError(e);
    } finally {
      loading.value = false;
    }
  }

  const strip = computed(() => (centre.value ? streakStrip(centre.value.signIn) : []));
  const signedToday = computed(() => centre.value?.signIn.signedToday ?? false);
  const canSign = computed(() => !!centre.value && centre.value.pointsEnabled && !signedToday.value && !signing.value);
  /** Tomorrow's reward, once today is signed. */
  const tomorrowReward = computed(() => strip.value.find((d) => d.state === 'coming')?.reward ?? 0);

  async function sign() {
    if (!canSign.value) return;
    signing.value = true;
    refusal.value = null;
    try {
      const result = await signIn();
      centre.value = result.centre;
      gained.value = result.points;
      uni.showToast({ title: t('member.signIn.gained', { points: result.points }), icon: 'none' });
    } catch (e) {
      if (lapsed(e)) return;
      if (e instanceof ApiError && e.reason && REFUSALS.has(e.reason)) {
        refusal.value = describeError(e);
        void load();
      } else {
        uni.showToast({ title: describeError(e), icon: 'none' });
      }
    } finally {
      signing.value = false;
    }
  }

  useShopBars({ tabPage: false, title: () => t('nav.signIn') });
  onShow(() => {
    void load();
  });

  return {
    ...useThemeVars(),
    primaryStyle: usePrimaryButtonStyle(),
    signedIn,
    centre,
    loading,
    error,
    strip,
    signedToday,
    canSign,
    signing,
    gained,
    refusal,
    tomorrowReward,
    sign,
    retry: load,
    goPoints: openPoints,
  };
}
