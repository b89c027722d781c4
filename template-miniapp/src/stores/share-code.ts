import { resolveShopContext } from '../platform/shop-context';
import { arrivedShareCode } from '../platform/share-code';

/**
 * The share code the shopper arrived with (`shareCode`), kept per shop — h5 shops share one origin and its storage — so
 * that attribution can send it on sign-in and orders. The latest arrival wins; it is kept for `KEEP_DAYS`.
 */
export interface ArrivedShareCode {
  code: string;
  /** When it arrived (ms since the epoch). */
  at: number;
}

const KEEP_DAYS = 30;

function storageKey(): string {
  return `shopfleet.shareCode.${resolveShopContext().shopKey}`;
}

/** Keeps the code the shopper just arrived with. */
export function rememberShareCode(code: string, now = Date.now()): void {
  try {
    uni.setStorageSync(storageKey(), { code, at: now } satisfies ArrivedShareCode);
  } catch {
    // Attribution is a bonus: a full storage or an unknown shop must not break the page.
  }
}

/** The code the shopper last arrived with, if within `KEEP_DAYS`; else null. */
export function arrivedWith(now = Date.now()): ArrivedShareCode | null {
  try {
    const stored: unknown = uni.getStorageSync(storageKey());
    if (!stored || typeof stored !== 'object') return null;
    const { code, at } = stored as Partial<ArrivedShareCode>;
    if (typeof code !== 'string' || typeof at !== 'number') return null;
    return now - at <= KEEP_DAYS * 86_400_000 ? { code, at } : null;
  } catch {
    return null;
  }
}

/** Forgets the code (once attribution has recorded it). */
export function forgetShareCode(): void {
  try {
    uni.removeStorageSync(storageKey());
  } catch {
    // Nothing kept.
  }
}

/** Keeps the share code a page or the app was opened with, if any. */
export function keepArrivedShareCode(query: Record<string, unknown> | undefined): string | null {
  const code = arrivedShareCode(query);
  if (code) rememberShareCode(code);
  return code;
}
