import type { Appearance } from '@shopfleet/contracts';
import { PREVIEW_MESSAGES, SHOP_PREVIEW_HEADER } from '@shopfleet/contracts/constants';
import { readAppearance } from '../utils/appearance';

/** How long the page waits for the editor's pass before it reads the shop as the public does. */
const PASS_WAIT_MS = 5000;

function detectPreviewMode(): boolean {
  let preview = false;
  // #ifdef H5
  // The h5 build uses a hash router, so the flag the console adds sits in the search part before the hash.
  preview = new URLSearchParams(window.location.search).get('preview') === '1';
  // #endif
  return preview;
}

/** Whether the console's appearance editor frames this page (h5 `?preview=1`); never in the mini-program. */
export const previewMode: boolean = detectPreviewMode();

/**
 * Hands each appearance the editor posts (same origin only, a well-formed appearance only) to `apply`.
 * Does nothing outside preview mode.
 */
export function listenForAppearancePreview(apply: (appearance: Appearance) => void): void {
  // #ifdef H5
  if (!previewMode) return;
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (event.origin !== window.location.origin) return;
    const data = event.data;
    if (typeof data !== 'object' || data === null) return;
    const message = data as { type?: unknown; appearance?: unknown };
    if (message.type !== PREVIEW_MESSAGES.appearance) return;
    const appearance = readAppearance(message.appearance);
    if (appearance) apply(appearance);
  });
  // #endif
}

/** Tells the editor the frame can take a draft (its listener is installed and the shop is there to draw it over). */
export function announcePreviewReady(): void {
  // #ifdef H5
  if (!previewMode) return;
  window.parent.postMessage({ type: PREVIEW_MESSAGES.ready }, window.location.origin);
  // #endif
}

let pass: string | null = null;

/**
 * The editor's preview pass: asked for once at start in preview mode, when framed; renewed whenever
 * the editor posts a new one. Settles at once outside preview mode, or when the editor does not answer.
 */
const passAnswered: Promise<void> = askForPass();

function askForPass(): Promise<void> {
  let answered: Promise<void> = Promise.resolve();
  // #ifdef H5
  if (previewMode && window.parent !== window) {
    answered = new Promise<void>((resolve) => {
      window.addEventListener('message', (event: MessageEvent<unknown>) => {
        if (event.origin !== window.location.origin || event.source !== window.parent) return;
        const data = event.data;
        if (typeof data !== 'object' || data === null) return;
        const message = data as { type?: unknown; token?: unknown };
        if (message.type !== PREVIEW_MESSAGES.pass) return;
        pass = typeof message.token === 'string' && message.token !== '' ? message.token : null;
        resolve();
      });
      setTimeout(resolve, PASS_WAIT_MS);
      window.parent.postMessage({ type: PREVIEW_MESSAGES.passRequest }, window.location.origin);
    });
  }
  // #endif
  return answered;
}

/**
 * The headers of a shop-api read with the preview pass added, once the editor has answered: a shop that
 * is not open yet (or suspended) shows its merchant what shoppers will see. Outside preview mode, the
 * headers as they are.
 */
export async function withPreviewPass(
  headers: Record<string, string> | undefined,
): Promise<Record<string, string> | undefined> {
  if (!previewMode) return headers;
  await passAnswered;
  return pass ? { ...headers, [SHOP_PREVIEW_HEADER]: pass } : headers;
}
