import { reactive } from 'vue';
import type { PublicShop } from '@shopfleet/contracts';
import { getShop } from '../api/shop';
import { ApiError } from '../request';

interface ShopState {
  shop: PublicShop | null;
  loading: boolean;
  error: ApiError | null;
}

export const shopState = reactive<ShopState>({ shop: null, loading: false, error: null });

let inflight: Promise<PublicShop | null> | null = null;

/** Loads the shop profile once (again when forced); every page shares the result. */
export function loadShop(force = false): Promise<PublicShop | null> {
  if (shopState.shop && !force) return Promise.resolve(shopState.shop);
  if (inflight) return inflight;
  shopState.loading = true;
  inflight = getShop()
    .then((shop) => {
      shopState.shop = shop;
      shopState.error = null;
      return shop;
    })
    .catch((error: unknown) => {
      shopState.error = error instanceof ApiError ? error : new ApiError('BAD_RESPONSE', String(error));
      return null;
    })
    .finally(() => {
      shopState.loading = false;
      inflight = null;
    });
  return inflight;
}
