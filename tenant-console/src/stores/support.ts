import { computed, markRaw, ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { SupportAgentStatus, SupportServerFrame } from '@shopfleet/contracts';
import { SUPPORT_WS_PATH } from '@shopfleet/contracts/constants';
import { setSupportStatus, supportMe, type SupportMe } from '@/api/support';
import { isApiError, merchantHttp } from '@/api/request';
import { beep } from '@/utils/beep';
import { SupportSocket, type SupportSocketState } from '@/utils/support-socket';

/** How often the 客服 menu asks for the agent's unread count and the queue, besides the live frames. */
export const SUPPORT_POLL_MS = 30_000;
/** Frames come in bursts (a message, its conversation, a read): the count is asked for once after them. */
const SETTLE_MS = 300;

/** The chat socket's address with the merchant's current access token (null when signed out). */
function socketUrl(): string | null {
  const token = merchantHttp.tokens.read()?.accessToken;
  if (!token) return null;
  const query = new URLSearchParams({ audience: 'merchant', token });
  return `${location.origin.replace(/^http/, 'ws')}${SUPPORT_WS_PATH}?${query}`;
}

/**
 * The agent across the console: their status, unread count and the queue (the 客服 menu's badge and the document
 * title's count), polled every 30 s and asked for again after live frames; the one chat socket of the tab, which the
 * workspace follows conversations through; and the chime when a shopper writes in one of the agent's conversations
 * that is not in front of them (the tab hidden, or another conversation open).
 */
export const useSupportStore = defineStore('support', () => {
  const me = shallowRef<SupportMe | null>(null);
  const socketState = ref<SupportSocketState>('idle');
  /** The conversation open in the workspace (null on other pages): its messages are read as they come. */
  const activeConversationId = ref<number | null>(null);
  let pollTimer: ReturnType<typeof setInterval> | null = null;
  let settleTimer: ReturnType<typeof setTimeout> | null = null;
  let ticket = 0;
  /** Between start and stop (the merchant console open): counts are shown only then, not on a login page. */
  const started = ref(false);

  // Raw: a class with its own state, not something for Vue to track.
  const socket = markRaw(
    new SupportSocket({
      url: socketUrl,
      // The browser does not show why an upgrade was refused: one request through the request client refreshes an
      // expired token (or ends the session), and the next try carries the new one.
      recover: async () => {
        try {
          apply(++ticket, await supportMe({ silent: true }));
          return true;
        } catch (error) {
          return !(isApiError(error) && error.status === 401);
        }
      },
      connect: (url) => new WebSocket(url),
    }),
  );
  socket.onState((state) => (socketState.value = state));
  socket.onFrame(onFrame);

  const unread = computed(() => (started.value ? (me.value?.unread ?? 0) : 0));
  const queued = computed(() => (started.value ? (me.value?.queued ?? 0) : 0));
  const connected = computed(() => socketState.value === 'ready');

  function apply(mine: number, next: SupportMe): void {
    if (mine === ticket) me.value = next;
  }

  /** Quiet: a failed poll is not worth a toast every 30 s; the next one tries again. */
  async function refresh(): Promise<void> {
    const mine = ++ticket;
    try {
      apply(mine, await supportMe({ silent: true }));
    } catch {
      // Kept as it was; a lost session is handled by the request client.
    }
  }

  /** Asks for the counts once the frames of a change have all come. */
  function refreshSoon(): void {
    if (settleTimer !== null) clearTimeout(settleTimer);
    settleTimer = setTimeout(() => {
      settleTimer = null;
      void refresh();
    }, SETTLE_MS);
  }

  function onFrame(frame: SupportServerFrame): void {
    if (frame.type === 'message') {
      const id = frame.message.conversationId;
      // The socket gets the agent's own conversations and the one they watch; only their own ones chime.
      const inFront = id === activeConversationId.value && document.visibilityState === 'visible';
      if (frame.message.sender === 'shopper' && !inFront && !socket.watching(id)) beep();
      refreshSoon();
    } else if (frame.type === 'conversation' || frame.type === 'read' || frame.type === 'ready') refreshSoon();
  }

  async function setStatus(status: SupportAgentStatus): Promise<void> {
    const mine = ++ticket;
    apply(mine, await setSupportStatus(status));
  }

  function reconnect(): void {
    socket.reconnectNow();
  }

  function onVisible(): void {
    if (document.visibilityState === 'visible') socket.reconnectNow();
  }

  /** While the merchant console is open: the poll and the socket. */
  function start(): void {
    if (started.value) return;
    started.value = true;
    void refresh();
    pollTimer = setInterval(() => void refresh(), SUPPORT_POLL_MS);
    socket.start();
    window.addEventListener('online', reconnect);
    document.addEventListener('visibilitychange', onVisible);
  }

  function stop(): void {
    started.value = false;
    if (pollTimer !== null) clearInterval(pollTimer);
    if (settleTimer !== null) clearTimeout(settleTimer);
    pollTimer = settleTimer = null;
    socket.stop();
    window.removeEventListener('online', reconnect);
    document.removeEventListener('visibilitychange', onVisible);
  }

  function reset(): void {
    stop();
    ticket++;
    me.value = null;
    activeConversationId.value = null;
  }

  return {
    me,
    unread,
    queued,
    connected,
    socketState,
    activeConversationId,
    socket,
    refresh,
    refreshSoon,
    setStatus,
    start,
    stop,
    reset,
  };
});
