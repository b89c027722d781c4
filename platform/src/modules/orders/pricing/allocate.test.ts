import fc from 'fast-check';
import { allocate, refundUnits, type LineBalance } from './allocate';

/** The exact share a line is owed, as a whole part and a remainder over the total (BigInt: no rounding anywhere). */
function exactShares(amount: number, payables: number[]) {
  const total = BigInt(payables.reduce((n, p) => n + p, 0));
  const applied = BigInt(Math.min(amount, Number(total)));
  return payables.map((p) => ({
    whole: total === 0n ? 0 : Number((applied * BigInt(p)) / total),
    rest: total === 0n ? 0n : (applied * BigInt(p)) % total,
  }));
}

const payablesArb = fc.oneof(
  fc.array(fc.integer({ min: 0, max: 2_000 }), { minLength: 1, maxLength: 50 }),
  fc.array(fc.integer({ min: 0, max: 99 * 100_000_000_00 }), { minLength: 1, maxLength: 50 }),
  fc.array(fc.constantFrom(0, 1, 333, 999), { minLength: 1, maxLength: 12 }),
);

describe('allocate: one discount split over lines to the fen', () => {
  it.each<[string, number, number[], number[]]>([
    ['¥1 over three lines of ¥3.33: the fen left over goes to the first line', 100, [333, 333, 333], [34, 33, 33]],
    ['¥10 over three lines of ¥3.33 is capped at what they cost', 1000, [333, 333, 333], [333, 333, 333]],
    ['¥10 over ¥10, ¥20, ¥30: the fen goes to the largest remainder', 1000, [1000, 2000, 3000], [167, 333, 500]],
    ['1 fen over three equal lines', 1, [500, 500, 500], [1, 0, 0]],
    ['2 fen over three lines of 1 fen', 2, [1, 1, 1], [1, 1, 0]],
    ['a line with nothing payable gets nothing; a tie goes to the earlier line', 5, [0, 7, 0, 3], [0, 4, 0, 1]],
    [
      'a larger remainder wins whatever its place: 5 over 1, 2, 4 (remainders 5, 3, 6 sevenths)',
      5,
      [1, 2, 4],
      [1, 1, 3],
    ],
    ['nothing to take', 0, [100, 200], [0, 0]],
    ['nothing payable', 100, [0, 0], [0, 0]],
    ['no lines', 100, [], []],
    [
      'products past 2^53 are exact',
      1_000_000_000_000_001,
      [3e15, 3e15, 3e15],
      [333_333_333_333_334, 333_333_333_333_334, 333_333_333_333_333],
    ],
  ])('%s', (_name, amount, payables, shares) => {
    expect(allocate(amount, payables)).toEqual(shares);
  });

  it.each([[-1], [0.5], [Number.NaN], [2 ** 53]])('refuses %p as an amount', (amount) => {
    expect(() => allocate(amount, [100])).toThrow(RangeError);
  });

  it('refuses a negative payable', () => {
    expect(() => allocate(1, [100, -1])).toThrow(RangeError);
  });

  it('over random lines: shares sum to the capped amount, none passes its line, each is its exact share rounded by largest remainder', () => {
    fc.assert(
      fc.property(
        payablesArb,
        fc.double({ min: 0, max: 1.5, noNaN: true }),
        fc.nat(5_000),
        (payables, fraction, small) => {
          const total = payables.reduce((n, p) => n + p, 0);
          for (const amount of [Math.round(total * fraction), small]) {
            const shares = allocate(amount, payables);
            const exact = exactShares(amount, payables);
            const left = Math.min(amount, total) - exact.reduce((n, e) => n + e.whole, 0);
            // The lines owed a fen more: the `left` largest remainders, the earlier line first among equals.
            const owed = new Set(
              [...exact.keys()]
                .filter((i) => exact[i]!.rest > 0n)
                .sort((i, j) => (exact[i]!.rest === exact[j]!.rest ? i - j : exact[i]!.rest > exact[j]!.rest ? -1 : 1))
                .slice(0, left),
            );
            expect(shares).toEqual(exact.map((e, i) => e.whole + (owed.has(i) ? 1 : 0)));
            expect(shares.reduce((n, s) => n + s, 0)).toBe(Math.min(amount, total));
            expect(shares.every((s, i) => s >= 0 && s <= payables[i]!)).toBe(true);
            expect(allocate(amount, payables)).toEqual(shares);
          }
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('a line with more payable never gets a smaller share', () => {
    fc.assert(
      fc.property(payablesArb, fc.nat(10_000_000), (payables, amount) => {
        const shares = allocate(amount, payables);
        // Sorted by payable, the shares are sorted too.
        const byPayable = [...payables.keys()].sort((i, j) => payables[i]! - payables[j]!);
        expect(
          byPayable.every(
            (i, k) =>
              k === 0 || payables[byPayable[k - 1]!]! === payables[i]! || shares[byPayable[k - 1]!]! <= shares[i]!,
          ),
        ).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('refundUnits: a partial refund of a line returns its share', () => {
  const line = {
    units: 3,
    payableFen: 899,
    discounts: [{ stage: 'coupon' as const, source: 'coupon', sourceId: 7, fen: 100 }],
  };

  it('one of three units of ¥3.33 with ¥1 of coupon on the line, then the other two', () => {
    const first = refundUnits(line, 333, 1);
    expect(first.refund).toEqual({ units: 1, payableFen: 300, discounts: [{ ...line.discounts[0], fen: 33 }] });
    const rest = refundUnits(first.left, 333, 2);
    expect(rest.refund).toEqual({ units: 2, payableFen: 599, discounts: [{ ...line.discounts[0], fen: 67 }] });
    expect(rest.left).toEqual({ units: 0, payableFen: 0, discounts: [{ ...line.discounts[0], fen: 0 }] });
  });

  it('refuses more units than are left, and a balance that is not its units at their price', () => {
    expect(() => refundUnits(line, 333, 4)).toThrow(RangeError);
    expect(() => refundUnits(line, 333, 0)).toThrow(RangeError);
    expect(() => refundUnits(line, 334, 1)).toThrow(RangeError);
  });

  it('refunds of a line in any parts add up to its payable and to each share exactly, none negative', () => {
    const lineArb = fc
      .record({
        unit: fc.integer({ min: 0, max: 100_000_00 }),
        units: fc.integer({ min: 1, max: 99 }),
        cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }),
      })
      .chain(({ unit, units, cuts }) => {
        // Discount shares that leave the line at 0 or more: each takes a fraction of what the ones before it left.
        let left = unit * units;
        const discounts = cuts.map((c, i) => {
          const fen = Math.floor(left * c);
          left -= fen;
          return { stage: 'promotion' as const, source: 'test', sourceId: i, fen };
        });
        const parts = fc.array(fc.integer({ min: 1, max: units }), { minLength: 1, maxLength: units });
        return parts.map((sizes) => ({ unit, balance: { units, payableFen: left, discounts }, sizes }));
      });
    fc.assert(
      fc.property(lineArb, ({ unit, balance, sizes }) => {
        let now: LineBalance = balance;
        const refunds = [];
        for (const size of sizes) {
          if (now.units === 0) break;
          const { refund, left } = refundUnits(now, unit, Math.min(size, now.units));
          expect(refund.payableFen + refund.discounts.reduce((n, d) => n + d.fen, 0)).toBe(unit * refund.units);
          refunds.push(refund);
          now = left;
        }
        if (now.units > 0) refunds.push(refundUnits(now, unit, now.units).refund);
        for (const r of refunds)
          for (const fen of [r.payableFen, ...r.discounts.map((d) => d.fen)]) expect(fen).toBeGreaterThanOrEqual(0);
        expect(refunds.reduce((n, r) => n + r.payableFen, 0)).toBe(balance.payableFen);
        for (const [i, d] of balance.discounts.entries())
          expect(refunds.reduce((n, r) => n + r.discounts[i]!.fen, 0)).toBe(d.fen);
      }),
      { numRuns: 3_000 },
    );
  });
});
