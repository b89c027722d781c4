import { computed, nextTick, reactive, ref } from 'vue';
import { onHide, onLoad, onShow, onUnload } from '@dcloudio/uni-app';
import type {
  ErrorReason,
  ShopSupport,
  SupportCard,
  SupportMessage,
  SupportMessageKind,
  SupportServerFrame,
} from '@shopfleet/contracts';
import { SUPPORT_LIMITS } from '@shopfleet/contracts/constants';
import { getAfterSales } from '../api/after-sales';
import { getProduct } from '../api/catalog';
import { getOrder } from '../api/orders';
import {
  mySupport,
  mySupportMessages,
  readMySupport,
  sendMySupportMessage,
  subscribeMySupport,
  uploadSupportImage,
} from '../api/support';
import { askReplyNotice } from '../platform/subscribe';
import { hasText, t } from '../locales';
import { pageQueryId } from '../platform/page-query';
import { resolveShopContext } from '../platform/shop-context';
import { ApiError, describeError, type ApiErrorCode } from '../request';
import { getTokens } from '../stores/session';
import { newClientMsgId } from '../utils/ids';
import { imageUrl } from '../utils/image';
import { openAfterSales, openLogin, openOrder, openProduct, type SupportOffer } from '../utils/routes';
import {
  HISTORY_PAGE,
  SUPPORT_EMOJI,
  appendWithin,
  contiguousSeqOf,
  hasOlder,
  lastSeqOf,
  mergeMessages,
  resumeFrame,
  seqToMarkRead,
  settlePending,
  supportSocketUrl,
  timeBreaks,
  type PendingMessage,
} from '../utils/support-chat';
import { cardView, sendBodyOf, type CardView } from '../utils/support-cards';
import { SupportSocket, openUniSocket, type ChatSocketState } from '../utils/support-socket';
import { formatDateTime } from '../utils/time';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';
import { useSignInGate } from './use-sign-in-gate';

/** How long a message may wait for its acknowledgement before it shows as failed (to be sent again, same id). */
const ACK_TIMEOUT_MS = 15_000;
/** The id of the view at the end of the list, scrolled to when a message comes. */
const END_ANCHOR = 'chat-end';

/** The card an offer shows before it is sent, from the product, order or case the page was opened from. */
async function offerCard(offer: SupportOffer): Promise<SupportCard> {
  if (offer.kind === 'product') {
    const p = await getProduct(offer.id);
    return {
      type: 'product',
      id: p.id,
      title: p.title,
      imageUrl: imageUrl(p.images[0], 'thumb') || null,
      priceFen: p.priceFen,
      no: null,
      status: null,
    };
  }
  if (offer.kind === 'order') {
    const o = await getOrder(offer.id);
    return {
      type: 'order',
      id: o.id,
      title: o.lines[0]?.title ?? o.orderNo,
      imageUrl: o.lines[0]?.imageUrl ?? null,
      priceFen: o.totalFen,
      no: o.orderNo,
      status: o.status,
    };
  }
  const c = await getAfterSales(offer.id);
  return {
    type: 'after_sales',
    id: c.id,
    title: c.title,
    imageUrl: c.imageUrl,
    priceFen: c.amountFen,
    no: c.caseNo,
    status: c.status,
  };
}

/** One line of the conversation: a stored message, or one of the shopper's still on its way. */
export interface Bubble {
  key: string;
  /** The element id the list scrolls to. */
  anchor: string;
  seq: number | null;
  mine: boolean;
  system: boolean;
  kind: SupportMessageKind;
  text: string | null;
  imageUrl: string | null;
  card: CardView | null;
  /** The agent's name above a reply. */
  senderName: string | null;
  state: 'sent' | PendingMessage['state'];
  error: string | null;
  clientMsgId: string | null;
  /** The time above it, when it came long after the one before. */
  timeText: string | null;
}

/**
 * Why a message was not taken, in the shopper's words: the field's reason where the server named one (an image that
 * is not the shopper's), else the error's reason or code.
 */
function sendErrorText(error: unknown): string {
  if (error instanceof ApiError) {
    const issues = (error.details as { issues?: Array<{ reason?: unknown }> } | null | undefined)?.issues;
    const reason = issues?.[0]?.reason;
    const key = `errors.reasons.${typeof reason === 'string' ? reason : ''}`;
    if (typeof reason === 'string' && hasText(key)) return t(key);
  }
  return describeError(error);
}

