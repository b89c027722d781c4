import { onBeforeUnmount, onMounted, ref, watch, type Ref, type ShallowRef } from 'vue';
import type { Appearance, AppearancePreviewMessage } from '@shopfleet/contracts';
import { PREVIEW_MESSAGES } from '@/utils/contract-constants';

/** Changes are sent to the preview this long after the last one (typing does not re-render at every key). */
export const PREVIEW_DELAY_MS = 150;

function isReadyMessage(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === PREVIEW_MESSAGES.ready;
}

/**
 * The live preview's side of the conversation with the framed shop page (contracts PREVIEW_MESSAGES):
 * the page says it is ready, then it is sent the appearance at once and after every change. Only the
 * frame's own window, on this origin, is listened to and written to. A page that reloads says it is
 * ready again and gets the current appearance.
 */
export function useAppearancePreview(frame: Readonly<ShallowRef<HTMLIFrameElement | null>>, appearance: Readonly<Ref<Appearance | null>>) {
  /** The framed page said it takes drafts. */
  const ready = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;

  function cancel(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  }

  function send(): void {
    cancel();
    const target = frame.value?.contentWindow;
    const current = appearance.value;
    if (!ready.value || !target || !current) return;
    const message: AppearancePreviewMessage = { type: PREVIEW_MESSAGES.appearance, appearance: current };
    target.postMessage(message, window.location.origin);
  }

  function onMessage(event: MessageEvent): void {
    const target = frame.value?.contentWindow;
    if (!target || event.source !== target || event.origin !== window.location.origin) return;
    if (!isReadyMessage(event.data)) return;
    ready.value = true;
    send();
  }

  watch(appearance, () => {
    if (!ready.value) return;
    cancel();
    timer = setTimeout(send, PREVIEW_DELAY_MS);
  });

  onMounted(() => window.addEventListener('message', onMessage));
  onBeforeUnmount(() => {
    window.removeEventListener('message', onMessage);
    cancel();
  });

  return { ready };
}
