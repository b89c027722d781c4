/** A wire timestamp (ISO 8601) as local date and time in the console's language. */
export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(date);
}

/** The shopper-facing H5 address of a shop, served by the platform under /s/<slug>/. */
export function shopH5Path(slug: string): string {
  return `/s/${encodeURIComponent(slug)}/`;
}

/** A file size for people: 812 B, 1.4 MB, 2.3 GB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

/** A calendar date as the API sends it (YYYY-MM-DD), unchanged, or a dash. */
export function formatDate(date: string | null | undefined): string {
  return date ? date.slice(0, 10) : '—';
}

/**
 * A calendar date as the API sends it (YYYY-MM-DD) written the reader's way: 2026年12月31日, December 31, 2026.
 * Read and written in UTC, so no time zone moves it to another day; anything else is returned as it came.
 */
export function formatCalendarDate(date: string, locale: string): string {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`) : null;
  if (!parsed || Number.isNaN(parsed.getTime())) return date;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(parsed);
}

/** How long ago, in the console's language: "3 hours ago", "2 天前". */
export function formatAge(iso: string | null | undefined, locale: string, now: number = Date.now()): string {
  if (!iso) return '—';
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const minutes = Math.max(0, Math.round((now - then) / 60_000));
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (minutes < 60) return format.format(-minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return format.format(-hours, 'hour');
  return format.format(-Math.floor(hours / 24), 'day');
}
