import { ref, watch, type Ref } from 'vue';
import { addFavourite, favouriteState, recordView, removeFavourite } from '../api/members';
import { t } from '../locales';
import { describeError } from '../request';
import { isSignedIn } from '../stores/session';
import { openLogin } from '../utils/routes';

/**
 * The product page's favourites heart and its history: for a signed-in shopper, whether the product is a favourite, toggled by a
 * tap, and the view recorded once per product opened (fire and forget: the page never waits for it). Nobody signed in:
 * the heart goes to sign in.
 */
export function useFavourite(productId: Ref<number | null>) {
  const favourite = ref(false);
  const busy = ref(false);

  async function loadState(id: number) {
    try {
      const state = await favouriteState(id);
      if (productId.value === id) favourite.value = state.favourite;
    } catch {
      // The heart stays empty; a tap still sets it.
    }
  }

  watch(
    productId,
    (id) => {
      favourite.value = false;
      if (id === null || !isSignedIn()) return;
      void loadState(id);
      recordView(id).catch(() => undefined);
    },
    { immediate: true },
  );

  async function toggle() {
    const id = productId.value;
    if (id === null || busy.value) return;
    if (!isSignedIn()) {
      openLogin();
      return;
    }
    busy.value = true;
    const adding = !favourite.value;
    try {
      const state = adding ? await addFavourite(id) : await removeFavourite(id);
      favourite.value = state.favourite;
      uni.showToast({ title: t(adding ? 'member.favourite.added' : 'member.favourite.removed'), icon: 'none' });
    } catch (e) {
      uni.showToast({ title: describeError(e), icon: 'none' });
    } finally {
      busy.value = false;
    }
  }

  return { favourite, busy, toggle };
}
