import { computed, watch } from 'vue';
import { onHide, onShow, onUnload } from '@dcloudio/uni-app';
import type { Appearance, ShopTabBar } from '@shopfleet/contracts';
import { HEX_COLOR } from '@shopfleet/contracts/constants';
import { loadShop, shopAppearance, shopClosedCode, shopState } from '../stores/shop';
import { loadTabBar, shopTabBar } from '../stores/tab-bar';
import { paintTab, tabIndexes } from '../platform/tab-bar';
import { HOME_PAGE } from '../utils/routes';
import { tabLabel, tabText } from '../utils/appearance';

const NEUTRAL = '#333333';
/** Prices and badges before the shop's accent colour is known (the template's red). */
const DEFAULT_ACCENT = '#f53f3f';

/** The colour if it is #rrggbb (what the native bars accept), else the fallback. */
function hexOr(color: string | null | undefined, fallback: string): string {
  return color && HEX_COLOR.test(color) ? color : fallback;
}

/** The shop's colour: the appearance's theme colour, else the shop's own, else a neutral one. */
function currentThemeColor(): string {
  return hexOr(shopAppearance.value?.themeColor, hexOr(shopState.shop?.themeColor, NEUTRAL));
}

/** The secondary colour for prices and badges. */
function currentAccentColor(): string {
  return hexOr(shopAppearance.value?.accentColor, DEFAULT_ACCENT);
}

/** Black or white, whichever reads better on the colour. */
export function foregroundOn(color: string): '#000000' | '#ffffff' {
  const n = parseInt(color.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  const luminance = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
  return luminance > 0.65 ? '#000000' : '#ffffff';
}

const ignore = () => undefined;

function paintNavigationBar(appearance: Appearance): void {
  const bar = appearance.navigationBar;
  uni.setNavigationBarColor({
    frontColor: bar.textStyle === 'white' ? '#ffffff' : '#000000',
    backgroundColor: hexOr(bar.backgroundColor, '#ffffff'),
    fail: ignore,
  });
}

/**
 * The tab bar: the one the merchant set in the shop designer (its colours, the tabs shown, their texts and icons), else
 * the appearance's colours and labels (a label left as the default, in the shopper's language). These APIs reject (h5)
 * or throw (some clients) anywhere but on a tab page.
 */
function paintTabBar(appearance: Appearance | null, designed: ShopTabBar | null): void {
  const custom = designed?.custom ? designed : null;
  const colours = custom ?? appearance?.tabBar;
  if (!colours || (!custom && !appearance)) return;
  try {
    uni.setTabBarStyle({
      color: hexOr(colours.color, '#7a7e83'),
      selectedColor: hexOr(colours.selectedColor, currentThemeColor()),
      backgroundColor: hexOr(colours.backgroundColor, '#ffffff'),
      fail: ignore,
    });
    for (const [page, index] of tabIndexes()) {
      if (!custom) {
        paintTab(index, { text: tabLabel(appearance!, page), iconUrl: null, selectedIconUrl: null });
        continue;
      }
      const item = custom.items.find((i) => i.page === page);
      paintTab(index, item ? { ...item, text: tabText(item.text, page) } : null);
    }
  } catch {
    // Not a tab page after all: the next tab page to show paints the bar.
  }
}

/**
 * Paints the native bars in the shop's appearance each time the page shows, and again while it is
 * showing whenever the appearance changes (the shop loads, a preview draft arrives): the navigation
 * bar's colours and the page title; on tab pages also the tab bar's colours and labels.
 * `title` is read reactively; undefined leaves the title as it is. Every page gives one: mp-weixin compiles
 * pages.json's `%key%` titles into the package in the default language, so a device in English gets its
 * title (and, on tab pages, its tab labels) from here.
 */
export function useShopBars(options: { tabPage: boolean; title?: () => string | undefined }): void {
  let showing = false;

  function paint() {
    const appearance = shopAppearance.value;
    if (appearance) paintNavigationBar(appearance);
    if (options.tabPage) paintTabBar(appearance, shopTabBar.value);
    const title = options.title?.();
    if (title !== undefined) uni.setNavigationBarTitle({ title, fail: ignore });
  }

  /** A shop that cannot be used (no such shop, not open yet, suspended) has one page, the home page, which says why. */
  function leaveIfClosed() {
    if (!showing || !shopClosedCode.value) return;
    const pages = getCurrentPages();
    const route = pages[pages.length - 1]?.route;
    if (route && `/${route}` !== HOME_PAGE) uni.reLaunch({ url: HOME_PAGE });
  }

  onShow(() => {
    showing = true;
    paint();
    leaveIfClosed();
    void loadShop();
    if (options.tabPage) void loadTabBar();
  });
  onHide(() => {
    showing = false;
  });
  onUnload(() => {
    showing = false;
  });
  watch(shopClosedCode, leaveIfClosed);
  watch(
    [shopAppearance, shopTabBar, () => options.title?.()],
    () => {
      if (showing) paint();
    },
    { deep: true },
  );
}

/** Inline style for a primary button in the shop's colour (buttons are themed by hand, not with type="primary"). */
export function usePrimaryButtonStyle() {
  return computed(() => {
    const color = currentThemeColor();
    return { backgroundColor: color, color: foregroundOn(color), borderColor: color };
  });
}

function tint(color: string, alpha: number): string {
  const n = parseInt(color.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/**
 * The shop's colours as CSS variables for a page's root view: `--theme`, `--theme-fg` (text on it),
 * `--theme-soft` (a light tint for selected chips), and the secondary `--sf-accent` (prices, badges) with
 * `--sf-accent-fg` and `--sf-accent-soft`. A string, which both h5 and the mini-program accept.
 */
export function useThemeVars() {
  const themeColor = computed(currentThemeColor);
  const accentColor = computed(currentAccentColor);
  const themeStyle = computed(() => {
    const theme = themeColor.value;
    const accent = accentColor.value;
    return (
      [
        `--theme: ${theme}`,
        `--theme-fg: ${foregroundOn(theme)}`,
        `--theme-soft: ${tint(theme, 0.1)}`,
        `--sf-accent: ${accent}`,
        `--sf-accent-fg: ${foregroundOn(accent)}`,
        `--sf-accent-soft: ${tint(accent, 0.12)}`,
      ].join('; ') + ';'
    );
  });
  return { themeColor, accentColor, themeStyle };
}
