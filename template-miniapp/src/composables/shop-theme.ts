import { computed } from 'vue';
import type { PublicShop } from '@shopfleet/contracts';
import { shopState } from '../stores/shop';

const HEX = /^#[0-9a-fA-F]{6}$/;
const NEUTRAL = '#333333';

/** The shop's colour, or a neutral one if the API ever sends something that is not #rrggbb. */
export function themeColorOf(shop: PublicShop | null): string {
  return shop && HEX.test(shop.themeColor) ? shop.themeColor : NEUTRAL;
}

/** Black or white, whichever reads better on the colour (the only two a nav bar accepts). */
export function foregroundOn(color: string): '#000000' | '#ffffff' {
  const n = parseInt(color.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  const luminance = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
  return luminance > 0.65 ? '#000000' : '#ffffff';
}

const ignore = () => undefined;

/** Paints the native navigation bar (and the tab bar on tab pages) in the shop's colour. */
export function applyShopTheme(shop: PublicShop, options: { tabPage: boolean; title?: string }): void {
  const color = themeColorOf(shop);
  uni.setNavigationBarColor({ frontColor: foregroundOn(color), backgroundColor: color, fail: ignore });
  if (options.title !== undefined) uni.setNavigationBarTitle({ title: options.title, fail: ignore });
  if (options.tabPage) uni.setTabBarStyle({ selectedColor: color, fail: ignore });
}

/** Inline style for a primary button in the shop's colour (buttons are themed by hand, not with type="primary"). */
export function usePrimaryButtonStyle() {
  return computed(() => {
    const color = themeColorOf(shopState.shop);
    return { backgroundColor: color, color: foregroundOn(color), borderColor: color };
  });
}

/**
 * The shop's colour as CSS variables for a page's root view: `--theme`, `--theme-fg` (text on it) and
 * `--theme-soft` (a light tint for selected chips). A string, which both h5 and the mini-program accept.
 */
export function useThemeVars() {
  const color = computed(() => themeColorOf(shopState.shop));
  const style = computed(() => {
    const n = parseInt(color.value.slice(1), 16);
    const soft = `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, 0.1)`;
    return `--theme: ${color.value}; --theme-fg: ${foregroundOn(color.value)}; --theme-soft: ${soft};`;
  });
  return { themeColor: color, themeStyle: style };
}
