/**
 * Money is integer fen (1/100 CNY) on the wire, always. The console shows it as yuan with two
 * decimals (¥12.34) and turns what people type in yuan back into whole fen with Math.round, so no
 * floating-point amount ever reaches a payload.
 */

/** 1234 → "¥12.34"; -50 → "-¥0.50"; null → "—". Integer arithmetic, no rounding surprises. */
export function formatFen(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '—';
  const whole = Math.round(fen);
  const sign = whole < 0 ? '-' : '';
  const abs = Math.abs(whole);
  return `${sign}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A price range of a product: one amount when min and max agree, else "¥1.00 – ¥9.90". */
export function formatFenRange(minFen: number, maxFen: number): string {
  return minFen === maxFen ? formatFen(minFen) : `${formatFen(minFen)} – ${formatFen(maxFen)}`;
}

/** Yuan as typed (12.34) → whole fen (1234). */
export function yuanToFen(yuan: number): number {
  return Math.round(yuan * 100);
}

/** Whole fen (1234) → yuan for an input (12.34). */
export function fenToYuan(fen: number): number {
  return fen / 100;
}
