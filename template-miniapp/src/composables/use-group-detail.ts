import { computed, onUnmounted, ref, watch } from 'vue';
import { onHide, onLoad, onPullDownRefresh, onShow } from '@dcloudio/uni-app';
import type { Group } from '@shopfleet/contracts';
import { getGroup } from '../api/group-buys';
import { t } from '../locales';
import { copyPageLink, inviteOpenType, pageLink } from '../platform/share';
import { pageQueryId } from '../platform/page-query';
import { ApiError, describeError } from '../request';
import { setClockOffset } from '../stores/flash';
import { shopAppearance, shopState } from '../stores/shop';
import { clockOffset } from '../utils/flash';
import { groupSlots, groupStateAt, seatsLeft } from '../utils/group';
import { formatFen } from '../utils/money';
import { groupPagePath, openLogin, openOrder, openOrders, openProduct, openProductToJoin } from '../utils/routes';
import { shareMessage, type ShareMessage } from '../utils/share';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';
import { useServerClock } from './use-server-clock';
import { useSignInGate } from './use-sign-in-gate';

/** While a group forms, it is read again this often (a friend may have joined), as long as the page is shown. */
const FORMING_POLL_MS = 10_000;

/**
 * A group's page (pages/group/detail?id=): its product and price, n / m joined, the members (the leader marked, the
 * empty seats shown), the countdown to its end on the server's clock, where it stands (awaiting the leader, forming,
 * formed, failed and refunded), joining for a shopper who can join, and the invitation: the mini-program's share, or on h5 the
 * page's link copied. Read again on each showing, and every few seconds while it forms.
 */
export function useGroupDetail() {
  const groupId = ref<number | null>(null);
  const group = ref<Group | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const missing = ref(false);
  const { signedIn, admit, lapsed } = useSignInGate();
  const clock = useServerClock();
  let poll: ReturnType<typeof setInterval> | null = null;

  const state = computed(() => (group.value ? groupStateAt(group.value, clock.nowMs.value) : null));
  const statusText = computed(() => (state.value ? t(`group.status.${state.value}`) : ''));
  const hintText = computed(() => {
    const g = group.value;
    if (!g || !state.value) return '';
    if (state.value === 'forming') return t('group.hint.forming', { count: seatsLeft(g) });
    return t(`group.hint.${state.value}`);
  });
  const countdown = computed(() =>
    state.value === 'forming' && group.value?.expiresAt ? clock.countdownTo(group.value.expiresAt) : '',
  );
  const joinedText = computed(() =>
    group.value ? t('group.joined', { joined: group.value.joined, size: group.value.size }) : '',
  );
  const slots = computed(() => (group.value ? groupSlots(group.value) : []));
  const priceText = computed(() => (group.value ? formatFen(group.value.groupPriceFen) : ''));
  const struckText = computed(() => (group.value ? formatFen(group.value.priceFen) : ''));
  const sizeText = computed(() => (group.value ? t('group.size', { count: group.value.size }) : ''));
  const canJoin = computed(() => !!group.value?.canJoin && state.value === 'forming');
  /** A group still forming is worth sharing: whoever opens it may join. */
  const canInvite = computed(() => state.value === 'forming');
  const path = computed(() => (groupId.value === null ? '/pages/index/index' : groupPagePath(groupId.value)));
  const inviteLink = computed(() => pageLink(path.value));

  async function load() {
    if (!admit()) return;
    if (groupId.value === null) {
      missing.value = true;
      return;
    }
    loading.value = true;
    error.value = null;
    try {
      const g = await getGroup(groupId.value);
      setClockOffset(clockOffset(g.now));
      clock.tick();
      group.value = g;
      missing.value = false;
    } catch (e) {
      if (lapsed(e)) return;
      if (e instanceof ApiError && e.status === 404) missing.value = true;
      else error.value = describeError(e);
    } finally {
      loading.value = false;
    }
  }

  function startPolling() {
    stopPolling();
    poll = setInterval(() => {
      if (group.value?.status === 'forming' || group.value?.status === 'pending') void load();
    }, FORMING_POLL_MS);
  }

  function stopPolling() {
    if (poll) clearInterval(poll);
    poll = null;
  }

  // Its time is up on the clock: how it ended, as the server has it.
  watch(state, (now, before) => {
    if (now === 'ending' && before === 'forming') void load();
  });

  function join() {
    const g = group.value;
    if (g) openProductToJoin(g.productId, g.id);
  }

  /** h5: the link copied (the mini-program's button shares through onShareAppMessage instead). */
  function invite() {
    copyPageLink(inviteLink.value, t('group.linkCopied'));
  }

  /** The group as a chat message: the price, the seats left and the product; opening it opens this page. */
  function shareToChat(): ShareMessage {
    const g = group.value;
    const title = g
      ? t('group.shareTitle', { price: formatFen(g.groupPriceFen), count: seatsLeft(g), title: g.productTitle })
      : undefined;
    const message = shareMessage(shopAppearance.value, { path: path.value, title, shopName: shopState.shop?.name });
    return g?.imageUrl ? { ...message, imageUrl: g.imageUrl } : message;
  }

  useShopBars({ tabPage: false, title: () => t('nav.group') });
  onLoad((query) => {
    groupId.value = pageQueryId(query, 'id');
  });
  onShow(() => {
    void load();
    startPolling();
  });
  onHide(stopPolling);
  onUnmounted(stopPolling);
  onPullDownRefresh(() => {
    void load().finally(() => uni.stopPullDownRefresh());
  });

  return {
    ...useThemeVars(),
    primaryStyle: usePrimaryButtonStyle(),
    signedIn,
    group,
    loading,
    error,
    missing,
    state,
    statusText,
    hintText,
    countdown,
    joinedText,
    slots,
    priceText,
    struckText,
    sizeText,
    canJoin,
    canInvite,
    inviteOpenType: inviteOpenType(),
    inviteLink,
    invite,
    join,
    shareToChat,
    openProduct: () => group.value && openProduct(group.value.productId),
    // The shopper's own order in the group (to pay it while it waits, or to follow it); the list if there is none.
    openOrders: () => (group.value?.myOrderId ? openOrder(group.value.myOrderId) : openOrders()),
    goSignIn: openLogin,
    retry: load,
  };
}
