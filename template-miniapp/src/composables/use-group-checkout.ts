import { computed, ref } from 'vue';
import type { Group, Order, ShopGroupBuy, ShopProductDetail } from '@shopfleet/contracts';
import { getProduct } from '../api/catalog';
import { buyInGroup, getGroup, shopGroupBuy } from '../api/group-buys';
import { t } from '../locales';
import { pageQueryId } from '../platform/page-query';
import { ApiError, describeError } from '../request';
import { setClockOffset } from '../stores/flash';
import { clockOffset } from '../utils/flash';
import { leaderPriceFen, seatsLeft } from '../utils/group';
import { imageUrl } from '../utils/image';
import { formatFen } from '../utils/money';
import { useCampaignCheckout } from './use-campaign-checkout';

type Campaign = NonNullable<ShopGroupBuy['campaign']>;

/**
 * The group checkout: a SKU of a group-buy campaign bought to start a group (as its leader, at the group price less the
 * leader's discount) or to take a seat in one, through the flow every campaign's checkout shares (useCampaignCheckout).
 * Once paid, the order leads to the group's page.
 */
export function useGroupCheckout() {
  const campaignId = ref<number | null>(null);
  const productId = ref<number | null>(null);
  const skuId = ref<number | null>(null);
  const groupId = ref<number | null>(null);

  const campaign = ref<Campaign | null>(null);
  const product = ref<ShopProductDetail | null>(null);
  const group = ref<Group | null>(null);

  const leader = computed(() => groupId.value === null);
  const item = computed(() => campaign.value?.items.find((i) => i.skuId === skuId.value) ?? null);

  async function loadCampaign() {
    if (productId.value === null || campaignId.value === null) return;
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
    } catch (e) {
      // The product, or the group to join, is gone.
      if (!(e instanceof ApiError && e.status === 404)) throw e;
      campaign.value = null;
    }
  }

  function joinOrStart(
    target: { campaign: Campaign; item: Campaign['items'][number] },
    req: { addressId: number; remark: string },
    idempotencyKey: string,
  ): Promise<Order> {
    const body = { ...req, groupId: groupId.value, skuId: target.item.skuId, quantity: quantity.value };
    return buyInGroup(target.campaign.id, body, idempotencyKey);
  }

  const checkout = useCampaignCheckout({
    title: () => t('nav.groupCheckout'),
    readQuery: (query) => {
      campaignId.value = pageQueryId(query, 'campaign');
      productId.value = pageQueryId(query, 'product');
      skuId.value = pageQueryId(query, 'sku');
      groupId.value = pageQueryId(query, 'group');
    },
    invalid: () => campaignId.value === null || productId.value === null || skuId.value === null,
    load: loadCampaign,
    target: () => (campaign.value && item.value ? { campaign: campaign.value, item: item.value } : null),
    open: (): boolean => !gone.value,
    place: joinOrStart,
    errorText: describeError,
  });

  /** The campaign is over, the SKU left it, or the group to join is no longer open. */
  const gone = computed(
    () => checkout.loaded.value && (!item.value || (!leader.value && !!group.value && !group.value.canJoin)),
  );
  const quantity = computed(() => Math.min(checkout.quantityAsked.value, campaign.value?.perShopperLimit ?? 1));
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

  return {
    checkout,
    item,
    leader,
    gone,
    quantity,
    unitFen,
    totalText,
    title,
    lineImage,
    roleText,
    leaderNote,
  };
}
