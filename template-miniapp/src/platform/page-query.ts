/**
 * One value of a page's onLoad query, as the string that was put into the URL. h5 (uni's router)
 * hands the values over decoded; the mini-program hands them over as they were in the URL.
 */
export function pageQueryValue(query: Record<string, unknown> | undefined, name: string): string {
  const raw = query?.[name];
  if (typeof raw !== 'string') return '';
  let value = raw;
  // #ifdef MP-WEIXIN
  try {
    value = decodeURIComponent(raw);
  } catch {
    value = raw;
  }
  // #endif
  return value;
}

/** A positive integer id from the page query, or null. */
export function pageQueryId(query: Record<string, unknown> | undefined, name: string): number | null {
  const value = pageQueryValue(query, name);
  if (!/^\d{1,15}$/.test(value)) return null;
  const id = Number(value);
  return id > 0 ? id : null;
}
