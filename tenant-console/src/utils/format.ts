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
