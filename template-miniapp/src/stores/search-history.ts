import { ref } from 'vue';
import { resolveShopContext } from '../platform/shop-context';

export const SEARCH_HISTORY_MAX = 10;

/** The shopper's recent searches, newest first; kept per shop, since h5 shops share one origin and its storage. */
export const searchHistory = ref<string[]>([]);

let restoredFor: string | null = null;

function storageKey(shopKey: string): string {
  return `shopfleet.search-history.${shopKey}`;
}

function ensureRestored(): string {
  const { shopKey } = resolveShopContext();
  if (restoredFor === shopKey) return shopKey;
  restoredFor = shopKey;
  searchHistory.value = [];
  try {
    const stored: unknown = uni.getStorageSync(storageKey(shopKey));
    if (Array.isArray(stored)) {
      searchHistory.value = stored
        .filter((v): v is string => typeof v === 'string' && v.length > 0)
        .slice(0, SEARCH_HISTORY_MAX);
    }
  } catch {
    // Unreadable storage means no history.
  }
  return shopKey;
}

function persist(shopKey: string): void {
  try {
    uni.setStorageSync(storageKey(shopKey), searchHistory.value);
  } catch {
    // History is a convenience; a full storage must not break searching.
  }
}

export function loadSearchHistory(): string[] {
  ensureRestored();
  return searchHistory.value;
}

/** Puts the keyword first (once), keeping at most SEARCH_HISTORY_MAX. */
export function rememberSearch(keyword: string): void {
  const shopKey = ensureRestored();
  searchHistory.value = [keyword, ...searchHistory.value.filter((k) => k !== keyword)].slice(0, SEARCH_HISTORY_MAX);
  persist(shopKey);
}

export function clearSearchHistory(): void {
  const shopKey = ensureRestored();
  searchHistory.value = [];
  try {
    uni.removeStorageSync(storageKey(shopKey));
  } catch {
    persist(shopKey);
  }
}
