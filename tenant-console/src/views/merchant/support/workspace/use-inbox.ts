import { ref } from 'vue';
import type { SupportConversation, SupportInboxView, SupportMessage } from '@shopfleet/contracts';
import { SUPPORT_INBOX_VIEWS } from '@shopfleet/contracts/constants';
import { supportInbox } from '@/api/support';
import { applyConversation, sortInbox, withMessage } from './inbox';

const PAGE_SIZE = 30;

/**
 * The inbox's views (mine, queued, all open, closed) as the server lists them, kept live: a conversation frame moves a
 * line in or out of the view, a message moves its line up and counts it unread. A message of a conversation the page
 * does not show (further down the list) asks for the list again.
 */
export function useInbox(myId: () => number) {
  const view = ref<SupportInboxView>('mine');
  const items = ref<SupportConversation[]>([]);
  const total = ref(0);
  const page = ref(1);
  const loading = ref(false);
  let ticket = 0;
  let reloadTimer: ReturnType<typeof setTimeout> | null = null;

  /** The first page again; `quiet` keeps the lines on screen while it loads (a background refresh). */
  async function load(quiet = false): Promise<void> {
    const mine = ++ticket;
    if (!quiet) loading.value = true;
    try {
      const first = await supportInbox(view.value, { page: 1, pageSize: PAGE_SIZE }, { silent: quiet });
      if (mine !== ticket) return;
      items.value = first.items;
      total.value = first.total;
      page.value = 1;
    } catch {
      // Shown by the request client, or quiet for a background refresh.
    } finally {
      if (mine === ticket) loading.value = false;
    }
  }

  async function loadMore(): Promise<void> {
    const mine = ++ticket;
    loading.value = true;
    try {
      const next = await supportInbox(view.value, { page: page.value + 1, pageSize: PAGE_SIZE });
      if (mine !== ticket) return;
      const known = new Set(items.value.map((c) => c.id));
      items.value = sortInbox(view.value, [...items.value, ...next.items.filter((c) => !known.has(c.id))]);
      total.value = next.total;
      page.value += 1;
    } catch {
      // Shown by the request client.
    } finally {
      if (mine === ticket) loading.value = false;
    }
  }

  function reloadSoon(): void {
    if (reloadTimer !== null) clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => {
      reloadTimer = null;
      void load(true);
    }, 300);
  }

  async function changeView(name: string | number): Promise<void> {
    const next = SUPPORT_INBOX_VIEWS.find((known) => known === name);
    if (!next || next === view.value) return;
    view.value = next;
    items.value = [];
    total.value = 0;
    await load();
  }

  function onConversation(c: SupportConversation): void {
    const next = applyConversation(view.value, items.value, c, myId());
    items.value = next.items;
    total.value = Math.max(0, total.value + next.delta);
  }

  /** A live message; `readAtOnce` when its conversation is open in front of the agent. */
  function onMessage(m: SupportMessage, readAtOnce: boolean): void {
    const line = items.value.find((c) => c.id === m.conversationId);
    if (!line) {
      if (view.value === 'mine' || view.value === 'queued') reloadSoon();
      return;
    }
    const next = withMessage(line, m, readAtOnce);
    if (next !== line) items.value = sortInbox(view.value, [...items.value.filter((c) => c !== line), next]);
  }

  /** The agent read a conversation (here, or in another tab): its line has nothing unread. */
  function onRead(conversationId: number, seq: number): void {
    items.value = items.value.map((c) => (c.id === conversationId && seq >= c.lastSeq ? { ...c, unread: 0 } : c));
  }

  function dispose(): void {
    ticket++;
    if (reloadTimer !== null) clearTimeout(reloadTimer);
    reloadTimer = null;
  }

  return {
    views: SUPPORT_INBOX_VIEWS,
    view,
    items,
    total,
    loading,
    load,
    loadMore,
    changeView,
    onConversation,
    onMessage,
    onRead,
    dispose,
  };
}

export type InboxState = ReturnType<typeof useInbox>;
