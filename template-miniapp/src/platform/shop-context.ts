import type { Appearance } from '@shopfleet/contracts';
import { TAB_PAGES, type TabPage } from '@shopfleet/contracts/constants';
import { t } from '../locales';
import { ApiError } from '../request/api-error';
import { readAppearance } from '../utils/appearance';
import { bundledConfig } from './bundled-config';

/** Which shop this app is, and where its API lives. */
export interface ShopContext {
  shopKey: string;
  /** Origin of the platform, without a trailing slash; the shop API is under `${apiBase}/shop-api/v1`. */
  apiBase: string;
}

let cached: ShopContext | null = null;

/**
 * Resolves the shop once per app run. mp-weixin: the ext config the platform writes into each
 * tenant's ext.json. h5: one build serves every shop at /s/<slug>/, on the API's own origin.
 * Throws ApiError SHOP_CONTEXT_MISSING when the shop cannot be determined.
 */
export function resolveShopContext(): ShopContext {
  if (cached) return cached;
  let context: ShopContext | null = null;
  // #ifdef MP-WEIXIN
  context = fromExtConfig();
  // #endif
  // #ifdef H5
  context = fromLocation();
  // #endif
  if (!context) throw new ApiError('SHOP_CONTEXT_MISSING', t('shopContext.unsupported'));
  cached = context;
  return context;
}

/**
 * The appearance packaged with the app, so the first paint is the shop's before the shop API answers:
 * mp-weixin, ext.json's `appearance` (written by the release pipeline). Null on h5, or when missing.
 */
export function packagedAppearance(): Appearance | null {
  let appearance: Appearance | null = null;
  // #ifdef MP-WEIXIN
  appearance = readAppearance(extConfig().appearance);
  // #endif
  return appearance;
}

/**
 * The tab pages of the packaged tab bar, in its order (mp-weixin: ext.json's `tabPages`, written by the release pipeline
 * with the shop's tab bar), or null: every tab page of pages.json (h5, or a package made before it was written).
 */
export function packagedTabPages(): TabPage[] | null {
  let pages: TabPage[] | null = null;
  // #ifdef MP-WEIXIN
  const listed = extConfig().tabPages;
  if (Array.isArray(listed) && listed.length && listed.every((p) => (TAB_PAGES as readonly unknown[]).includes(p)))
    pages = listed as TabPage[];
  // #endif
  return pages;
}

// #ifdef MP-WEIXIN
function extConfig(): Record<string, unknown> {
  let ext: unknown = null;
  try {
    ext = typeof uni.getExtConfigSync === 'function' ? uni.getExtConfigSync() : null;
  } catch {
    ext = null;
  }
  // Code committed through the third-party platform has ext.json; a package uploaded with the shop's own key has its settings bundled.
  return ext && typeof ext === 'object' && Object.keys(ext).length > 0
    ? (ext as Record<string, unknown>)
    : bundledConfig;
}

function fromExtConfig(): ShopContext {
  const config = extConfig();
  const shopKey = typeof config.shopKey === 'string' ? config.shopKey.trim() : '';
  const apiBase = typeof config.apiBase === 'string' ? config.apiBase.trim().replace(/\/+$/, '') : '';
  if (!shopKey || !apiBase) {
    const missing = [!shopKey && 'shopKey', !apiBase && 'apiBase'].filter(Boolean).join(t('shopContext.listSeparator'));
    throw new ApiError('SHOP_CONTEXT_MISSING', t('shopContext.extMissing', { missing }));
  }
  return { shopKey, apiBase };
}
// #endif

// #ifdef H5
const SHOP_PATH = /^\/s\/([a-z0-9-]+)\//;

function fromLocation(): ShopContext {
  const match = SHOP_PATH.exec(window.location.pathname);
  const shopKey = match?.[1];
  if (!shopKey) {
    throw new ApiError('SHOP_CONTEXT_MISSING', t('shopContext.noShopInLink'));
  }
  return { shopKey, apiBase: window.location.origin };
}
// #endif