/** An `error` frame as the request client's error, so it is said the same way. */
function frameError(frame: Extract<SupportServerFrame, { type: 'error' }>): ApiError {
  return new ApiError(frame.code as ApiErrorCode, '', 0, undefined, undefined, {
    reason: frame.reason as ErrorReason | undefined,
    params: frame.params as Record<string, string | number> | undefined,
  });
}

function chooseImage(): Promise<string | null> {
  return new Promise((resolve) => {
    uni.chooseImage({
      count: 1,
      sizeType: ['compressed'],
      sourceType: ['album', 'camera'],
      success(res) {
        const paths = res.tempFilePaths;
        resolve((Array.isArray(paths) ? paths[0] : paths) ?? null);
      },
      fail() {
        resolve(null);
      },
    });
  });
}

/**
 * The chat with the shop's customer service: the newest history (older pages as the shopper scrolls up), live
 * messages over the socket (resumed after the last seq whenever it comes back), the shopper's messages pending until
 * acknowledged and sent again with the same id when they fail, the card of the product, order or case the page was
 * opened from, and read marks while the page shows the messages.
 */
export function useSupportChat() {
  const gate = useSignInGate();
  const summary = ref<ShopSupport | null>(null);
  const messages = ref<SupportMessage[]>([]);
  const pending = ref<PendingMessage[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const loadingOlder = ref(false);
  const connection = ref<ChatSocketState>('idle');
  /** The socket was up once since the page opened. */
  const wasReady = ref(false);
  const text = ref('');
  const emojiOpen = ref(false);
  const offer = ref<(SupportOffer & { card: SupportCard }) | null>(null);
  const scrollTarget = ref('');

  /** The offer the page was opened with; its card is read once the shopper is known to be signed in. */
  let requestedOffer: SupportOffer | null = null;
  let conversationId: number | null = null;
  let showing = false;
  let markedSeq = 0;
  const ackTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Messages on their way through the API (the socket was down): a reconnect does not send them again. */
  const viaApi = new Set<string>();

  const socket = new SupportSocket({
    url() {
      const tokens = getTokens();
      if (!tokens) return null;
      const { apiBase, shopKey } = resolveShopContext();
      return supportSocketUrl(apiBase, shopKey, tokens.accessToken);
    },
    open: openUniSocket,
    async checkSignIn() {
      try {
        summary.value = await mySupport();
        return true;
      } catch (e) {
        return !gate.lapsed(e);
      }
    },
    onReady,
    onFrame,
    onState(state) {
      connection.value = state;
      if (state === 'ready') wasReady.value = true;
      if (state === 'signed-out') gate.lapsed(new ApiError('UNAUTHENTICATED', 'signed out', 401));
    },
  });

  // ---- what the page shows ----

  const breaks = computed(() => timeBreaks(messages.value));
  const bubbles = computed<Bubble[]>(() => {
    const stored = messages.value.map((m): Bubble => ({
      key: `s${m.seq}`,
      anchor: `chat-s${m.seq}`,
      seq: m.seq,
      mine: m.sender === 'shopper',
      system: m.sender === 'system',
      kind: m.kind,
      text: m.text,
      imageUrl: m.imageUrl,
      card: m.card ? cardView(m.card) : null,
      senderName: m.sender === 'agent' ? (m.senderName ?? t('support.agent')) : null,
      state: 'sent',
      error: null,
      clientMsgId: m.clientMsgId,
      timeText: breaks.value.has(m.seq) ? formatDateTime(m.at) : null,
    }));
    const waiting = pending.value.map((p): Bubble => ({
      key: `p${p.clientMsgId}`,
      anchor: `chat-p${p.clientMsgId}`,
      seq: null,
      mine: true,
      system: false,
      kind: p.preview.card ? p.preview.card.type : p.preview.localPath ? 'image' : 'text',
      text: p.preview.text ?? null,
      imageUrl: p.preview.localPath ?? null,
      card: p.preview.card ? cardView(p.preview.card) : null,
      senderName: null,
      state: p.state,
      error: p.error,
      clientMsgId: p.clientMsgId,
      timeText: null,
    }));
    return [...stored, ...waiting];
  });
  const olderExists = computed(() => hasOlder(messages.value));
  const agentsOnline = computed(() => summary.value?.agentsOnline === true);
  const statusText = computed(() => (agentsOnline.value ? t('support.online') : t('support.offline')));
  /** The agent who has the conversation, once one has it. */
  const agentName = computed(() => (summary.value?.status === 'open' ? summary.value.agentName : null));
  /** Shown once a connection was lost and is being made again (not while the page first connects). */
  const reconnecting = computed(
    () => wasReady.value && (connection.value === 'waiting' || connection.value === 'connecting'),
  );
  const canSend = computed(() => text.value.trim().length > 0);
  const offerView = computed(() => (offer.value ? cardView(offer.value.card) : null));

  function scrollTo(anchor: string) {
    scrollTarget.value = '';
    void nextTick(() => {
      scrollTarget.value = anchor;
    });
  }

  // ---- messages in ----

  function receive(list: readonly SupportMessage[]) {
    if (list.length === 0) return;
    const before = lastSeqOf(messages.value);
    messages.value = mergeMessages(messages.value, list);
    const settled = settlePending(pending.value, messages.value);
    if (settled.length !== pending.value.length) {
      for (const p of pending.value) if (!settled.includes(p)) clearAckTimer(p.clientMsgId);
      pending.value = settled;
    }
    conversationId ??= list[0]!.conversationId;
    if (lastSeqOf(messages.value) > before) scrollTo(END_ANCHOR);
    if (list.some((m) => m.sender === 'agent')) void refreshSummary();
    markRead();
  }

  function onReady() {
    const frame = resumeFrame(conversationId, contiguousSeqOf(messages.value));
    if (frame) socket.send(frame);
    // What was on its way over the socket when it dropped goes again (same ids: the server stores each once).
    for (const p of pending.value) if (p.state === 'sending' && !viaApi.has(p.clientMsgId)) dispatch(p);
    markRead();
  }

  function onFrame(frame: SupportServerFrame) {
    switch (frame.type) {
      case 'message':
      case 'ack':
        receive([frame.message]);
        return;
      case 'error': {
        if (!frame.clientMsgId) {
          uni.showToast({ title: describeError(frameError(frame)), icon: 'none' });
          return;
        }
        // A message sent twice (again after a reconnect) may be refused once it is stored: only a pending one fails.
        const p = pending.value.find((x) => x.clientMsgId === frame.clientMsgId);
        if (p) fail(p, describeError(frameError(frame)));
        return;
      }
      default:
        return;
    }
  }

  let refreshing: Promise<void> | null = null;
  let refreshAgain = false;
  /** The conversation's state again (its agent, whether one is online); one request at a time. */
  function refreshSummary(): Promise<void> {
    if (refreshing) {
      refreshAgain = true;
      return refreshing;
    }
    refreshing = mySupport()
      .then((s) => {
        summary.value = s;
        conversationId ??= s.conversationId;
      })
      .catch(() => undefined)
      .finally(() => {
        refreshing = null;
        if (refreshAgain) {
          refreshAgain = false;
          void refreshSummary();
        }
      });
    return refreshing;
  }

  let catchingUp = false;
  /**
   * What the socket would have brought, through the API, while it is not up: the messages after the last seq with
   * none missing before it.
   */
  async function catchUp() {
    if (catchingUp || conversationId === null || socket.current === 'ready') return;
    catchingUp = true;
    try {
      receive(
        (await mySupportMessages({ after: contiguousSeqOf(messages.value), limit: SUPPORT_LIMITS.pageMax })).items,
      );
    } catch {
      // The socket's resume brings them once it is back.
    } finally {
      catchingUp = false;
    }
  }

  /** Marks the shop's replies read while the page shows them. */
  function markRead() {
    if (!showing || conversationId === null) return;
    const seq = seqToMarkRead(messages.value, markedSeq);
    if (seq === null) return;
    const before = markedSeq;
    markedSeq = seq;
    if (socket.send({ type: 'read', conversationId, seq })) return;
    readMySupport(seq).catch(() => {
      // Marked with the next message or the next time the page shows.
      if (markedSeq === seq) markedSeq = before;
    });
  }

  // ---- messages out ----

  function clearAckTimer(clientMsgId: string) {
    const timer = ackTimers.get(clientMsgId);
    if (timer) clearTimeout(timer);
    ackTimers.delete(clientMsgId);
  }

  function fail(p: PendingMessage, reason: string) {
    clearAckTimer(p.clientMsgId);
    p.state = 'failed';
    p.error = reason;
  }

  /** Sends a pending message over the socket when it is up, else through the API. */
  function dispatch(p: PendingMessage) {
    const body = p.body;
    if (!body) return;
    p.state = 'sending';
    p.error = null;
    clearAckTimer(p.clientMsgId);
    ackTimers.set(
      p.clientMsgId,
      setTimeout(() => {
        ackTimers.delete(p.clientMsgId);
        if (p.state === 'sending') fail(p, describeError(new ApiError('NETWORK_ERROR', 'no acknowledgement')));
      }, ACK_TIMEOUT_MS),
    );
    if (socket.send({ type: 'send', message: body })) return;
    viaApi.add(p.clientMsgId);
    sendMySupportMessage(body)
      .then(
        (message) => {
          receive([message]);
          void catchUp();
        },
        (e: unknown) => {
          if (gate.lapsed(e)) return;
          fail(p, sendErrorText(e));
        },
      )
      .finally(() => viaApi.delete(p.clientMsgId));
  }

  /** Adds a message to the list as pending and returns it (reactive, so its state shows as it changes). */
  function queue(draft: PendingMessage): PendingMessage {
    const p = reactive(draft) as PendingMessage;
    pending.value.push(p);
    scrollTo(END_ANCHOR);
    return p;
  }

  /**
   * In the mini-program, once per visit of the page and from the send tap: may the shop tell the shopper of a reply
   * they have not read? Each acceptance lets it send one notice (WeChat's rule).
   */
  let noticeAsked = false;
  function askForReplyNotice() {
    const templateId = summary.value?.subscribeTemplateId;
    if (noticeAsked || !templateId) return;
    noticeAsked = true;
    void askReplyNotice(templateId).then((accepted) => {
      if (accepted !== null) void subscribeMySupport(templateId, accepted).catch(() => undefined);
    });
  }

  function sendText() {
    const value = text.value.trim();
    if (!value) return;
    askForReplyNotice();
    if (value.length > SUPPORT_LIMITS.textMax) {
      uni.showToast({ title: t('support.textTooLong', { max: SUPPORT_LIMITS.textMax }), icon: 'none' });
      return;
    }
    const clientMsgId = newClientMsgId();
    text.value = '';
    emojiOpen.value = false;
    dispatch(
      queue({
        clientMsgId,
        body: { kind: 'text', clientMsgId, text: value },
        state: 'sending',
        error: null,
        preview: { text: value },
      }),
    );
  }

  function sendOffer() {
    const current = offer.value;
    if (!current) return;
    const clientMsgId = newClientMsgId();
    offer.value = null;
    dispatch(
      queue({
        clientMsgId,
        body: sendBodyOf(current, clientMsgId),
        state: 'sending',
        error: null,
        preview: { card: current.card },
      }),
    );
  }

  async function upload(p: PendingMessage) {
    const path = p.preview.localPath;
    if (!path) return;
    p.state = 'uploading';
    p.error = null;
    try {
      const image = await uploadSupportImage(path);
      p.body = { kind: 'image', clientMsgId: p.clientMsgId, imageId: image.id };
      dispatch(p);
    } catch (e) {
      if (!gate.lapsed(e)) fail(p, sendErrorText(e));
    }
  }

  async function sendImage() {
    emojiOpen.value = false;
    const path = await chooseImage();
    if (!path) return;
    const clientMsgId = newClientMsgId();
    await upload(queue({ clientMsgId, body: null, state: 'uploading', error: null, preview: { localPath: path } }));
  }

  /** A failed message again, with the same id (an image not yet uploaded is uploaded first). */
  function retry(clientMsgId: string | null) {
    const p = pending.value.find((x) => x.clientMsgId === clientMsgId);
    if (!p || p.state !== 'failed') return;
    if (p.body) dispatch(p);
    else void upload(p);
  }

  function addEmoji(emoji: string) {
    text.value = appendWithin(text.value, emoji, SUPPORT_LIMITS.textMax);
  }

  // ---- loading ----

  async function loadOffer() {
    const wanted = requestedOffer;
    if (!wanted) return;
    requestedOffer = null;
    try {
      offer.value = { ...wanted, card: await offerCard(wanted) };
    } catch {
      // Gone, off sale, not the shopper's: there is nothing to offer.
      offer.value = null;
    }
  }

  async function load() {
    if (loading.value || !gate.admit()) return;
    loading.value = true;
    error.value = null;
    try {
      const [s, page] = await Promise.all([mySupport(), mySupportMessages({ limit: HISTORY_PAGE })]);
      summary.value = s;
      conversationId = s.conversationId;
      messages.value = mergeMessages(messages.value, page.items);
      pending.value = settlePending(pending.value, messages.value);
      // Nothing unread: what is here was read before.
      if (s.unread === 0) markedSeq = Math.max(markedSeq, contiguousSeqOf(messages.value));
      loaded.value = true;
      scrollTo(END_ANCHOR);
      markRead();
      void loadOffer();
      socket.start();
    } catch (e) {
      if (!gate.lapsed(e)) error.value = describeError(e);
    } finally {
      loading.value = false;
    }
  }

  async function loadOlder() {
    const first = messages.value[0];
    if (loadingOlder.value || !first || !hasOlder(messages.value)) return;
    loadingOlder.value = true;
    try {
      const page = await mySupportMessages({ before: first.seq, limit: HISTORY_PAGE });
      messages.value = mergeMessages(messages.value, page.items);
      // Stay where the shopper was reading: at the message that was the oldest.
      scrollTo(`chat-s${first.seq}`);
    } catch (e) {
      uni.showToast({ title: describeError(e), icon: 'none' });
    } finally {
      loadingOlder.value = false;
    }
  }

  // ---- taps ----

  function openCard(card: CardView | null) {
    if (!card) return;
    if (card.type === 'product') openProduct(card.id);
    else if (card.type === 'order') openOrder(card.id);
    else openAfterSales(card.id);
  }

  function previewImage(url: string | null) {
    if (!url) return;
    const urls = bubbles.value.flatMap((b) => (b.kind === 'image' && b.imageUrl ? [b.imageUrl] : []));
    uni.previewImage({ urls, current: url });
  }

  useShopBars({ tabPage: false, title: () => t('nav.support') });
  onLoad((query) => {
    const productId = pageQueryId(query, 'productId');
    const orderId = pageQueryId(query, 'orderId');
    const caseId = pageQueryId(query, 'caseId');
    if (productId) requestedOffer = { kind: 'product', id: productId };
    else if (orderId) requestedOffer = { kind: 'order', id: orderId };
    else if (caseId) requestedOffer = { kind: 'after_sales', id: caseId };
  });
  onShow(() => {
    showing = true;
    if (!loaded.value) {
      void load();
      return;
    }
    if (!gate.admit()) return;
    void refreshSummary();
    socket.wake();
    void catchUp();
    markRead();
  });
  onHide(() => {
    showing = false;
  });
  onUnload(() => {
    showing = false;
    socket.stop();
    for (const timer of ackTimers.values()) clearTimeout(timer);
    ackTimers.clear();
  });

  return {
    ...useThemeVars(),
    primaryStyle: usePrimaryButtonStyle(),
    textMax: SUPPORT_LIMITS.textMax,
    emojis: SUPPORT_EMOJI,
    endAnchor: END_ANCHOR,
    signedIn: gate.signedIn,
    loaded,
    loading,
    error,
    bubbles,
    olderExists,
    loadingOlder,
    agentsOnline,
    statusText,
    agentName,
    reconnecting,
    offer: offerView,
    offerLabel: computed(() => (offer.value ? t(`support.offer.${offer.value.kind}`) : '')),
    text,
    canSend,
    emojiOpen,
    scrollTarget,
    loadOlder,
    sendText,
    sendOffer,
    sendImage,
    retry,
    addEmoji,
    toggleEmoji: () => {
      emojiOpen.value = !emojiOpen.value;
      // The panel takes room from the list: keep the newest message in sight.
      if (emojiOpen.value) scrollTo(END_ANCHOR);
    },
    closeEmoji: () => {
      emojiOpen.value = false;
    },
    openCard,
    previewImage,
    retryLoad: load,
    goSignIn: openLogin,
  };
}
