import { computed, ref } from 'vue';
import type { Group, ShopGroupBuy } from '@shopfleet/contracts';
import { myGroups, shopGroupBuy } from '../api/group-buys';
import { isSignedIn } from '../stores/session';
import { t } from '../locales';
import { setClockOffset } from '../stores/flash';
import { clockOffset } from '../utils/flash';
import { cheapestItem, joinable, leaderPriceFen, seatsLeft } from '../utils/group';
import { formatFen } from '../utils/money';
import { useServerClock } from './use-server-clock';

type Campaign = NonNullable<ShopGroupBuy['campaign']>;
type CampaignItem = Campaign['items'][number];

/**
 * A product's group buy, for its page: the running campaign (its group prices, group size and leader discount), the open
 * groups to join with their countdowns on the server's clock, and the campaign's item of a SKU. Read on each showing of
 * the page (a group may have filled meanwhile).
 */
export function useProductGroup(productId: () => number | null) {
  const campaign = ref<Campaign | null>(null);
  const openGroups = ref<Group[]>([]);
  /** The open groups the signed-in shopper is in already: shown as theirs, not to join (the list is public). */
  const mineIds = ref<ReadonlySet<number>>(new Set());
  const clock = useServerClock();
  let generation = 0;

  const active = computed(() => !!campaign.value && campaign.value.items.length > 0);
  const cheapest = computed(() => cheapestItem(campaign.value?.items ?? []));
  /** The band's price: the lowest group price, with 'from' while the SKUs have several. */
  const priceText = computed(() => (cheapest.value ? formatFen(cheapest.value.groupPriceFen) : ''));
  const struckText = computed(() => (cheapest.value ? formatFen(cheapest.value.priceFen) : ''));
  const priceFrom = computed(() => new Set((campaign.value?.items ?? []).map((i) => i.groupPriceFen)).size > 1);
  const sizeText = computed(() => (campaign.value ? t('group.size', { count: campaign.value.groupSize }) : ''));
  const leaderText = computed(() => {
    const off = campaign.value?.leaderDiscountFen ?? 0;
    return off > 0 ? t('group.leaderDiscount', { amount: formatFen(off) }) : '';
  });
  /** What starting a group costs a unit (the lowest), on its button. */
  const startPriceText = computed(() =>
    cheapest.value && campaign.value
      ? formatFen(leaderPriceFen(cheapest.value.groupPriceFen, campaign.value.leaderDiscountFen))
      : '',
  );

  /** The groups still open on the clock, each with its leader, the people it still needs and its countdown. */
  const joinList = computed(() =>
    openGroups.value
      .filter((g) => joinable(g, clock.nowMs.value))
      .map((g) => {
        const leader = g.members.find((m) => m.leader) ?? null;
        return {
          id: g.id,
          leaderName: leader?.nickname || t('group.someone'),
          leaderAvatar: leader?.avatarUrl ?? '',
          leftText: t('group.seatsLeft', { count: seatsLeft(g) }),
          countdown: g.expiresAt ? clock.countdownTo(g.expiresAt) : '',
          mine: mineIds.value.has(g.id),
        };
      }),
  );

  function itemOfSku(skuId: number | null | undefined): CampaignItem | null {
    if (skuId === null || skuId === undefined) return null;
    return campaign.value?.items.find((i) => i.skuId === skuId) ?? null;
  }

  /** A unit's price in the group: the leader's (less the leader discount) when starting one. */
  function unitPriceFen(item: CampaignItem, leader: boolean): number {
    return leader ? leaderPriceFen(item.groupPriceFen, campaign.value?.leaderDiscountFen ?? 0) : item.groupPriceFen;
  }

  async function load(): Promise<void> {
    const id = productId();
    if (id === null) return;
    const mine = ++generation;
    try {
      const [answer, own] = await Promise.all([
        shopGroupBuy(id),
        isSignedIn() ? myGroups({ page: 1, pageSize: 50 }).catch(() => null) : Promise.resolve(null),
      ]);
      if (mine !== generation) return;
      mineIds.value = new Set((own?.items ?? []).filter((g) => g.status === 'forming').map((g) => g.id));
      setClockOffset(clockOffset(answer.now));
      clock.tick();
      campaign.value = answer.campaign;
      openGroups.value = answer.openGroups;
    } catch {
      // The product page stands without its group buy.
      if (mine === generation) campaign.value = null;
    }
  }

  return {
    campaign,
    active,
    priceText,
    struckText,
    priceFrom,
    sizeText,
    leaderText,
    startPriceText,
    joinList,
    itemOfSku,
    unitPriceFen,
    load,
  };
}
