import { computed, ref, shallowRef } from 'vue';
import { onPullDownRefresh, onShow } from '@dcloudio/uni-app';
import type { MemberCentre } from '@shopfleet/contracts';
import { memberCentre } from '../api/members';
import { t } from '../locales';
import { describeError } from '../request';
import { getTokens } from '../stores/session';
import { levelProgress, memberPriceText } from '../utils/members';
import { formatDate } from '../utils/time';
import { openFavourites, openHistory, openPoints, openSignIn } from '../utils/routes';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';
import { useSignInGate } from './use-sign-in-gate';

/** What a member card and the centre say of a member: level, growth toward the next level, points. */
export function memberFigures(centre: MemberCentre) {
  const progress = levelProgress(centre);
  /** A shop without levels shows no progress at all; at the top level it says so. */
  const hasLevels = centre.level !== null || centre.nextLevel !== null;
  return {
    levelName: centre.level?.name ?? t('member.levelNone'),
    growthText: t('member.card.growth', { growth: centre.growth }),
    progress,
    hasLevels,
    progressText: progress
      ? t('member.card.toNext', { missing: progress.missing, next: progress.next })
      : hasLevels
        ? t('member.card.top')
        : '',
    /** 0..100, for a bar's width. */
    progressPercent: progress ? Math.round(progress.share * 100) : 100,
  };
}

/**
 * The member's centre as the "me" tab shows it on a card: loaded on every show while signed in (points and sign-in
 * change on other pages), forgotten when nobody is; a failure leaves it as it was (the tab works without it).
 */
export function useMemberCard() {
  const centre = shallowRef<MemberCentre | null>(null);

  async function load() {
    if (!getTokens()) {
      centre.value = null;
      return;
    }
    try {
      centre.value = await memberCentre();
    } catch {
      // The tab still works without the card.
    }
  }

  onShow(() => {
    void load();
  });

  return { memberCentre: centre };
}

/** the member centre: the level and growth toward the next one, the member price it gives, the points and the ways to them. */
export function useMemberCentrePage() {
  const { signedIn, admit, lapsed } = useSignInGate();
  const centre = shallowRef<MemberCentre | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);

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

  const figures = computed(() => (centre.value ? memberFigures(centre.value) : null));
  /** The member price of the level, or why there is none yet. */
  const benefit = computed(() => {
    const c = centre.value;
    if (!c) return null;
    if (c.level && c.level.discountPercent < 100)
      return {
        active: true,
        text: t('member.centre.memberPriceText', { price: memberPriceText(c.level.discountPercent) }),
      };
    return { active: false, text: t('member.centre.noBenefits') };
  });
  const expiringText = computed(() => {
    const soon = centre.value?.expiring;
    return soon ? t('member.centre.expiring', { points: soon.points, date: formatDate(soon.at) }) : '';
  });

  useShopBars({ tabPage: false, title: () => t('nav.memberCentre') });
  onShow(() => {
    void load();
  });
  onPullDownRefresh(() => {
    void load().finally(() => uni.stopPullDownRefresh());
  });

  return {
    ...useThemeVars(),
    primaryStyle: usePrimaryButtonStyle(),
    signedIn,
    centre,
    loading,
    error,
    figures,
    benefit,
    expiringText,
    retry: load,
    goSignIn: openSignIn,
    goPoints: openPoints,
    goFavourites: openFavourites,
    goHistory: openHistory,
  };
}
