import type {
  AfterSalesCase,
  AfterSalesKind,
  AfterSalesReason,
  AfterSalesStatus,
  CarrierCode,
} from '@shopfleet/contracts';
import { AFTER_SALES_OPEN_STATUSES, AFTER_SALES_STATUSES, CARRIER_CODES } from '@shopfleet/contracts/constants';
import { hasText, t } from '../locales';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The list's tabs: all cases, those still being handled (open), and those that ended (every other state). */
export type AfterSalesTab = '' | 'open' | 'done';
export const AFTER_SALES_TABS: readonly AfterSalesTab[] = ['', 'open', 'done'];

/** The states a tab shows; all of them for '' (the list asked without a state). */
export function tabStatuses(tab: AfterSalesTab): readonly AfterSalesStatus[] {
  const open = AFTER_SALES_OPEN_STATUSES as readonly AfterSalesStatus[];
  if (tab === 'open') return open;
  if (tab === 'done') return AFTER_SALES_STATUSES.filter((s) => !open.includes(s));
  return AFTER_SALES_STATUSES;
}

export function isOpenStatus(status: AfterSalesStatus): boolean {
  return (AFTER_SALES_OPEN_STATUSES as readonly AfterSalesStatus[]).includes(status);
}

/** How many of the shopper's cases are still being handled, from the counts per state. */
export function openCount(counts: Partial<Record<AfterSalesStatus, number>>): number {
  return AFTER_SALES_OPEN_STATUSES.reduce((n, s) => n + (counts[s] ?? 0), 0);
}

export function afterSalesStatusText(status: AfterSalesStatus): string {
  return t(`afterSales.status.${status}`);
}

export function afterSalesKindText(kind: AfterSalesKind): string {
  return t(`afterSales.kind.${kind}`);
}

export function afterSalesReasonText(reason: AfterSalesReason): string {
  return t(`afterSales.reason.${reason}`);
}

export function carrierText(code: CarrierCode): string {
  return t(`afterSales.carrier.${code}`);
}

export function isCarrier(code: string): code is CarrierCode {
  return (CARRIER_CODES as readonly string[]).includes(code);
}

/**
 * What is left until a deadline, in words: whole days (rounded up: "within 2 days") from a day on, else hours, else
 * minutes; null once it has passed (the shop's timer is about to act).
 */
export function timeLeftText(deadlineAt: string, now: number): string | null {
  const ms = new Date(deadlineAt).getTime() - now;
  if (!Number.isFinite(ms) || ms <= 0) return null;
  if (ms >= DAY_MS) {
    const days = Math.ceil(ms / DAY_MS);
    return days === 1 ? t('afterSales.left.day') : t('afterSales.left.days', { days });
  }
  if (ms >= HOUR_MS) {
    const hours = Math.ceil(ms / HOUR_MS);
    return hours === 1 ? t('afterSales.left.hour') : t('afterSales.left.hours', { hours });
  }
  const minutes = Math.max(1, Math.ceil(ms / MINUTE_MS));
  return minutes === 1 ? t('afterSales.left.minute') : t('afterSales.left.minutes', { minutes });
}

/**
 * The line under a case's status: what happens next and who acts, with the time left when the step has a deadline
 * (the server's `deadlineAt`: a request unanswered is agreed, an approved return not shipped back closes, returned
 * goods not confirmed are refunded). A closed case says why, from its last step when the history is given.
 */
export function afterSalesHint(
  c: Pick<AfterSalesCase, 'status' | 'kind' | 'deadlineAt'> & { history?: Array<Pick<HistoryEntry, 'type'>> },
  now: number,
): string {
  const left = c.deadlineAt ? timeLeftText(c.deadlineAt, now) : null;
  switch (c.status) {
    case 'requested':
      if (!left) return t('afterSales.hint.requested');
      return c.kind === 'refund_only'
        ? t('afterSales.hint.requestedDeadline', { left })
        : t('afterSales.hint.requestedReturnDeadline', { left });
    case 'closed':
      return c.history?.at(-1)?.type === 'orderRefunded'
        ? t('afterSales.hint.closedOrderRefunded')
        : t('afterSales.hint.closed');
    case 'approved':
      return left ? t('afterSales.hint.approvedDeadline', { left }) : t('afterSales.hint.approved');
    case 'returned':
      if (c.kind === 'exchange') return t('afterSales.hint.returnedExchange');
      return left ? t('afterSales.hint.returnedDeadline', { left }) : t('afterSales.hint.returned');
    default:
      return t(`afterSales.hint.${c.status}`);
  }
}

