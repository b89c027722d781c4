import { reactive } from 'vue';
import type { ShopperMe, TokenPair } from '@shopfleet/contracts';
import { resolveShopContext } from '../platform/shop-context';

interface SessionState {
  /** Null when signed out. Persisted per shop, since h5 shops share one origin and its storage. */
  tokens: TokenPair | null;
  me: ShopperMe | null;
}

export const sessionState = reactive<SessionState>({ tokens: null, me: null });

let restoredFor: string | null = null;

function storageKey(shopKey: string): string {
  return `shopfleet.session.${shopKey}`;
}

function isTokenPair(value: unknown): value is TokenPair {
  const v = value as Partial<TokenPair> | null;
  return (
    !!v &&
    typeof v.accessToken === 'string' &&
    typeof v.refreshToken === 'string' &&
    typeof v.refreshTokenExpiresAt === 'string'
  );
}

/** Loads the persisted tokens of the current shop once; a refresh token past its expiry is dropped. */
function ensureRestored(): string {
  const { shopKey } = resolveShopContext();
  if (restoredFor === shopKey) return shopKey;
  restoredFor = shopKey;
  sessionState.me = null;
  sessionState.tokens = null;
  try {
    const stored: unknown = uni.getStorageSync(storageKey(shopKey));
    if (isTokenPair(stored) && Date.parse(stored.refreshTokenExpiresAt) > Date.now()) {
      sessionState.tokens = stored;
    } else if (stored) {
      uni.removeStorageSync(storageKey(shopKey));
    }
  } catch {
    // Unreadable storage means signed out.
  }
  return shopKey;
}

export function getTokens(): TokenPair | null {
  ensureRestored();
  return sessionState.tokens;
}

export function isSignedIn(): boolean {
  return getTokens() !== null;
}

export function setTokens(tokens: TokenPair): void {
  const shopKey = ensureRestored();
  sessionState.tokens = tokens;
  uni.setStorageSync(storageKey(shopKey), tokens);
}

export function setMe(me: ShopperMe | null): void {
  sessionState.me = me;
}

export function clearSession(): void {
  const shopKey = ensureRestored();
  sessionState.tokens = null;
  sessionState.me = null;
  uni.removeStorageSync(storageKey(shopKey));
}
