import { computed, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import type {
  SupportConversation,
  SupportConversationDetail,
  SupportMessage,
  SupportSendBody,
} from '@shopfleet/contracts';
import { SUPPORT_LIMITS } from '@shopfleet/contracts/constants';
import {
  claimSupportConversation,
  closeSupportConversation,
  getSupportConversation,
  readSupportConversation,
  sendSupportMessage,
  supportMessages,
  transferSupportConversation,
  uploadSupportImage,
} from '@/api/support';
import { notifyError } from '@/api/request';
import { translator } from '@/locales';
import { useSupportStore } from '@/stores/support';
import { errorText } from '@/utils/error-text';
import { SupportSendError, SupportSocketDown, mergeBySeq, newClientMsgId } from '@/utils/support-socket';

/** Messages a page of history holds (the newest when a conversation opens, then older ones on scrolling up). */
export const HISTORY_PAGE = 30;

/** The images the server takes for a message. */
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
export const IMAGE_ACCEPT = '.jpg,.jpeg,.png,.webp';

/** A message the agent sent that the server has not acknowledged yet (or refused: then it can be sent again). */
export interface PendingMessage {
  conversationId: number;
  clientMsgId: string;
  /** What is sent; null while its image is still uploading. */
  body: SupportSendBody | null;
  text: string | null;
  /** The chosen image, shown from the browser's copy until the server has it. */
  file: File | null;
  localUrl: string | null;
  state: 'sending' | 'failed';
}

/**
 * The conversation open in the workspace: its shopper and history (the newest page, older pages on demand), live
 * messages merged in by seq, the agent's messages pending until acknowledged (over the socket, else over HTTP with the
 * same client id, so a retry never sends twice), read marks while it is in front of the agent, and the actions on it.
 */
export function useConversation(myId: () => number, onStored: (m: SupportMessage) => void) {
  const { t } = useI18n();
  const support = useSupportStore();

  const id = ref<number | null>(null);
  const detail = shallowRef<SupportConversationDetail | null>(null);
  const messages = shallowRef<SupportMessage[]>([]);
  const pendingAll = ref<PendingMessage[]>([]);
  const loading = ref(false);
  const loadingOlder = ref(false);
  const acting = ref(false);
  /** The seq read marks were sent up to, per conversation. */
  const readUpTo = new Map<number, number>();
  let ticket = 0;

  const conversation = computed(() => detail.value?.conversation ?? null);
  const pending = computed(() => pendingAll.value.filter((p) => p.conversationId === id.value));
  const hasOlder = computed(() => (messages.value[0]?.seq ?? 1) > 1);
  const lastSeq = computed(() => messages.value.at(-1)?.seq ?? 0);
  const mine = computed(() => conversation.value?.status === 'open' && conversation.value.agentId === myId());
  /** Another agent has it: they answer it unless it is transferred. */
  const takenBy = computed(() =>
    conversation.value?.status === 'open' && conversation.value.agentId !== myId()
      ? (conversation.value.agentName ?? '')
      : null,
  );

  /** A conversation that is not the agent's own is watched, so its messages come live too. */
  const watches = (c: SupportConversation) => !(c.status === 'open' && c.agentId === myId());

  function follow(c: SupportConversation): void {
    const watch = watches(c);
    const known = support.socket.lastSeq(c.id);
    if (known !== null && support.socket.watching(c.id) === watch) return;
    if (known !== null) support.socket.unfollow(c.id);
    support.socket.follow(c.id, Math.max(known ?? 0, lastSeq.value), watch);
  }

  function leave(): void {
    if (id.value !== null) support.socket.unfollow(id.value);
    ticket++;
    id.value = null;
    detail.value = null;
    messages.value = [];
    support.activeConversationId = null;
  }

  /** Opens a conversation: its shopper and newest messages, then follows it live from the last one. */
  async function open(next: number): Promise<void> {
    if (id.value === next) return;
    leave();
    id.value = next;
    support.activeConversationId = next;
    const mineTicket = ++ticket;
    loading.value = true;
    try {
      const [loaded, history] = await Promise.all([
        getSupportConversation(next),
        supportMessages(next, { limit: HISTORY_PAGE }),
      ]);
      if (mineTicket !== ticket) return;
      detail.value = loaded;
      // Live messages that came while the history loaded are kept.
      messages.value = mergeBySeq(messages.value, history.items);
      follow(loaded.conversation);
      markRead(true);
    } catch {
      // Shown by the request client.
      if (mineTicket === ticket) leave();
    } finally {
      if (mineTicket === ticket) loading.value = false;
    }
  }

  /** The page before the first message shown. */
  async function loadOlder(): Promise<boolean> {
    const current = id.value;
    const first = messages.value[0]?.seq;
    if (current === null || !first || first <= 1 || loadingOlder.value) return false;
    loadingOlder.value = true;
    try {
      const older = await supportMessages(current, { before: first, limit: HISTORY_PAGE });
      if (id.value !== current) return false;
      messages.value = mergeBySeq(messages.value, older.items);
      return older.items.length > 0;
    } catch {
      return false;
    } finally {
      loadingOlder.value = false;
    }
  }

  /** Read up to the last message, when the conversation is in front of the agent and something new came. */
  function markRead(force = false): void {
    const current = id.value;
    const seq = lastSeq.value;
    if (current === null || seq === 0 || document.visibilityState !== 'visible') return;
    if (!force && (readUpTo.get(current) ?? 0) >= seq) return;
    readUpTo.set(current, seq);
    if (!support.socket.read(current, seq))
      readSupportConversation(current, seq, { silent: true }).then(
        () => support.refreshSoon(),
        () => readUpTo.delete(current),
      );
    if (detail.value && detail.value.conversation.unread > 0)
      detail.value = { ...detail.value, conversation: { ...detail.value.conversation, unread: 0 } };
  }

  /** A message the server delivered: merged by seq; the agent's own one replaces its pending bubble. */
  function onMessage(m: SupportMessage): void {
    if (m.conversationId !== id.value) return;
    messages.value = mergeBySeq(messages.value, [m]);
    if (m.sender === 'agent' && m.clientMsgId) settle(m.clientMsgId);
    if (m.sender === 'shopper') markRead();
  }

  /** The conversation's new state (taken, transferred, closed): shown, and followed as it now should be. */
  function onConversation(c: SupportConversation): void {
    if (c.id !== id.value || !detail.value) return;
    detail.value = { ...detail.value, conversation: c };
    follow(c);
  }

  function settle(clientMsgId: string): void {
    const done = pendingAll.value.find((p) => p.clientMsgId === clientMsgId);
    if (!done) return;
    if (done.localUrl) URL.revokeObjectURL(done.localUrl);
    pendingAll.value = pendingAll.value.filter((p) => p !== done);
  }

  function sayRefusal(error: unknown): void {
    if (error instanceof SupportSendError)
      ElMessage({
        type: 'error',
        message: errorText(translator, { code: error.code, reason: error.reason, params: error.params, message: '' }),
        grouping: true,
        showClose: true,
      });
    else notifyError(error);
  }

  /** Sends (or sends again) a pending message: its image uploaded first, then over the socket, else over HTTP. */
  async function deliver(clientMsgId: string): Promise<void> {
    const find = () => pendingAll.value.find((p) => p.clientMsgId === clientMsgId);
    const p = find();
    if (!p) return;
    p.state = 'sending';
    try {
      if (!p.body && p.file) {
        const image = await uploadSupportImage(p.file);
        const still = find();
        if (!still) return;
        still.body = { kind: 'image', clientMsgId, imageId: image.id };
      }
      const body = find()?.body;
      if (!body) return;
      let stored: SupportMessage;
      try {
        stored = await support.socket.send(p.conversationId, body);
      } catch (error) {
        if (!(error instanceof SupportSocketDown)) throw error;
        stored = await sendSupportMessage(p.conversationId, body, { silent: true });
      }
      if (stored.conversationId === id.value) messages.value = mergeBySeq(messages.value, [stored]);
      settle(clientMsgId);
      onStored(stored);
    } catch (error) {
      const failed = find();
      if (failed) failed.state = 'failed';
      sayRefusal(error);
    }
  }

  function queue(p: Omit<PendingMessage, 'conversationId' | 'state'>): void {
    if (id.value === null) return;
    pendingAll.value = [...pendingAll.value, { ...p, conversationId: id.value, state: 'sending' }];
    void deliver(p.clientMsgId);
  }

  /** Sends a text as typed (emoji are text); false when there is nothing to send. */
  function sendText(raw: string): boolean {
    const text = raw.trim();
    if (!text || text.length > SUPPORT_LIMITS.textMax) return false;
    const clientMsgId = newClientMsgId();
    queue({ clientMsgId, body: { kind: 'text', clientMsgId, text }, text, file: null, localUrl: null });
    return true;
  }

  /** Uploads an image and sends it; refused before uploading when the server would refuse it. */
  function sendImage(file: File): boolean {
    if (!IMAGE_TYPES.includes(file.type)) {
      ElMessage.error(t('catalog.images.typeInvalid'));
      return false;
    }
    if (file.size > SUPPORT_LIMITS.imageMaxBytes) {
      ElMessage.error(t('support.composer.imageTooLarge', { max: SUPPORT_LIMITS.imageMaxBytes / 1024 / 1024 }));
      return false;
    }
    queue({ clientMsgId: newClientMsgId(), body: null, text: null, file, localUrl: URL.createObjectURL(file) });
    return true;
  }

  function retry(p: PendingMessage): void {
    void deliver(p.clientMsgId);
  }

  async function act(run: (conversationId: number) => Promise<SupportConversation>): Promise<boolean> {
    const current = id.value;
    if (current === null || acting.value) return false;
    acting.value = true;
    try {
      onConversation(await run(current));
      support.refreshSoon();
      return true;
    } catch {
      return false;
    } finally {
      acting.value = false;
    }
  }

  return {
    id,
    detail,
    conversation,
    messages,
    pending,
    loading,
    loadingOlder,
    acting,
    hasOlder,
    mine,
    takenBy,
    open,
    leave,
    loadOlder,
    markRead,
    onMessage,
    onConversation,
    sendText,
    sendImage,
    retry,
    claim: () => act(claimSupportConversation),
    transfer: (agentId: number) => act((c) => transferSupportConversation(c, agentId)),
    close: () => act(closeSupportConversation),
  };
}

export type ConversationState = ReturnType<typeof useConversation>;
