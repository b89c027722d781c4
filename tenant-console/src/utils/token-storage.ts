import type { TokenPair } from '@shopfleet/contracts';

/** The two audiences that sign in to the console; each has its own API root and its own tokens. */
export type ConsoleAudience = 'merchant' | 'platform';

export interface TokenStorage {
  read(): TokenPair | null;
  save(pair: TokenPair): void;
  clear(): void;
}

const KEY_PREFIX = 'shopfleet.console.tokens.';

function isTokenPair(value: unknown): value is TokenPair {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.accessToken === 'string' &&
    typeof record.accessTokenExpiresAt === 'string' &&
    typeof record.refreshToken === 'string' &&
    typeof record.refreshTokenExpiresAt === 'string' &&
    record.tokenType === 'Bearer'
  );
}

/** Tokens of one audience in localStorage, so every tab of the console shares one session per audience. */
export function tokenStorage(audience: ConsoleAudience): TokenStorage {
  const key = KEY_PREFIX + audience;
  return {
    read() {
      const raw = localStorage.getItem(key);
      if (!raw) return null;
      try {
        const parsed: unknown = JSON.parse(raw);
        return isTokenPair(parsed) ? parsed : null;
      } catch {
        return null;
      }
    },
    save(pair) {
      localStorage.setItem(key, JSON.stringify(pair));
    },
    clear() {
      localStorage.removeItem(key);
    },
  };
}

export { isTokenPair };
