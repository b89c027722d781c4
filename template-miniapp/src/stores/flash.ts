import { reactive } from 'vue';
import type { FlashPass } from '@shopfleet/contracts';
import { flashPass } from '../api/flash-sales';

/** A pass is taken as spent this long before it expires (the buy request must reach the server in time). */
const PASS_MARGIN_MS = 5_000;

interface FlashState {
  /** How far the server's clock is ahead of the device's (ms), from the last flash-sale listing read. */
  offsetMs: number;
  /** This shopper's passes, by session: fetched on the product page, spent at the flash checkout. */
  passes: Record<number, FlashPass>;
}

export const flashState = reactive<FlashState>({ offsetMs: 0, passes: {} });

/** The server's clock now, by the device's clock and the last offset read. */
export function serverNowMs(): number {
  return Date.now() + flashState.offsetMs;
}

export function setClockOffset(offsetMs: number): void {
  flashState.offsetMs = offsetMs;
}

/** A pass for the session: the one kept while it has time left, else a new one from the server. */
export async function passFor(sessionId: number, fresh = false): Promise<string> {
  const kept = flashState.passes[sessionId];
  if (!fresh && kept && Date.parse(kept.expiresAt) - PASS_MARGIN_MS > serverNowMs()) return kept.pass;
  const given = await flashPass(sessionId);
  flashState.passes[sessionId] = given;
  return given.pass;
}

/** Forget a pass the server refused. */
export function forgetPass(sessionId: number): void {
  delete flashState.passes[sessionId];
}
