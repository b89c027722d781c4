/**
 * China Standard Time (UTC+8, no daylight saving): the clock of Chinese documents, of WeChat Pay and
 * Alipay timestamps, and of the days merchants filter and reconcile by.
 */
const OFFSET_MS = 8 * 3600_000;

/** `2026-11-25T20:15:00` in China time (no zone). */
const local = (at: Date) => new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 19);

/** The calendar day of an instant, as YYYY-MM-DD. */
export const chinaDay = (at: Date): string => local(at).slice(0, 10);

/** `2026-11-25 20:15:00`, as Alipay writes times and as people read them. */
export const chinaDateTime = (at: Date): string => local(at).replace('T', ' ');

/** RFC 3339 with the zone, `2026-11-25T20:15:00+08:00`, as WeChat takes times. */
export const chinaRfc3339 = (at: Date): string => `${local(at)}+08:00`;

/** `20261125201500`: the time part of order and payment numbers. */
export const chinaStamp = (at: Date): string => local(at).replace(/\D/g, '');

/** The instant a China-time day (YYYY-MM-DD) begins. */
export const chinaDayStart = (day: string): Date => new Date(`${day}T00:00:00+08:00`);
