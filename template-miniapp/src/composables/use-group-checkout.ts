import { computed, ref } from 'vue';
import { onLoad, onShow } from '@dcloudio/uni-app';
import type { Group, ShopGroupBuy, ShopProductDetail } from '@shopfleet/contracts';
import { BUYER_REMARK_MAX } from '@shopfleet/contracts/constants';
import { getProduct } from '../api/catalog';
import { buyInGroup, getGroup, shopGroupBuy } from '../api/group-buys';
import { t } from '../locales';
import { pageQueryId } from '../platform/page-query';
import { ApiError, describeError } from '../request';
import { setClockOffset } from '../stores/flash';
import { isSignedIn } from '../stores/session';
import { clockOffset } from '../utils/flash';
import { leaderPriceFen, seatsLeft } from '../utils/group';
import { newIdempotencyKey } from '../utils/ids';
import { imageUrl } from '../utils/image';
import { formatFen } from '../utils/money';
import { openLogin, openPay } from '../utils/routes';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';
import { useAddressChoice } from './use-address-choice';
import { useLoginRedirect } from './use-login-redirect';

type Campaign = NonNullable<ShopGroupBuy['campaign']>;

/**
 * The group checkout: a SKU of a group-buy campaign bought to start a group (as its leader, at the group price less the
 * leader's discount) or to take a seat in one. The address is chosen as checkout chooses it; the order (its shipping the
 * shop's, shown on the payment page) goes to payment, and once paid the group's page. One Idempotency-Key for this
 * visit of the page: a retry after a lost answer returns the order the first try placed.
 */
