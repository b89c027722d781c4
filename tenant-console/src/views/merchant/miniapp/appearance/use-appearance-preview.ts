import { onBeforeUnmount, onMounted, ref, watch, type Ref, type ShallowRef } from 'vue';
import type { Appearance, AppearancePreviewMessage, PreviewPassMessage, ShopPreviewPass } from '@shopfleet/contracts';
import { PREVIEW_MESSAGES } from '@shopfleet/contracts/constants';
import { createShopPreviewPass } from '@/api/shop';

/** Changes are sent to the preview this long after the last one (typing does not re-render at every key). */
export const PREVIEW_DELAY_MS = 150;
/** The preview pass is renewed (and sent again) this long before it expires. */
const PASS_RENEW_MARGIN_MS = 5 * 60_000;

function messageType(data: unknown): unknown {
  return typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : undefined;
}

/**
 * The live preview's side of the conversation with the framed shop page (contracts PREVIEW_MESSAGES):
 * the page asks for a preview pass and is sent one (or null), so a shop not open to the public yet still
 * shows; the pass is renewed and sent again before it expires. The page says it is ready, then it is
 * sent the appearance at once and after every change. Only the frame's own window, on this origin, is
 * listened to and written to. A page that reloads asks again and gets the current pass and appearance.
 */
export function useAppearancePreview(
  frame: Readonly<ShallowRef<HTMLIFrameElement | null>>,
  appearance: Readonly<Ref<Appearance | null>>,
  issuePass: () => Promise<ShopPreviewPass> = createShopPreviewPass,
) {
  /** The framed page said it takes drafts. */
  const ready = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pass: Promise<ShopPreviewPass | null> | null = null;
  let renewal: ReturnType<typeof setTimeout> | undefined;
  let unmounted = false;

  /** The current pass, made once and again when it nears its end; null when none could be had. */
  function currentPass(): Promise<ShopPreviewPass | null> {
    pass ??= issuePass().then(
      (issued) => {
        if (!unmounted)
          renewal = setTimeout(renew, Math.max(0, Date.parse(issued.expiresAt) - Date.now() - PASS_RENEW_MARGIN_MS));
        return issued;
      },
      () => {
        pass = null;
        return null;
      },
    );
    return pass;
  }

  async function sendPass(): Promise<void> {
    const issued = await currentPass();
    const target = frame.value?.contentWindow;
    if (!target || unmounted) return;
    const message: PreviewPassMessage = { type: PREVIEW_MESSAGES.pass, token: issued?.token ?? null };
    target.postMessage(message, window.location.origin);
  }

  function renew(): void {
    pass = null;
    void sendPass();
  }

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
    const type = messageType(event.data);
    if (type === PREVIEW_MESSAGES.passRequest) {
      void sendPass();
    } else if (type === PREVIEW_MESSAGES.ready) {
      ready.value = true;
      send();
    }
  }

  watch(appearance, () => {
    if (!ready.value) return;
    cancel();
    timer = setTimeout(send, PREVIEW_DELAY_MS);
  });

  onMounted(() => window.addEventListener('message', onMessage));
  onBeforeUnmount(() => {
    unmounted = true;
    window.removeEventListener('message', onMessage);
    cancel();
    if (renewal !== undefined) clearTimeout(renewal);
  });

  return { ready };
}
