import fc from 'fast-check';
import type { ShippingRate } from '@shopfleet/contracts';
import {
  additionalFee,
  combine,
  feeAlone,
  isFree,
  quoteFreight,
  rateFor,
  unitsOf,
  type FreightLine,
  type FreightTemplate,
} from './freight-quote';

const rate = (over: Partial<ShippingRate> = {}): ShippingRate => ({
  firstUnits: 1,
  firstFeeFen: 800,
  additionalUnits: 1,
  additionalFeeFen: 0,
  freeAboveFen: null,
  freeMinUnits: null,
  ...over,
});

const template = (over: Partial<FreightTemplate> & Pick<FreightTemplate, 'id'>): FreightTemplate => ({
  chargeMode: 'piece',
  ...rate(),
  rules: [],
  excludedRegions: [],
  isDefault: false,
  ...over,
});

const line = (over: Partial<FreightLine> = {}): FreightLine => ({
  productId: 1,
  templateId: null,
  quantity: 1,
  subtotalFen: 1000,
  weightGrams: 0,
  volumeCm3: 0,
  ...over,
});

describe('one template: each mode, first and additional units', () => {
  it('counts pieces, grams or cm³ of every unit', () => {
    const lines = [line({ quantity: 2, weightGrams: 300, volumeCm3: 1000 }), line({ weightGrams: 1250, volumeCm3: 5 })];
    expect(unitsOf('piece', lines)).toBe(3);
    expect(unitsOf('weight', lines)).toBe(1850);
    expect(unitsOf('volume', lines)).toBe(2005);
  });

  it.each([
    // units, expected: first 1 000 g for ¥10, then ¥5 for each 500 g begun
    [0, 1000],
    [1, 1000],
    [1000, 1000],
    [1001, 1500],
    [1500, 1500],
    [1501, 2000],
    [3200, 3500],
  ])(
    'by weight, %i g cost %i fen: the first fee even below the first units, each step begun charged (ceil)',
    (units, fen) => {
      expect(
        feeAlone(rate({ firstUnits: 1000, firstFeeFen: 1000, additionalUnits: 500, additionalFeeFen: 500 }), units),
      ).toBe(fen);
    },
  );

  it('by piece: the first 2 pieces ¥6, then ¥2 for every 3 begun; a flat fee is additional 0', () => {
    const r = rate({ firstUnits: 2, firstFeeFen: 600, additionalUnits: 3, additionalFeeFen: 200 });
    expect([1, 2, 3, 5, 6].map((n) => feeAlone(r, n))).toEqual([600, 600, 800, 800, 1000]);
    expect([1, 7, 99].map((n) => feeAlone(rate(), n))).toEqual([800, 800, 800]);
  });

  it('by volume, per template through quoteFreight', () => {
    const t = template({
      id: 7,
      chargeMode: 'volume',
      isDefault: true,
      ...rate({ firstUnits: 10_000, firstFeeFen: 1200, additionalUnits: 5_000, additionalFeeFen: 300 }),
    });
    const quote = quoteFreight([t], '110101', [line({ quantity: 3, volumeCm3: 6_000 })]);
    // 18 000 cm³: the first 10 000, then 8 000 → 2 steps of 5 000.
    expect(quote).toMatchObject({ deliverable: true, feeFen: 1800 });
  });

  it('never charges a fractional step: every fee is whole fen for any units', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (firstUnits, firstFeeFen, additionalUnits, additionalFeeFen, units) => {
          const r = rate({ firstUnits, firstFeeFen, additionalUnits, additionalFeeFen });
          const fee = feeAlone(r, units);
          expect(Number.isInteger(fee)).toBe(true);
          const steps = units <= firstUnits ? 0 : Math.ceil((units - firstUnits) / additionalUnits);
          expect(fee).toBe(firstFeeFen + steps * additionalFeeFen);
          // One more unit never costs less.
          expect(feeAlone(r, units + 1)).toBeGreaterThanOrEqual(fee);
        },
      ),
    );
  });
});

