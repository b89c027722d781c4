/** The one money formatter: integer fen to `¥12.34`. */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  return `${sign}¥${yuan}.${cents < 10 ? '0' : ''}${cents}`;
}

const YUAN = /^\d{1,8}(\.\d{0,2})?$/;

/**
 * A shopper's yuan input (`12`, `12.5`, `12.34`) to integer fen; '' is `undefined` (no bound),
 * anything else (negative, more than two decimals, not a number) is `null`.
 */
export function parseYuanToFen(input: string): number | undefined | null {
  const text = input.trim();
  if (text === '') return undefined;
  if (!YUAN.test(text)) return null;
  const [whole = '0', fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}
