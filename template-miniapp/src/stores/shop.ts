import { computed, reactive } from 'vue';
import type { Appearance, PublicShop } from '@shopfleet/contracts';
import { getShop } from '../api/shop';
import { packagedAppearance } from '../platform/shop-context';
import { ApiError } from '../request';
import { isShopClosedCode, type ShopClosedCode } from '../utils/shop-closed';

interface ShopState {
  shop: PublicShop | null;
  loading: boolean;
  error: ApiError | null;
  /** The console's unsaved appearance in preview mode (h5), shown over the shop's own until the next one. */
  previewAppearance: Appearance | null;
}

export const shopState = reactive<ShopState>({ shop: null, loading: false, error: null, previewAppearance: null });

/** Packaged with the app (mp-weixin ext.json): the shop's look before the shop API answers. */
const packaged = packagedAppearance();

/**
 * The appearance every page renders: the preview draft, else the shop's, else the packaged one; null
 * until one is known (h5 before the shop loads, or when it fails to).
 */
export const shopAppearance = computed<Appearance | null>(
  () => shopState.previewAppearance ?? shopState.shop?.appearance ?? packaged,
);

/** Why the shop cannot be used at all (no such shop, not open yet, suspended), from the shop API; null otherwise. */
export const shopClosedCode = computed<ShopClosedCode | null>(() => {
  const code = shopState.shop ? null : shopState.error?.code;
  return code && isShopClosedCode(code) ? code : null;
});

/** Shows a draft appearance over the shop's own (the console's live preview); every page re-renders with it. */
export function showPreviewAppearance(appearance: Appearance): void {
  shopState.previewAppearance = appearance;
}

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