describe('free-shipping conditions', () => {
  it('by amount, by units, or both (both must hold); none set: never free', () => {
    expect(isFree(rate(), 100, 1_000_000)).toBe(false);
    expect(isFree(rate({ freeAboveFen: 9900 }), 1, 9899)).toBe(false);
    expect(isFree(rate({ freeAboveFen: 9900 }), 1, 9900)).toBe(true);
    expect(isFree(rate({ freeMinUnits: 3 }), 2, 1_000_000)).toBe(false);
    expect(isFree(rate({ freeMinUnits: 3 }), 3, 0)).toBe(true);
    expect(isFree(rate({ freeAboveFen: 9900, freeMinUnits: 3 }), 3, 9000)).toBe(false);
    expect(isFree(rate({ freeAboveFen: 9900, freeMinUnits: 3 }), 2, 9900)).toBe(false);
    expect(isFree(rate({ freeAboveFen: 9900, freeMinUnits: 3 }), 3, 9900)).toBe(true);
  });

  it("judges a template's group on its own lines, and a free group pays nothing", () => {
    const a = template({ id: 1, isDefault: true, ...rate({ freeAboveFen: 5000 }) });
    const b = template({ id: 2, ...rate({ firstFeeFen: 1500 }) });
    const quote = quoteFreight([a, b], '110101', [
      line({ productId: 1, subtotalFen: 6000 }),
      line({ productId: 2, templateId: 2, subtotalFen: 100 }),
    ]);
    expect(quote).toMatchObject({ deliverable: true, feeFen: 1500 });
    // The order's total reaches 5 000, but the default template's own lines do not.
    const notFree = quoteFreight([a, b], '110101', [
      line({ productId: 1, subtotalFen: 4000 }),
      line({ productId: 2, templateId: 2, subtotalFen: 4000 }),
    ]);
    expect(notFree).toMatchObject({ deliverable: true, feeFen: 1500 });
  });

  it('counts the units of a weight template in grams for its free condition', () => {
    const t = template({
      id: 1,
      isDefault: true,
      chargeMode: 'weight',
      ...rate({
        firstUnits: 1000,
        firstFeeFen: 1000,
        additionalUnits: 1000,
        additionalFeeFen: 500,
        freeMinUnits: 5000,
      }),
    });
    expect(quoteFreight([t], '110101', [line({ quantity: 5, weightGrams: 1000 })])).toMatchObject({ feeFen: 0 });
    // 4 800 g: short of 5 000; ¥10 for the first 1 000 g, then 3 800 g past them: 4 steps of 1 kg begun, ¥5 each.
    expect(quoteFreight([t], '110101', [line({ quantity: 4, weightGrams: 1200 })])).toMatchObject({ feeFen: 3000 });
  });
});

describe('regions', () => {
  const t = template({
    id: 1,
    isDefault: true,
    ...rate({ firstFeeFen: 800 }),
    rules: [
      { regions: ['65'], ...rate({ firstFeeFen: 2000 }) },
      { regions: ['6501'], ...rate({ firstFeeFen: 1500, freeAboveFen: 100 }) },
      { regions: ['650102'], ...rate({ firstFeeFen: 1000 }) },
    ],
    excludedRegions: ['71', '6502'],
  });

  it('takes the longest matching prefix: district over city over province over the template', () => {
    expect(rateFor(t, '110101')?.firstFeeFen).toBe(800);
    expect(rateFor(t, '650301')?.firstFeeFen).toBe(2000);
    expect(rateFor(t, '650105')?.firstFeeFen).toBe(1500);
    expect(rateFor(t, '650102')?.firstFeeFen).toBe(1000);
  });

  it("a rule's free condition is its own: the matched rule's, never the template's", () => {
    expect(quoteFreight([t], '650105', [line({ subtotalFen: 100 })])).toMatchObject({ feeFen: 0 });
    expect(quoteFreight([t], '650102', [line({ subtotalFen: 100 })])).toMatchObject({ feeFen: 1000 });
  });

  it('an excluded prefix wins over any rule, and names the lines it refuses', () => {
    expect(rateFor(t, '710000')).toBeNull();
    expect(rateFor(t, '650201')).toBeNull();
    const other = template({ id: 2, ...rate() });
    const l1 = line({ productId: 1 });
    const l2 = line({ productId: 2, templateId: 2 });
    expect(quoteFreight([t, other], '650201', [l1, l2])).toEqual({ deliverable: false, excluded: [l1] });
  });
});

