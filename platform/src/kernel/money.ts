/** Fen as yuan text, exactly (no floating point): 1234 → "12.34". What Alipay takes and people read. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Yuan text back to fen, exactly ("12.3" → 1230); null when malformed. */
export function fenOf(yuanText: string): number | null {
  const m = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(yuanText);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
