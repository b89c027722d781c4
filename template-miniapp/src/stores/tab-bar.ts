import { shallowRef } from 'vue';
import type { ShopTabBar } from '@shopfleet/contracts';
import { getShopTabBar } from '../api/storefront';

/** The tab bar the merchant set in the shop designer (null until read, or when it could not be). */
export const shopTabBar = shallowRef<ShopTabBar | null>(null);

let inflight: Promise<void> | null = null;
let readAt = 0;
/** How long a read tab bar is kept before a page that shows asks again (the server's cache keeps it 5 s). */
const KEEP_MS = 30_000;

/** Reads the tab bar (again after a while, or when forced); every tab page paints with it. */
export function loadTabBar(force = false): Promise<void> {
  if (inflight) return inflight;
  if (!force && shopTabBar.value && Date.now() - readAt < KEEP_MS) return Promise.resolve();
  inflight = getShopTabBar()
    .then((bar) => {
      shopTabBar.value = bar;
      readAt = Date.now();
    })
    .catch(() => {
      // The appearance's tab bar stays: the one the shop shows before the designer's is read.
    })
    .finally(() => {
      inflight = null;
    });
  return inflight;
}
