import type { TokenPair } from '@shopfleet/contracts';

/** The two audiences that sign in to the console; each has its own API root and its own tokens. */
export type ConsoleAudience = 'merchant' | 'platform';

/**
 * One audience's tokens, shared by every tab of the console (localStorage), plus the hand-off that
 * keeps tabs from spending the same refresh token twice. localStorage reaches other tabs with a delay,
 * so a tab that rotates also announces it on a BroadcastChannel: first "rotating <old token>" (before
 * its request goes out), then the new pair or a failure. Another tab that meets the same old token
 * waits for that outcome instead of presenting the token again (which would revoke the session).
 */
/**
 * How another tab's rotation ended: the new pair; 'refused' (the session is over); or 'unknown'
 * (a network or server failure, or no answer in time: the session may well be fine).
 */
export type RotationOutcome = TokenPair | 'refused' | 'unknown';

export interface TokenStorage {
  read(): TokenPair | null;
  save(pair: TokenPair): void;
  clear(): void;
  /** Tell other tabs this tab is about to present `refreshToken`. */
  announceRotating(refreshToken: string): void;
  /** Tell other tabs how presenting `refreshToken` ended. */
  announceRotated(refreshToken: string, outcome: RotationOutcome): void;
  /** When another tab is rotating or has rotated `refreshToken`: how that ended. */
  rotatedElsewhere(refreshToken: string): Promise<RotationOutcome> | null;
}

const KEY_PREFIX = 'shopfleet.console.tokens.';
/** How long to wait for another tab's rotation before giving up on it. */
const HANDOFF_TIMEOUT_MS = 15_000;
const HANDOFF_MEMORY = 16;

export function isTokenPair(value: unknown): value is TokenPair {
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

type RotationMessage = { type: 'rotating'; from: string } | { type: 'rotated'; from: string; outcome: RotationOutcome };

function readMessage(data: unknown): RotationMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const record = data as Record<string, unknown>;
  if (typeof record.from !== 'string') return null;
  if (record.type === 'rotating') return { type: 'rotating', from: record.from };
  if (record.type === 'rotated') {
    const outcome = record.outcome;
    if (outcome === 'refused' || outcome === 'unknown' || isTokenPair(outcome))
      return { type: 'rotated', from: record.from, outcome };
  }
  return null;
}

interface Handoff {
  outcome: Promise<RotationOutcome>;
  settle(outcome: RotationOutcome): void;
}

function createHandoff(): Handoff {
  let settle: (outcome: RotationOutcome) => void = () => undefined;
  const outcome = new Promise<RotationOutcome>((resolve) => {
    settle = resolve;
    setTimeout(() => resolve('unknown'), HANDOFF_TIMEOUT_MS);
  });
  return { outcome, settle };
}

export function tokenStorage(audience: ConsoleAudience): TokenStorage {
  const key = KEY_PREFIX + audience;
  const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(key);
  /** Rotations other tabs announced, by the refresh token they spent. */
  const handoffs = new Map<string, Handoff>();

  function handoff(from: string): Handoff {
    let entry = handoffs.get(from);
    if (!entry) {
      entry = createHandoff();
      handoffs.set(from, entry);
      const oldest = handoffs.keys().next();
      if (handoffs.size > HANDOFF_MEMORY && !oldest.done) handoffs.delete(oldest.value);
    }
    return entry;
  }

  channel?.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = readMessage(event.data);
    if (!message) return;
    const entry = handoff(message.from);
    if (message.type === 'rotated') entry.settle(message.outcome);
  });

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
    announceRotating(refreshToken) {
      channel?.postMessage({ type: 'rotating', from: refreshToken } satisfies RotationMessage);
    },
    announceRotated(refreshToken, outcome) {
      channel?.postMessage({ type: 'rotated', from: refreshToken, outcome } satisfies RotationMessage);
    },
    rotatedElsewhere(refreshToken) {
      return handoffs.get(refreshToken)?.outcome ?? null;
    },
  };
}
