/**
 * The shop's side of a chat with the shop's agents, as plain data: the messages the shopper has (one per seq, in seq
 * order, whether they came from history, an `ack` or the socket), the ones still on their way, what to ask for when
 * the socket comes back, and how long to wait before trying again. No uni, no Vue: the composable and the socket use
 * these, and the unit tests drive them.
 */
import type {
  SupportCard,
  SupportClientFrame,
  SupportMessage,
  SupportSendBody,
  SupportServerFrame,
} from '@shopfleet/contracts';
import { SUPPORT_WS_PATH } from '@shopfleet/contracts/constants';

/** Messages of history a page holds: the newest first, then older ones as the shopper scrolls up. */
export const HISTORY_PAGE = 30;

/** A message the shopper wrote that the server has not acknowledged yet. */
export interface PendingMessage {
  /** Sent again with every retry: the server stores it once. */
  clientMsgId: string;
  /** What goes to the server; null while its image is uploading. */
  body: SupportSendBody | null;
  state: 'uploading' | 'sending' | 'failed';
  /** Why the last try failed, in the shopper's words. */
  error: string | null;
  /** What the bubble shows until the server's message takes its place. */
  preview: { text?: string; localPath?: string; card?: SupportCard };
}

/** The messages and the incoming ones, one per seq (a later copy replaces an earlier one), in seq order. */
export function mergeMessages(list: readonly SupportMessage[], incoming: readonly SupportMessage[]): SupportMessage[] {
  if (incoming.length === 0) return [...list];
  const bySeq = new Map<number, SupportMessage>();
  for (const m of list) bySeq.set(m.seq, m);
  for (const m of incoming) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * The pending messages the server has not stored yet: one whose clientMsgId a shopper's message carries arrived
 * (its `ack`, or its echo over the socket, whichever came first).
 */
export function settlePending(
  pending: readonly PendingMessage[],
  messages: readonly SupportMessage[],
): PendingMessage[] {
  const stored = new Set(messages.flatMap((m) => (m.sender === 'shopper' && m.clientMsgId ? [m.clientMsgId] : [])));
  return pending.filter((p) => !stored.has(p.clientMsgId));
}

/** The newest seq the shopper has (0 before the first message). */
export function lastSeqOf(messages: readonly SupportMessage[]): number {
  return messages.length ? messages[messages.length - 1]!.seq : 0;
}

/**
 * The last seq up to which the shopper has every message: what a resume continues after, and what may be marked read.
 * A message can come ahead of the ones before it (the shopper's own, acknowledged while the socket was down, or before
 * the agent's reply that preceded it reached this socket); resuming after it would skip those.
 */
export function contiguousSeqOf(messages: readonly SupportMessage[]): number {
  if (messages.length === 0) return 0;
  let seq = messages[0]!.seq;
  for (let i = 1; i < messages.length && messages[i]!.seq === seq + 1; i++) seq += 1;
  return seq;
}

/** Whether older history exists before the oldest message held (seqs start at 1, with no gaps). */
export function hasOlder(messages: readonly SupportMessage[]): boolean {
  return messages.length > 0 && messages[0]!.seq > 1;
}

/** What the socket asks for when it is (back) up: everything after the last seq held; nothing before a conversation. */
export function resumeFrame(conversationId: number | null, afterSeq: number): SupportClientFrame | null {
  return conversationId === null ? null : { type: 'resume', conversations: [{ id: conversationId, afterSeq }] };
}

/**
 * The seq to mark read when the shopper sees the messages: the last one with none missing before it, when an agent's
 * message came after what was last marked; else null (the shopper's own messages need no marking).
 */
export function seqToMarkRead(messages: readonly SupportMessage[], markedSeq: number): number | null {
  const upTo = contiguousSeqOf(messages);
  const unseen = messages.some((m) => m.seq > markedSeq && m.seq <= upTo && m.sender !== 'shopper');
  return unseen ? upTo : null;
}

/** The agent's name from their latest message, or null. */
export function latestAgentName(messages: readonly SupportMessage[]): string | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.sender === 'agent' && m.senderName) return m.senderName;
  }
  return null;
}

/** Messages more than this far apart get the time between them. */
const TIME_GAP_MS = 5 * 60_000;

/** The seqs that get a time above them: the first message, and each that came long after the one before. */
export function timeBreaks(messages: readonly SupportMessage[]): Set<number> {
  const breaks = new Set<number>();
  let previous = Number.NaN;
  for (const m of messages) {
    const at = Date.parse(m.at);
    if (!(at - previous < TIME_GAP_MS)) breaks.add(m.seq);
    previous = at;
  }
  return breaks;
}

/** The first delay before reconnecting, and the longest. */
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_MAX_MS = 30_000;

/**
 * How long to wait before reconnect attempt `attempt` (0 first): doubling from a second up to thirty, each a random
 * half to whole of that, so a server restart is not met by every phone at the same instant.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, Math.min(attempt, 16)));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** The shopper's chat socket: the API's origin as ws/wss, the shop and the access token in the query. */
export function supportSocketUrl(apiBase: string, shopKey: string, accessToken: string): string {
  const origin = apiBase.replace(/^http/, 'ws');
  return `${origin}${SUPPORT_WS_PATH}?audience=shopper&shop=${encodeURIComponent(shopKey)}&token=${encodeURIComponent(accessToken)}`;
}

const FRAME_TYPES: ReadonlySet<string> = new Set([
  'ready',
  'message',
  'ack',
  'conversation',
  'read',
  'resumed',
  'error',
  'pong',
]);

/** A frame from the server, or null for what is not one (a client never throws on a frame it does not know). */
export function parseServerFrame(data: unknown): SupportServerFrame | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !FRAME_TYPES.has(type)) return null;
  const frame = value as SupportServerFrame;
  if ((frame.type === 'message' || frame.type === 'ack') && !isMessage(frame.message)) return null;
  return frame;
}

function isMessage(value: unknown): value is SupportMessage {
  const m = value as Partial<SupportMessage> | null;
  return !!m && typeof m.seq === 'number' && typeof m.conversationId === 'number' && typeof m.sender === 'string';
}

/** A fixed grid of common emoji for the composer's panel (emoji are text: they go out as part of a text message). */
export const SUPPORT_EMOJI: readonly string[] = [
  '😀',
  '😁',
  '😂',
  '🤣',
  '😊',
  '😍',
  '🥰',
  '😘',
  '😎',
  '🤔',
  '😅',
  '😉',
  '😋',
  '🤗',
  '😴',
  '🙄',
  '😢',
  '😭',
  '😡',
  '😱',
  '🙏',
  '👍',
  '👎',
  '👌',
  '👏',
  '💪',
  '🤝',
  '✌️',
  '❤️',
  '💔',
  '🎉',
  '🌹',
  '🔥',
  '✅',
  '❌',
  '❓',
  '🎁',
  '📦',
  '🚚',
  '☕',
];

/** `text` with `addition` appended, unless that would pass `max` characters (UTF-16 units, as the server counts). */
export function appendWithin(text: string, addition: string, max: number): string {
  return text.length + addition.length > max ? text : text + addition;
}
