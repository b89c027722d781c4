import type { Appearance, PREVIEW_MESSAGES } from '@shopfleet/contracts';
import { readAppearance } from '../utils/appearance';

const READY: (typeof PREVIEW_MESSAGES)['ready'] = 'shopfleet:preview-ready';
const APPEARANCE: (typeof PREVIEW_MESSAGES)['appearance'] = 'shopfleet:appearance-preview';

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
    if (message.type !== APPEARANCE) return;
    const appearance = readAppearance(message.appearance);
    if (appearance) apply(appearance);
  });
  // #endif
}

/** Tells the editor the frame can take a draft (its listener is installed and the shop is there to draw it over). */
export function announcePreviewReady(): void {
  // #ifdef H5
  if (!previewMode) return;
  window.parent.postMessage({ type: READY }, window.location.origin);
  // #endif
}
