import type { Discount } from './pricing.types';

/** Throws unless `fen` is a whole, safe, non-negative number of fen. */
export function assertFen(fen: number, what: string): void {
  if (!Number.isSafeInteger(fen) || fen < 0)
    throw new RangeError(`${what} must be a whole number of fen, not below 0 (got ${fen})`);
}

/**
 * Splits `amountFen` over lines in proportion to what each line still has payable (`payablesFen`), to the fen:
 * each line gets the whole fen of its exact share, and the fen left over go one each to the lines with the largest
 * remainders, the earlier line first on a tie (largest remainder method, deterministic). A line of 0 gets nothing.
 *
 * The amount is capped at Σ payablesFen: the shares sum to min(amountFen, Σ payablesFen) exactly, and no share exceeds its
 * line's payable (a line never goes below 0).
 */
export function allocate(amountFen: number, payablesFen: readonly number[]): number[] {
  assertFen(amountFen, 'a discount');
  let total = 0;
  for (const p of payablesFen) {
    assertFen(p, 'a payable');
    total += p;
  }
  assertFen(total, 'the payables together');
  const applied = Math.min(amountFen, total);
  if (applied === 0) return payablesFen.map(() => 0);
  if (applied === total) return [...payablesFen];
  return Number.isSafeInteger(applied * total)
    ? largestRemainder(applied, payablesFen, total)
    : largestRemainderBig(applied, payablesFen, total);
}

function largestRemainder(amount: number, payables: readonly number[], total: number): number[] {
  const shares: number[] = [];
  const remainders: number[] = [];
  let left = amount;
  for (const p of payables) {
    const scaled = amount * p;
    const r = scaled % total;
    const share = (scaled - r) / total;
    shares.push(share);
    remainders.push(r);
    left -= share;
  }
  for (const i of byLargestRemainder(remainders, left)) shares[i]! += 1;
  return shares;
}

/** The same with BigInt, for amounts whose products pass 2^53 (¥1亿 lines exist in the catalog's range). */
function largestRemainderBig(amount: number, payables: readonly number[], total: number): number[] {
  const a = BigInt(amount);
  const t = BigInt(total);
  const shares: number[] = [];
  const remainders: bigint[] = [];
  let left = amount;
  for (const p of payables) {
    const scaled = a * BigInt(p);
    const share = Number(scaled / t);
    shares.push(share);
    remainders.push(scaled % t);
    left -= share;
  }
  for (const i of byLargestRemainder(remainders, left)) shares[i]! += 1;
  return shares;
}

/** The indexes of the `n` largest remainders, the earlier index first among equals. */
function byLargestRemainder<T extends number | bigint>(remainders: T[], n: number): number[] {
  if (n === 0) return [];
  const order = remainders.map((_, i) => i).filter((i) => remainders[i]! > 0);
  order.sort((i, j) => (remainders[j]! > remainders[i]! ? 1 : remainders[j]! < remainders[i]! ? -1 : i - j));
  return order.slice(0, n);
}

/** What is left of a line to refund: units not yet refunded, the payable of those units, and each discount's share of them. */
export interface LineBalance {
  units: number;
  payableFen: number;
  discounts: Discount[];
}

/**
 * Refunds `units` of a line: their goods value (unit price × units) is split over what is left of the line's payable
 * and of each discount's share, with `allocate`. Refunds of a line in any parts therefore add up to exactly its payable
 * (the money back) and each discount's share (the points back, a coupon's part), and none is ever negative; the last
 * unit takes all that is left.
 */
export function refundUnits(
  balance: LineBalance,
  unitPriceFen: number,
  units: number,
): { refund: LineBalance; left: LineBalance } {
  if (!Number.isSafeInteger(units) || units < 1 || units > balance.units)
    throw new RangeError(`cannot refund ${units} of ${balance.units} units`);
  const parts = [balance.payableFen, ...balance.discounts.map((d) => d.fen)];
  if (parts.reduce((n, p) => n + p, 0) !== unitPriceFen * balance.units)
    throw new RangeError('the balance is not its units at their unit price');
  const back = allocate(unitPriceFen * units, parts);
  const shares = (taken: number[]) => balance.discounts.map((d, i) => ({ ...d, fen: taken[i + 1]! }));
  return {
    refund: { units, payableFen: back[0]!, discounts: shares(back) },
    left: {
      units: balance.units - units,
      payableFen: balance.payableFen - back[0]!,
      discounts: shares(parts.map((p, i) => p - back[i]!)),
    },
  };
}
