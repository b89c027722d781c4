import { computed, reactive, ref, shallowRef, watch } from 'vue';
import { onPullDownRefresh, onShow } from '@dcloudio/uni-app';
import type { ProductCard, ShopPage } from '@shopfleet/contracts';
import { HOME_SECTIONS, type HomeSection as HomeSectionType } from '@shopfleet/contracts/constants';
import { getCategories, listProducts, type ShopHome } from '../api/catalog';
import { getShopPage } from '../api/storefront';
import { shopFlashSales } from '../api/flash-sales';
import { couponCentre } from '../api/marketing';
import { mySupport } from '../api/support';
import { hasText, t } from '../locales';
import { previewMode } from '../platform/preview';
import { homeState, loadHome } from '../stores/home';
import { isSignedIn } from '../stores/session';
import { loadShop, shopAppearance, shopClosedCode, shopState } from '../stores/shop';
import { describeError } from '../request';
import { setClockOffset } from '../stores/flash';
import { clockOffset, sessionStateAt, startText } from '../utils/flash';
import { formatFen } from '../utils/money';
import { openCouponCentre, openFlashSales, openProduct, openProductList, openSearch } from '../utils/routes';
import { shareMessage, type ShareMessage, type ShareTimelineContent } from '../utils/share';
import { foregroundOn, useShopBars, useThemeVars } from './shop-theme';
import { useGuessYouLike } from './use-recommendations';

/** The line under the header of a shop that is open to browse but not to buy (`home.status.<status>`), or null. */
function statusNotice(status: string): string | null {
  const key = `home.status.${status}`;
  return hasText(key) ? t(key) : null;
}

const HOME_PATH = '/pages/index/index';
/** Category entries shown when the merchant picked none: the first top-level categories (two rows). */
const CATEGORY_ENTRIES_MAX = 10;
/** Products shown in a hot or new section the merchant left empty (three rows of the grid). */
const FILLED_PRODUCTS = 6;

type Banner = ShopHome['banners'][number];
type Shortcut = ShopHome['shortcuts'][number];
/** The sections that show catalog content, and so can be filled from the catalog when the layout leaves them empty. */
type CatalogSection = 'categories' | 'hot' | 'new';

/** One home section as rendered, in the appearance's order. */
export type HomeSection =
  | { type: 'banner'; banners: Banner[] }
  | { type: 'notice'; text: string }
  | { type: 'categories'; shortcuts: Shortcut[] }
  | { type: 'hot' | 'new'; title: string; products: ProductCard[] };

const isCatalogSection = (type: HomeSectionType): type is CatalogSection =>
  type === 'categories' || type === 'hot' || type === 'new';

function layoutEmpty(home: ShopHome, type: CatalogSection): boolean {
  if (type === 'categories') return home.shortcuts.length === 0;
  return (type === 'hot' ? home.hotProducts : home.newProducts).length === 0;
}

/**
 * The home page: the shop's frame, themed, with its error state; then the sections of the shop's
 * appearance in its order (banner, notice, category entries, hot and new products), then the
 * recommended products, then guess-you-like (what this device may like). A categories, hot or new
 * section the home layout leaves empty is filled from the catalog (the top categories, the best
 * sellers, the newest products) rather than dropped.
 */
