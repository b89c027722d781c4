import { onMounted, onUnmounted, watch } from 'vue';
import { useRoute, useRouter, type LocationQueryValue } from 'vue-router';
import type { SupportServerFrame } from '@shopfleet/contracts';
import { useMerchantSessionStore } from '@/stores/merchant-session';
import { SUPPORT_POLL_MS, useSupportStore } from '@/stores/support';
import { useConversation } from './use-conversation';
import { useInbox } from './use-inbox';
import { useSupportSearch } from './use-support-search';

function conversationIdOf(value: LocationQueryValue | LocationQueryValue[] | undefined): number | null {
  const single = Array.isArray(value) ? value[0] : value;
  const id = Number(single);
  return Number.isInteger(id) && id > 0 ? id : null;
}

/**
 * The 客服 workspace: the inbox, the conversation open in it (`?c=<id>`, so a reload or a link opens it again) and
 * the search, all fed by the tab's one chat socket: each frame goes to the inbox and to the open conversation. After a
 * reconnection the inbox is asked for again (the open conversation resumes by itself); every 30 s too, for the lines
 * of other agents' conversations, whose messages this agent does not get live.
 */
export function useSupportWorkspace() {
  const route = useRoute();
  const router = useRouter();
  const session = useMerchantSessionStore();
  const support = useSupportStore();
  const myId = () => session.me?.id ?? 0;

  const inbox = useInbox(myId);
  const search = useSupportSearch();
  const chat = useConversation(myId, (m) => inbox.onMessage(m, true));

  const inFront = (conversationId: number) =>
    conversationId === chat.id.value && document.visibilityState === 'visible';

  function onFrame(frame: SupportServerFrame): void {
    switch (frame.type) {
      case 'message':
        inbox.onMessage(frame.message, inFront(frame.message.conversationId));
        chat.onMessage(frame.message);
        return;
      case 'ack':
        inbox.onMessage(frame.message, true);
        return;
      case 'conversation':
        inbox.onConversation(frame.conversation);
        chat.onConversation(frame.conversation);
        return;
      case 'read':
        if (frame.by === 'agent') inbox.onRead(frame.conversationId, frame.seq);
        return;
      case 'ready':
        void inbox.load(true);
        return;
    }
  }

  function openConversation(id: number): void {
    inbox.onRead(id, Number.MAX_SAFE_INTEGER);
    if (chat.id.value === id) chat.markRead();
    void router.replace({ query: { ...route.query, c: String(id) } });
  }

  function onVisibility(): void {
    if (document.visibilityState === 'visible') chat.markRead();
  }

  let unsubscribe: (() => void) | null = null;
  let poll: ReturnType<typeof setInterval> | null = null;

  watch(
    () => conversationIdOf(route.query.c),
    (id) => {
      if (id === null) chat.leave();
      else void chat.open(id);
    },
    { immediate: true },
  );

  onMounted(() => {
    unsubscribe = support.socket.onFrame(onFrame);
    poll = setInterval(() => void inbox.load(true), SUPPORT_POLL_MS);
    document.addEventListener('visibilitychange', onVisibility);
    void inbox.load();
    support.refreshSoon();
  });

  onUnmounted(() => {
    unsubscribe?.();
    if (poll !== null) clearInterval(poll);
    document.removeEventListener('visibilitychange', onVisibility);
    inbox.dispose();
    chat.leave();
  });

  return { inbox, search, chat, openConversation };
}
