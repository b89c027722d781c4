import { ref, watch, type Ref } from 'vue';
import type { ProductCard } from '@shopfleet/contracts';
import { boughtTogether, guessYouLike, viewedTogether } from '../api/recommendations';
import { deviceId, tracker } from '../stores/tracker';

/** Products a guess-you-like list shows (five rows of the grid). */
const GUESS_LIMIT = 10;
/** Products a product page's strip shows. */
const STRIP_LIMIT = 9;

/**
 * Guess-you-like: what this device (and the signed-in shopper) may like, left out the products in `exclude` (the cart's);
 * loaded again by `reload` (each time the page shows: the history moved; the device's waiting events are sent first)
 * and whenever `exclude` changes. An extra: a failure leaves the list as it was.
 */
export function useGuessYouLike(exclude?: Ref<readonly number[]>) {
  const items = ref<ProductCard[]>([]);
  let asked = 0;

  async function reload() {
    const mine = ++asked;
    try {
      // The events waiting to go first: the list follows what was just viewed and added.
      await tracker.flush();
      const result = await guessYouLike({
        device: deviceId(),
        limit: GUESS_LIMIT,
        exclude: exclude?.value.length ? exclude.value : undefined,
      });
      // A newer request answers for the newer history.
      if (mine === asked) items.value = result.items;
    } catch {
      // The list is an extra: the page stands without it.
    }
  }

  if (exclude)
    watch(
      () => exclude.value.join(','),
      () => void reload(),
    );
  return { items, reload };
}

/** Viewed together and bought together of a product: each an empty list when there is nothing to show, or it could not be read. */
export function useProductTogether(productId: Ref<number | null>) {
  const viewed = ref<ProductCard[]>([]);
  const bought = ref<ProductCard[]>([]);

  async function load(id: number) {
    const [v, b] = await Promise.allSettled([viewedTogether(id, STRIP_LIMIT), boughtTogether(id, STRIP_LIMIT)]);
    if (productId.value !== id) return;
    viewed.value = v.status === 'fulfilled' ? v.value.items : [];
    bought.value = b.status === 'fulfilled' ? b.value.items : [];
  }

  watch(
    productId,
    (id) => {
      viewed.value = [];
      bought.value = [];
      if (id !== null) void load(id);
    },
    { immediate: true },
  );
  return { viewed, bought };
}