export function useGroupCheckout() {
  const campaignId = ref<number | null>(null);
  const productId = ref<number | null>(null);
  const skuId = ref<number | null>(null);
  const groupId = ref<number | null>(null);
  const quantityAsked = ref(1);
  const idempotencyKey = newIdempotencyKey();

  const signedIn = ref(false);
  const sendToLogin = useLoginRedirect();
  const choice = useAddressChoice(() => {
    signedIn.value = isSignedIn();
  });

  const campaign = ref<Campaign | null>(null);
  const product = ref<ShopProductDetail | null>(null);
  const group = ref<Group | null>(null);
  const loaded = ref(false);
  const loadError = ref<string | null>(null);
  const remark = ref('');
  const submitting = ref(false);
  const submitError = ref<string | null>(null);

  const invalid = computed(() => campaignId.value === null || productId.value === null || skuId.value === null);
  const leader = computed(() => groupId.value === null);
  const item = computed(() => campaign.value?.items.find((i) => i.skuId === skuId.value) ?? null);
  /** The campaign is over, the SKU left it, or the group to join is no longer open. */
  const gone = computed(
    () => loaded.value && (!item.value || (!leader.value && !!group.value && !group.value.canJoin)),
  );
  const quantity = computed(() => Math.min(quantityAsked.value, campaign.value?.perShopperLimit ?? 1));
  const unitFen = computed(() => {
    const i = item.value;
    if (!i) return 0;
    return leader.value ? leaderPriceFen(i.groupPriceFen, campaign.value?.leaderDiscountFen ?? 0) : i.groupPriceFen;
  });
  const totalText = computed(() => (item.value ? formatFen(unitFen.value * quantity.value) : '--'));
  const title = computed(() => product.value?.title ?? '');
  const lineImage = computed(() => {
    const p = product.value;
    const sku = p?.skus.find((s) => s.id === skuId.value);
    return imageUrl(sku?.image ?? p?.images[0], 'thumb') || null;
  });
  /** What this order does: start a group of n, or join someone's (and how many it still needs). */
  const roleText = computed(() => {
    const c = campaign.value;
    if (!c) return '';
    if (leader.value) return t('group.checkoutStart', { size: c.groupSize });
    const g = group.value;
    const name = g?.members.find((m) => m.leader)?.nickname || t('group.someone');
    return g ? t('group.checkoutJoin', { name, count: seatsLeft(g) }) : '';
  });
  const leaderNote = computed(() => {
    const off = campaign.value?.leaderDiscountFen ?? 0;
    return leader.value && off > 0 ? t('group.leaderDiscount', { amount: formatFen(off) }) : '';
  });
  const canSubmit = computed(() => !!item.value && !!choice.address.value && !submitting.value && !gone.value);

  async function loadCampaign() {
    if (productId.value === null || campaignId.value === null) return;
    loadError.value = null;
    try {
      const [answer, p, g] = await Promise.all([
        shopGroupBuy(productId.value),
        getProduct(productId.value),
        groupId.value === null ? Promise.resolve(null) : getGroup(groupId.value),
      ]);
      setClockOffset(clockOffset(answer.now));
      campaign.value = answer.campaign?.id === campaignId.value ? answer.campaign : null;
      product.value = p;
      group.value = g;
      loaded.value = true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        // The product, or the group to join, is gone.
        loaded.value = true;
        campaign.value = null;
      } else loadError.value = describeError(e);
    }
  }

  async function refresh() {
    signedIn.value = isSignedIn();
    if (!signedIn.value) sendToLogin();
    if (!signedIn.value || invalid.value) return;
    await Promise.all([choice.loadAddresses(), loadCampaign()]);
  }

  async function submit() {
    if (submitting.value) return;
    const address = choice.address.value;
    if (!address) {
      uni.showToast({ title: t('checkout.needAddress'), icon: 'none' });
      return;
    }
    const c = campaign.value;
    const i = item.value;
    if (!c || !i) return;
    submitting.value = true;
    submitError.value = null;
    try {
      const order = await buyInGroup(
        c.id,
        {
          groupId: groupId.value,
          skuId: i.skuId,
          quantity: quantity.value,
          addressId: address.id,
          remark: remark.value.trim().slice(0, BUYER_REMARK_MAX),
        },
        idempotencyKey,
      );
      openPay(order.id, true);
    } catch (e) {
      if (e instanceof ApiError && e.status > 0 && e.status < 500) {
        submitError.value = describeError(e);
        // Full, over, not running: the campaign and the group as the server has them now.
        if (e.status === 409) void loadCampaign();
      } else {
        // No answer, or a server failure: the order may or may not exist; the same key makes a retry safe.
        submitError.value = t('checkout.retrySafe', { error: describeError(e) });
      }
    } finally {
      submitting.value = false;
    }
  }

  function back() {
    if (getCurrentPages().length > 1) uni.navigateBack();
    else uni.switchTab({ url: '/pages/index/index' });
  }

  useShopBars({ tabPage: false, title: () => t('nav.groupCheckout') });
  onLoad((query) => {
    campaignId.value = pageQueryId(query, 'campaign');
    productId.value = pageQueryId(query, 'product');
    skuId.value = pageQueryId(query, 'sku');
    groupId.value = pageQueryId(query, 'group');
    quantityAsked.value = pageQueryId(query, 'quantity') ?? 1;
  });
  onShow(() => {
    void refresh();
  });

  return {
    ...useThemeVars(),
    primaryStyle: usePrimaryButtonStyle(),
    REMARK_MAX: BUYER_REMARK_MAX,
    invalid,
    signedIn,
    addressesLoaded: choice.addressesLoaded,
    addressError: choice.addressError,
    address: choice.address,
    addressText: choice.addressText,
    addressPhone: choice.addressPhone,
    changeAddress: choice.changeAddress,
    item,
    leader,
    loaded,
    loadError,
    gone,
    quantity,
    unitFen,
    totalText,
    title,
    lineImage,
    roleText,
    leaderNote,
    remark,
    submitting,
    submitError,
    canSubmit,
    submit,
    back,
    retry: refresh,
    goSignIn: openLogin,
  };
}
