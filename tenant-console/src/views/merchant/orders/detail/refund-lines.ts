/**
 * A refund by line as the console sees it before sending: the units still refundable and what they give back, about.
 * The server refunds each unit at what was paid for it, its share of every discount split to the fen (and the last
 * units of a line take what is left of it), so the console's figure is an estimate, shown as one.
 */
import type { MerchantOrder } from '@shopfleet/contracts';

type Line = MerchantOrder['lines'][number];

/** Units asked for, by SKU. */
export type RefundPicks = Record<number, number | null | undefined>;

/** What the shopper paid for a line: its subtotal less its share of the order's discounts. */
export function linePaidFen(line: Line): number {
  return line.subtotalFen - line.discountFen;
}

/** Units of a line not refunded yet. */
export function unitsLeft(line: Line): number {
  return Math.max(0, line.quantity - line.refundedQuantity);
}

/** The units asked for a line, as a whole number from 0 to what is left of it. */
export function unitsPicked(line: Line, picks: RefundPicks): number {
  const asked = Math.floor(Number(picks[line.skuId] ?? 0));
  return Number.isFinite(asked) ? Math.min(Math.max(asked, 0), unitsLeft(line)) : 0;
}

/**
 * About what `units` of a line give back: what is left of the line's paid amount over its units left, to the fen; the
 * line's last units take exactly what is left of it.
 */
export function estimateLineRefundFen(line: Line, units: number): number {
  const left = unitsLeft(line);
  if (units <= 0 || left <= 0) return 0;
  const paidLeft = linePaidFen(line) - line.refundedFen;
  return units >= left ? paidLeft : Math.round((units * paidLeft) / left);
}

/** The body's lines: those given units, in the order's line order. */
export function pickedLines(lines: readonly Line[], picks: RefundPicks): Array<{ skuId: number; quantity: number }> {
  return lines.map((line) => ({ skuId: line.skuId, quantity: unitsPicked(line, picks) })).filter((l) => l.quantity > 0);
}

/**
 * Whether the picks take every unit the order has left: that refund takes all that is left of the order's money (the
 * shipping fee too) and closes it, so its amount is known exactly.
 */
export function takesEveryUnit(lines: readonly Line[], picks: RefundPicks): boolean {
  const left = lines.filter((line) => unitsLeft(line) > 0);
  return left.length > 0 && left.every((line) => unitsPicked(line, picks) === unitsLeft(line));
}
