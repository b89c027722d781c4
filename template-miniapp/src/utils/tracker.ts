import type { ShopEvent, ShopEventKind } from '@shopfleet/contracts';
import { ANALYTICS_LIMITS } from '@shopfleet/contracts/constants';

/** A visit ends after 30 minutes without an event: the next event starts a new one. */
export const SESSION_IDLE_MS = 30 * 60_000;
/** A batch goes this long after its first event (or at once when full, or when the app goes to the background). */
export const FLUSH_DELAY_MS = 5_000;
/** Events kept while sending fails (oldest dropped beyond): the shop never grows without bound offline. */
const QUEUE_MAX = 200;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** A random id of `[0-9A-Za-z]` (8–40 as the contract takes): the time in base 36 and random characters. */
export function randomId(prefix: string, random = 16): string {
  const cryptoApi = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  const bytes = cryptoApi?.getRandomValues
    ? Array.from(cryptoApi.getRandomValues(new Uint8Array(random)))
    : Array.from({ length: random }, () => Math.floor(Math.random() * 256));
  return `${prefix}${Date.now().toString(36)}${bytes.map((b) => ALPHABET[b % ALPHABET.length]).join('')}`;
}

export interface TrackerDeps {
  /** The device's id, kept on the device (nothing personal: made up the first time). */
  device: () => string;
  /** Sends a batch; rejects when it did not arrive (the events are kept for the next try). */
  send: (device: string, events: ShopEvent[]) => Promise<void>;
  /** Whether to count at all (not in the console's preview). */
  enabled: () => boolean;
  now?: () => number;
  schedule?: (fn: () => void, ms: number) => unknown;
}

/**
 * The shop's events (page views, product views, cart adds), batched per device: each event gets its own id (the server
 * keeps a batch sent twice once), the visit it belongs to, and the time it happened — so events sent late, after the
 * app was offline, count in their own hour.
 */
export function createTracker(deps: TrackerDeps) {
  const now = deps.now ?? (() => Date.now());
  const schedule = deps.schedule ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  let queue: ShopEvent[] = [];
  let session: { id: string; lastAt: number } | null = null;
  let timer = false;
  let sending: Promise<void> | null = null;

  function sessionId(at: number): string {
    if (!session || at - session.lastAt > SESSION_IDLE_MS) session = { id: randomId('v'), lastAt: at };
    session.lastAt = at;
    return session.id;
  }

  async function flush(): Promise<void> {
    if (sending) return sending;
    if (!queue.length) return;
    const batch = queue.slice(0, ANALYTICS_LIMITS.batchMax);
    let sent = false;
    sending = deps
      .send(deps.device(), batch)
      .then(() => {
        const done = new Set(batch.map((e) => e.id));
        queue = queue.filter((e) => !done.has(e.id));
        sent = true;
      })
      .catch(() => undefined)
      .finally(() => {
        sending = null;
      });
    await sending;
    // What is left goes next; after a failure it waits for the next event or the app's going to the background.
    if (sent && queue.length) await flush();
  }

  function track(kind: ShopEventKind, extra: { page?: string; productId?: number; quantity?: number } = {}): void {
    if (!deps.enabled()) return;
    const at = now();
    queue.push({ id: randomId('e'), kind, at: new Date(at).toISOString(), session: sessionId(at), ...extra });
    if (queue.length > QUEUE_MAX) queue = queue.slice(queue.length - QUEUE_MAX);
    if (queue.length >= ANALYTICS_LIMITS.batchMax) {
      void flush();
      return;
    }
    if (!timer) {
      timer = true;
      schedule(() => {
        timer = false;
        void flush();
      }, FLUSH_DELAY_MS);
    }
  }

  return { track, flush, pending: () => queue.length };
}

export type Tracker = ReturnType<typeof createTracker>;
