import { useI18n } from 'vue-i18n';
import type { AfterSalesCase } from '@shopfleet/contracts';
import { CARRIERS, type CarrierCode } from '@shopfleet/contracts/constants';
import { deadlineOutcome, timeLeft } from './deadline';

type HistoryEntry = AfterSalesCase['history'][number];

/** The steps whose note is a parcel. */
const PARCEL_EVENTS = new Set(['shipBack', 'reship']);

function isCarrier(code: string): code is CarrierCode {
  return Object.hasOwn(CARRIERS, code);
}

/** How the 售后 pages say a case's kind, reason, state, history and deadline in the console's language. */
export function useAfterSalesText() {
  const { t, te } = useI18n();

  /** A step of the history by its name; one the console does not know yet is shown as sent. */
  function eventLabel(type: string): string {
    return te(`afterSales.events.${type}`) ? t(`afterSales.events.${type}`) : type;
  }

  function actorLabel(actorType: string): string {
    return te(`audit.actorTypes.${actorType}`) ? t(`audit.actorTypes.${actorType}`) : actorType;
  }

  function carrierName(code: string): string {
    return isCarrier(code) ? CARRIERS[code] : code;
  }

  /** A step's note: a parcel (sent back, or the replacement) is stored as `<carrier code> <tracking no>`, said with the carrier's name. */
  function eventNote(entry: Pick<HistoryEntry, 'type' | 'note'>): string {
    const parcel = PARCEL_EVENTS.has(entry.type) ? /^([A-Z]+) (\S+)$/.exec(entry.note) : null;
    return parcel?.[1] && parcel[2] ? `${carrierName(parcel[1])} ${parcel[2]}` : entry.note;
  }

  /**
   * The deadline of the case's step: the time left (剩余 1 天 23 小时) and what then happens (超时自动同意退款), or
   * null when the step has none.
   */
  function deadlineText(c: AfterSalesCase, now: number): { left: string; outcome: string } | null {
    const outcome = deadlineOutcome(c);
    if (!c.deadlineAt || !outcome) return null;
    const left = timeLeft(c.deadlineAt, now);
    return {
      left: !left
        ? t('afterSales.deadline.due')
        : left.days > 0
          ? t('afterSales.deadline.leftDays', { days: left.days, hours: left.hours })
          : left.hours > 0
            ? t('afterSales.deadline.leftHours', { hours: left.hours, minutes: left.minutes })
            : t('afterSales.deadline.leftMinutes', { minutes: Math.max(1, left.minutes) }),
      outcome: t(`afterSales.deadline.outcomes.${outcome}`),
    };
  }

  return {
    statusLabel: (status: AfterSalesCase['status']) => t(`afterSales.status.${status}`),
    kindLabel: (kind: AfterSalesCase['kind']) => t(`afterSales.kind.${kind}`),
    reasonLabel: (reason: AfterSalesCase['reason']) => t(`afterSales.reason.${reason}`),
    eventLabel,
    actorLabel,
    carrierName,
    eventNote,
    deadlineText,
  };
}
