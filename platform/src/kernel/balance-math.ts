/*
 * The arithmetic of balances that earn, freeze and give back (members' points, distributors' commission): pure, so the
 * two ledgers round and split alike and are tested once.
 */

/** What `amount` arriving does to a debt: it settles what it can (`settle`), and the rest (`rest`) is the holder's. */
export function creditAgainstDebt(debt: number, amount: number): { settle: number; rest: number } {
  const settle = Math.min(Math.max(0, debt), Math.max(0, amount));
  return { settle, rest: Math.max(0, amount) - settle };
}

/**
 * A whole's share for what was refunded of what was paid: in proportion, rounded down (in the holder's favour) until
 * the whole is refunded, then all of it.
 */
export function refundedShare(whole: number, refundedFen: number, paidFen: number): number {
  if (paidFen <= 0 || refundedFen >= paidFen) return whole;
  return Math.floor((whole * Math.max(0, refundedFen)) / paidFen);
}

/**
 * Taking back `n`: from what is still frozen of it first, then from what is available; what is still missing becomes a
 * debt (it never blocks the refund that asks for it).
 */
export function takeBackSplit(
  n: number,
  frozen: number,
  available: number,
): { frozen: number; available: number; debt: number } {
  const fromFrozen = Math.min(Math.max(0, frozen), n);
  const fromAvailable = Math.min(Math.max(0, available), n - fromFrozen);
  return { frozen: fromFrozen, available: fromAvailable, debt: n - fromFrozen - fromAvailable };
}
