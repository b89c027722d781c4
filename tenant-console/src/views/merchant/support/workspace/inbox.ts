/**
 * The inbox's lines kept as the server lists them while frames come in: which view a conversation belongs to, the
 * order of a view, and a live message applied to its line. Pure, so that a unit test runs it.
 */
import type { SupportConversation, SupportInboxView, SupportMessage } from '@shopfleet/contracts';

/** Whether a conversation, as it is now, is listed in a view of the agent `agentId`'s inbox. */
export function belongsTo(view: SupportInboxView, c: SupportConversation, agentId: number): boolean {
  return view === 'mine' ? c.status === 'open' && c.agentId === agentId : c.status === view;
}

const lastAt = (c: SupportConversation) => c.lastMessage?.at ?? c.createdAt;

/** A view's order, as the server's: the latest message first; the queue the longest waiting first. */
export function sortInbox(view: SupportInboxView, items: readonly SupportConversation[]): SupportConversation[] {
  return [...items].sort((a, b) => {
    const byTime = view === 'queued' ? lastAt(a).localeCompare(lastAt(b)) : lastAt(b).localeCompare(lastAt(a));
    return byTime || b.id - a.id;
  });
}

/**
 * A conversation's new state applied to a view's lines: put in its place, or taken out when it left the view (taken,
 * transferred, closed). `delta` is what the view's total changes by.
 */
export function applyConversation(
  view: SupportInboxView,
  items: readonly SupportConversation[],
  c: SupportConversation,
  agentId: number,
): { items: SupportConversation[]; delta: number } {
  const had = items.some((item) => item.id === c.id);
  const rest = items.filter((item) => item.id !== c.id);
  if (!belongsTo(view, c, agentId)) return { items: rest, delta: had ? -1 : 0 };
  return { items: sortInbox(view, [...rest, c]), delta: had ? 0 : 1 };
}

/** A message's line in the inbox, as the server words it: the text, or the kind and the card's title. */
export function previewOf(m: SupportMessage): string {
  if (m.kind === 'text') return (m.text ?? '').slice(0, 120);
  if (m.kind === 'image') return '[image]';
  return `[${m.kind}] ${m.card?.title ?? ''}`.slice(0, 120);
}

/** What follows the kind in a card's or image's preview (`[product] 马克杯` → `马克杯`). */
export function previewTitle(preview: string): string {
  return preview.replace(/^\[[a-z_]+\] ?/, '');
}

/**
 * A live message applied to its conversation's line: the last message, and one more unread for a shopper's message the
 * agent does not read at once. Unchanged when the line has it already (the list was loaded after it).
 */
export function withMessage(c: SupportConversation, m: SupportMessage, readAtOnce: boolean): SupportConversation {
  if (m.seq <= c.lastSeq) return c;
  return {
    ...c,
    lastSeq: m.seq,
    lastMessage: { sender: m.sender, kind: m.kind, preview: previewOf(m), at: m.at },
    unread: m.sender === 'shopper' && !readAtOnce ? c.unread + 1 : c.unread,
  };
}