type HistoryEntry = AfterSalesCase['history'][number];

/** One history entry in words: its step, else the state it led to. */
export function describeAfterSalesEvent(entry: Pick<HistoryEntry, 'type' | 'toStatus'>): string {
  const key = `afterSales.event.${entry.type}`;
  return hasText(key) ? t(key) : afterSalesStatusText(entry.toStatus);
}

/** Who took a step: the shopper, the merchant or the shop's timer (the system). */
export function afterSalesActorText(actorType: string): string {
  const key = `afterSales.actor.${actorType}`;
  return hasText(key) ? t(key) : '';
}

/**
 * The note of a history entry as the shopper reads it: a parcel's `CARRIER trackingNo` as the carrier's name and the
 * number; the shop timer's notes are said by the step itself (they are the server's words, not the shopper's
 * language).
 */
export function afterSalesNoteText(entry: Pick<HistoryEntry, 'type' | 'actorType' | 'note'>): string {
  if (entry.actorType === 'system') return '';
  if (entry.type === 'shipBack' || entry.type === 'reship') {
    const [code = '', ...rest] = entry.note.split(' ');
    if (isCarrier(code)) return `${carrierText(code)} ${rest.join(' ')}`.trim();
  }
  return entry.note;
}

export interface PageOfItems<T> {
  items: T[];
  total: number;
}

/**
 * Several newest-first lists read as one, newest (highest id) first, `pageSize` at a time — the list endpoint takes
 * one state, a tab shows several. Each list is read a page at a time, only as its items are needed; a case seen twice
 * (it moved to another state of the tab between two reads) is shown once. A read that fails leaves the merge as it
 * was, so `next` can be called again.
 */
export function newestFirst<K, T extends { id: number }>(
  keys: readonly K[],
  read: (key: K, page: number, pageSize: number) => Promise<PageOfItems<T>>,
  pageSize: number,
) {
  const lists = keys.map((key) => ({ key, buffer: [] as T[], page: 0, total: Number.POSITIVE_INFINITY }));
  const seen = new Set<number>();
  const hasMore = (l: (typeof lists)[number]) => l.page * pageSize < l.total;

  async function fill(): Promise<void> {
    await Promise.all(
      lists
        .filter((l) => l.buffer.length === 0 && hasMore(l))
        .map(async (l) => {
          const result = await read(l.key, l.page + 1, pageSize);
          l.page += 1;
          l.buffer.push(...result.items);
          // An empty page ends the list whatever its total says (cases moved away meanwhile).
          l.total = result.items.length ? result.total : 0;
        }),
    );
  }

  /** The next `pageSize` items (fewer at the end). */
  async function next(): Promise<T[]> {
    const taken: Array<{ list: (typeof lists)[number]; item: T; shown: boolean }> = [];
    try {
      while (taken.filter((p) => p.shown).length < pageSize) {
        await fill();
        const heads = lists.filter((l) => l.buffer.length > 0);
        if (!heads.length) break;
        const newest = heads.reduce((a, b) => (b.buffer[0]!.id > a.buffer[0]!.id ? b : a));
        const item = newest.buffer.shift()!;
        const shown = !seen.has(item.id);
        if (shown) seen.add(item.id);
        taken.push({ list: newest, item, shown });
      }
    } catch (error) {
      for (const p of taken.reverse()) {
        p.list.buffer.unshift(p.item);
        if (p.shown) seen.delete(p.item.id);
      }
      throw error;
    }
    return taken.filter((p) => p.shown).map((p) => p.item);
  }

  return {
    next,
    /** Every list read to its end and every item handed out. */
    done: () => lists.every((l) => l.buffer.length === 0 && !hasMore(l)),
  };
}