describe('several templates in one order', () => {
  it('groups lines by template (none, or one gone: the default) and combines: the largest first fee, every other group at its additional rate', () => {
    const piece = template({
      id: 1,
      isDefault: true,
      ...rate({ firstFeeFen: 600, additionalUnits: 1, additionalFeeFen: 100 }),
    });
    const weight = template({
      id: 2,
      chargeMode: 'weight',
      ...rate({ firstUnits: 1000, firstFeeFen: 1000, additionalUnits: 1000, additionalFeeFen: 500 }),
    });
    const lines = [
      line({ productId: 1, quantity: 3 }),
      line({ productId: 2, templateId: 99, quantity: 1 }),
      line({ productId: 3, templateId: 2, quantity: 2, weightGrams: 1200 }),
    ];
    const quote = quoteFreight([piece, weight], '110101', lines);
    if (!quote.deliverable) throw new Error('deliverable');
    expect(quote.groups.map((g) => [g.templateId, g.units])).toEqual([
      [1, 4],
      [2, 2400],
    ]);
    // The weight template leads (¥10 > ¥6): 10 + 2 steps × 5 = 20; the 4 pieces at ¥1 each = 4.
    expect(quote.feeFen).toBe(2400);
  });

  it('among equal first fees, leads with the group that makes the order cheapest', () => {
    const a = rate({ firstFeeFen: 1000, additionalFeeFen: 100 });
    const b = rate({ firstFeeFen: 1000, additionalFeeFen: 400 });
    // a leads: 1000 + 2×100 + 3×400 = 2400; b leads: 1000 + 2×400 + 3×100 = 2100.
    expect(
      combine([
        { rate: a, units: 3 },
        { rate: b, units: 3 },
      ]),
    ).toBe(2100);
  });

  it('charges at least the largest first fee, a group alone as alone, and the same in any order of the groups', () => {
    const rateArb = fc.record({
      firstUnits: fc.integer({ min: 1, max: 5 }),
      firstFeeFen: fc.integer({ min: 0, max: 3000 }),
      additionalUnits: fc.integer({ min: 1, max: 5 }),
      additionalFeeFen: fc.integer({ min: 0, max: 1000 }),
      freeAboveFen: fc.constant(null),
      freeMinUnits: fc.constant(null),
    });
    fc.assert(
      fc.property(
        fc.array(fc.record({ rate: rateArb, units: fc.integer({ min: 0, max: 50 }) }), { minLength: 1, maxLength: 5 }),
        (groups) => {
          const together = combine(groups);
          expect(together).toBeGreaterThanOrEqual(Math.max(...groups.map((g) => g.rate.firstFeeFen)));
          expect(combine([...groups].reverse())).toBe(together);
          expect(combine(groups.slice(0, 1))).toBe(feeAlone(groups[0]!.rate, groups[0]!.units));
        },
      ),
    );
  });

  it('ships free without templates, and prices nothing for no lines', () => {
    expect(quoteFreight([], '110101', [line(), line({ templateId: 3 })])).toMatchObject({
      deliverable: true,
      feeFen: 0,
    });
    expect(quoteFreight([template({ id: 1, isDefault: true })], '110101', [])).toMatchObject({ feeFen: 0 });
    expect(additionalFee(rate({ additionalFeeFen: 100 }), 0)).toBe(0);
  });
});