export function useShopHome() {
  const shop = computed(() => shopState.shop);
  const { themeColor, themeStyle } = useThemeVars();
  const heroStyle = computed(() => ({ backgroundColor: themeColor.value, color: foregroundOn(themeColor.value) }));
  const shopName = computed(() => shopAppearance.value?.name || shopState.shop?.name || '');
  const logoUrl = computed(() => shopAppearance.value?.logoUrl ?? shopState.shop?.logoUrl ?? null);
  const notice = computed(() => (shopState.shop ? statusNotice(shopState.shop.status) : null));
  const errorText = computed(() => (shopState.error ? describeError(shopState.error) : null));
  const loading = computed(() => shopState.loading && !shopState.shop);

  const home = computed(() => homeState.home);
  const homeLoading = computed(() => homeState.loading && !homeState.home);
  const homeError = computed(() => (homeState.error && !homeState.home ? describeError(homeState.error) : null));

  /** The section types the shop shows, in its order (all of them before its appearance is known). */
  const enabledTypes = computed<readonly HomeSectionType[]>(() => {
    const appearance = shopAppearance.value;
    return appearance ? appearance.home.sections.filter((s) => s.enabled).map((s) => s.type) : HOME_SECTIONS;
  });

  // ---- the designer's home page ----

  /**
   * The home page the merchant published in the shop designer, or null for a shop that never did (or whose page
   * could not be read): then the sections below, as before the designer. Undefined until it is known, so the page
   * never shows one home and then the other.
   */
  const designed = shallowRef<ShopPage | null | undefined>(undefined);

  async function loadDesigned() {
    try {
      const page = await getShopPage('home');
      designed.value = page.version !== null && page.version > 0 ? page : null;
    } catch {
      designed.value = designed.value ?? null;
    }
  }
  const designedSearch = computed(() => designed.value?.blocks.some((b) => b.type === 'searchBar') ?? false);

  // ---- catalog sections the home layout leaves empty ----

  const filled = reactive<{ categories: Shortcut[] | null; hot: ProductCard[] | null; new: ProductCard[] | null }>({
    categories: null,
    hot: null,
    new: null,
  });
  /** The home layout the fills were requested for; a refreshed layout requests them again. */
  let filledFor: ShopHome | null = null;
  const requested = new Set<CatalogSection>();

  async function fill(type: CatalogSection) {
    try {
      if (type === 'categories') {
        const tree = await getCategories();
        filled.categories = tree.slice(0, CATEGORY_ENTRIES_MAX).map(({ id, name, icon }) => ({ id, name, icon }));
      } else {
        const page = await listProducts({ sort: type === 'hot' ? 'sales' : 'newest', limit: FILLED_PRODUCTS });
        filled[type] = page.items;
      }
    } catch {
      // The section stays out; asked again with the next refresh or appearance change.
      requested.delete(type);
    }
  }

  watch(
    [() => homeState.home, enabledTypes],
    ([layout, types]) => {
      if (!layout) return;
      if (layout !== filledFor) {
        filledFor = layout;
        requested.clear();
      }
      for (const type of types) {
        if (!isCatalogSection(type) || !layoutEmpty(layout, type) || requested.has(type)) continue;
        requested.add(type);
        void fill(type);
      }
    },
    { immediate: true },
  );

  // ---- sections ----

  function sectionOf(type: HomeSectionType, layout: ShopHome | null): HomeSection | null {
    if (type === 'notice') {
      const text = shopAppearance.value?.home.notice.trim() ?? '';
      return text ? { type, text } : null;
    }
    if (!layout) return null;
    switch (type) {
      case 'banner':
        return layout.banners.length ? { type, banners: layout.banners } : null;
      case 'categories': {
        const shortcuts = layout.shortcuts.length ? layout.shortcuts : (filled.categories ?? []);
        return shortcuts.length ? { type, shortcuts } : null;
      }
      case 'hot': {
        const products = layout.hotProducts.length ? layout.hotProducts : (filled.hot ?? []);
        return products.length ? { type, title: t('home.hot'), products } : null;
      }
      case 'new': {
        const products = layout.newProducts.length ? layout.newProducts : (filled.new ?? []);
        return products.length ? { type, title: t('home.new'), products } : null;
      }
    }
  }

  const sections = computed(() =>
    enabledTypes.value.flatMap((type) => {
      const section = sectionOf(type, homeState.home);
      return section ? [section] : [];
    }),
  );
  const recommended = computed(() => homeState.home?.recommendedProducts ?? []);
  /** Loaded, but nothing from the catalog to show (a notice alone does not make a shop). */
  const empty = computed(
    () => homeState.home !== null && !sections.value.some((s) => s.type !== 'notice') && recommended.value.length === 0,
  );

  // ---- the coupon centre's entry ----

  /** Coupons the signed-in shopper can claim now: the coupon centre's strip shows while there are any. */
  const claimableCoupons = ref(0);

  async function loadClaimable() {
    if (previewMode || !isSignedIn()) {
      claimableCoupons.value = 0;
      return;
    }
    try {
      claimableCoupons.value = (await couponCentre()).filter((c) => c.canClaim).length;
    } catch {
      // The strip is an extra: the home page stands without it.
      claimableCoupons.value = 0;
    }
  }

  // ---- the flash-sale entry ----

  /** The flash-sale strip's line: a session running (its lowest price), else when the next one starts; else null. */
  const flashLine = ref<string | null>(null);

  async function loadFlash() {
    try {
      const sales = await shopFlashSales();
      const offset = clockOffset(sales.now);
      setClockOffset(offset);
      const now = Date.now() + offset;
      const lowest = (sessions: typeof sales.sessions) =>
        formatFen(Math.min(...sessions.flatMap((s) => s.items.map((i) => i.flashPriceFen))));
      const running = sales.sessions.filter((s) => s.items.length && sessionStateAt(s, now) === 'running');
      const upcoming = sales.sessions
        .filter((s) => s.items.length && sessionStateAt(s, now) === 'upcoming')
        .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
      if (running.length) flashLine.value = t('flash.homeRunning', { price: lowest(running) });
      else if (upcoming[0])
        flashLine.value = t('flash.homeUpcoming', {
          at: startText(upcoming[0].startsAt),
          price: lowest([upcoming[0]]),
        });
      else flashLine.value = null;
    } catch {
      // The strip is an extra: the home page stands without it.
      flashLine.value = null;
    }
  }

  // ---- the customer-service entry ----

  /** The shop's replies the signed-in shopper has not read: the badge on the customer-service entry. */
  const supportUnread = ref(0);

  async function loadSupportUnread() {
    if (previewMode || !isSignedIn()) {
      supportUnread.value = 0;
      return;
    }
    try {
      supportUnread.value = (await mySupport()).unread;
    } catch {
      // The badge is an extra: the home page stands without it.
      supportUnread.value = 0;
    }
  }

  // ---- guess-you-like ----

  /** What this device may like, under the home page's lists: asked again each time the page shows. */
  const guess = useGuessYouLike();

  // ---- bars, loading, sharing ----

  useShopBars({
    tabPage: true,
    title: () => (!shopState.shop && shopState.error ? t('home.cannotOpen') : shopAppearance.value?.name),
  });

  /**
   * The default home's extras (its coupon and flash-sale strips, guess-you-like), once it is known that the shop shows
   * that home: a designed home's blocks read their own, so its first screen does not wait behind these.
   */
  async function loadExtras() {
    if (designed.value) return;
    await Promise.all([loadClaimable(), loadFlash(), guess.reload()]);
  }

  async function refresh(force: boolean) {
    await Promise.all([loadShop(force), loadHome(force), loadDesigned().then(loadExtras)]);
  }

  function openBanner(banner: Banner) {
    if (banner.productId !== null) openProduct(banner.productId);
    else if (banner.categoryId !== null) openProductList({ categoryId: banner.categoryId });
  }

  function openShortcut(shortcut: Shortcut) {
    openProductList({ categoryId: shortcut.id, title: shortcut.name });
  }

  /** The home page as a chat message (mp-weixin's share menu). */
  function shareToChat(): ShareMessage {
    return shareMessage(shopAppearance.value, { path: HOME_PATH, shopName: shopState.shop?.name });
  }

  /** The home page on the WeChat timeline. */
  function shareToTimeline(): ShareTimelineContent {
    const { title, imageUrl } = shareToChat();
    return { title, imageUrl, query: '' };
  }

  /** When the page last showed: a designed home's per-shopper blocks read again with each showing. */
  const shownAt = ref(0);

  onShow(() => {
    shownAt.value = Date.now();
    void refresh(false);
    void loadSupportUnread();
  });
  onPullDownRefresh(() => {
    void Promise.all([refresh(true), loadSupportUnread()]).finally(() => uni.stopPullDownRefresh());
  });

  return {
    shop,
    shopName,
    logoUrl,
    heroStyle,
    statusNotice: notice,
    errorText,
    closedCode: shopClosedCode,
    loading,
    reload: () => refresh(true),
    themeColor,
    themeStyle,
    previewMode,
    home,
    homeLoading,
    homeError,
    sections,
    recommended,
    empty,
    openBanner,
    openShortcut,
    openSearch: () => openSearch(),
    claimableCoupons,
    openCouponCentre,
    flashLine,
    openFlashSales,
    supportUnread,
    shareToChat,
    shareToTimeline,
    guess: guess.items,
    designed,
    designedSearch,
    shownAt,
  };
}
