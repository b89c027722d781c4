import { computed, ref } from 'vue';
import type { SavedProduct } from '@shopfleet/contracts';
import { clearHistory, myFavourites, myHistory, removeFavourite } from '../api/members';
import { t } from '../locales';
import { describeError } from '../request';
import { HOME_PAGE, openProduct } from '../utils/routes';
import { useShopperList } from './use-shopper-list';

/** A saved product as a list item (the paged list keys items by id: the product's). */
export type SavedItem = SavedProduct & { id: number };

/**
 * favourites or history: product cards, newest first, a page more at the bottom; a product no longer on sale says off sale. A
 * favourite is removed one at a time; the history is cleared whole (after a confirm).
 */
export function useSavedProducts(kind: 'favourites' | 'history') {
  const fetch = kind === 'favourites' ? myFavourites : myHistory;
  const list = useShopperList<'all', SavedItem>({
    tabs: ['all'],
    tabQuery: 'tab',
    fetchPage: async (_, page, pageSize) => {
      const result = await fetch({ page, pageSize });
      return { ...result, items: result.items.map((item) => ({ ...item, id: item.productId })) };
    },
    title: () => t(kind === 'favourites' ? 'nav.favourites' : 'nav.history'),
  });
  const busy = ref(false);
  const hasItems = computed(() => list.items.value.length > 0);

  function open(item: SavedItem) {
    if (item.card) openProduct(item.productId);
  }

  async function remove(item: SavedItem) {
    if (busy.value) return;
    busy.value = true;
    try {
      await removeFavourite(item.productId);
      uni.showToast({ title: t('member.favourites.removed'), icon: 'none' });
      await list.retry();
    } catch (e) {
      uni.showToast({ title: describeError(e), icon: 'none' });
    } finally {
      busy.value = false;
    }
  }

  /** The clear-history confirm: open, and its answer. */
  const clearOpen = ref(false);
  function askClear() {
    if (!busy.value) clearOpen.value = true;
  }

  async function clear() {
    if (busy.value) return;
    busy.value = true;
    try {
      await clearHistory();
      clearOpen.value = false;
      uni.showToast({ title: t('member.history.cleared'), icon: 'none' });
      await list.retry();
    } catch (e) {
      uni.showToast({ title: describeError(e), icon: 'none' });
    } finally {
      busy.value = false;
    }
  }

  return {
    ...list,
    busy,
    hasItems,
    open,
    remove,
    clearOpen,
    askClear,
    clear,
    goShopping: () => uni.switchTab({ url: HOME_PAGE }),
  };
}
