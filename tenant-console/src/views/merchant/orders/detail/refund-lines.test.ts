import { describe, expect, it } from '@jest/globals';
import type { MerchantOrder } from '@shopfleet/contracts';
import {
  estimateLineRefundFen,
  linePaidFen,
  pickedLines,
  takesEveryUnit,
  unitsLeft,
  unitsPicked,
} from './refund-lines';

type Line = MerchantOrder['lines'][number];

function line(skuId: number, over: Partial<Line>): Line {
  return {
    skuId,
    productId: skuId * 10,
    title: `商品 ${skuId}`,
    specValues: [],
    imageUrl: null,
    unitPriceFen: 333,
    quantity: 3,
    subtotalFen: 999,
    discountFen: 333,
    refundedQuantity: 0,
    refundedFen: 0,
    ...over,
  };
}

// ¥10 off ¥9.99 of tea (3 × ¥3.33) and a ¥20.00 cup: 333 and 667, as the server splits it.
const tea = line(1, {});
const cup = line(2, { unitPriceFen: 2_000, quantity: 1, subtotalFen: 2_000, discountFen: 667 });

describe('a refund by line before it is sent', () => {
  it('a line paid its subtotal less its share of the discounts; each unit gives back a share of that', () => {
    expect(linePaidFen(tea)).toBe(666);
    expect(estimateLineRefundFen(tea, 1)).toBe(222);
    expect(estimateLineRefundFen(tea, 3)).toBe(666);
    expect(estimateLineRefundFen(cup, 1)).toBe(1_333);
    expect(estimateLineRefundFen(tea, 0)).toBe(0);
  });

  it('after a part of a line is refunded, the rest of it gives back what is left of it', () => {
    const part = { ...tea, refundedQuantity: 1, refundedFen: 222 };
    expect(estimateLineRefundFen(part, 1)).toBe(222);
    expect(estimateLineRefundFen(part, 2)).toBe(444);
    const odd = line(4, { quantity: 3, subtotalFen: 1_000, discountFen: 0, refundedQuantity: 1, refundedFen: 333 });
    expect(estimateLineRefundFen(odd, 1)).toBe(334);
    expect(estimateLineRefundFen(odd, 2)).toBe(667);
  });

  it('rounds an estimate to the fen', () => {
    const odd = line(3, { quantity: 3, subtotalFen: 1_000, discountFen: 0 });
    expect(estimateLineRefundFen(odd, 1)).toBe(333);
    expect(estimateLineRefundFen(odd, 2)).toBe(667);
  });

  it('asks at most what is left of a line, in whole units, and sends only the lines given units', () => {
    const part = { ...tea, refundedQuantity: 1 };
    expect(unitsLeft(part)).toBe(2);
    expect(unitsPicked(part, { 1: 5 })).toBe(2);
    expect(unitsPicked(part, { 1: -1 })).toBe(0);
    expect(unitsPicked(part, { 1: 1.7 })).toBe(1);
    expect(unitsPicked(part, { 1: null })).toBe(0);
    expect(pickedLines([part, cup], { 1: 1, 2: 0 })).toEqual([{ skuId: 1, quantity: 1 }]);
    expect(pickedLines([part, cup], {})).toEqual([]);
  });

  it('knows when the picks take every unit left, so the refund takes all that is left and closes the order', () => {
    const part = { ...tea, refundedQuantity: 1 };
    expect(takesEveryUnit([part, cup], { 1: 2, 2: 1 })).toBe(true);
    expect(takesEveryUnit([part, cup], { 1: 1, 2: 1 })).toBe(false);
    // A line refunded already needs nothing more.
    expect(takesEveryUnit([{ ...tea, refundedQuantity: 3 }, cup], { 2: 1 })).toBe(true);
    expect(takesEveryUnit([{ ...tea, refundedQuantity: 3 }], {})).toBe(false);
  });
});
