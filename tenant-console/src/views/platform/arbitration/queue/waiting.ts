/** How long a complaint has waited, in whole days, hours and minutes (rounded down; nothing below zero). */
export interface Waited {
  days: number;
  hours: number;
  minutes: number;
}

const MINUTE_MS = 60_000;

/** The time from `since` (ISO 8601) to `now` (ms); null when `since` is no date. */
export function waitedSince(since: string, now: number): Waited | null {
  const from = Date.parse(since);
  if (Number.isNaN(from)) return null;
  const minutes = Math.max(0, Math.floor((now - from) / MINUTE_MS));
  return { days: Math.floor(minutes / 1440), hours: Math.floor((minutes % 1440) / 60), minutes: minutes % 60 };
}
