import { describe, expect, it } from '@jest/globals';
import { fromServerUnits, toServerUnits } from './freight-units';

describe('freight units', () => {
  it('turns kg into whole grams and m³ into whole cm³, with no float left over', () => {
    expect(toServerUnits('weight', 1.235)).toBe(1235);
    expect(toServerUnits('weight', 0.1 + 0.2)).toBe(300);
    expect(toServerUnits('volume', 0.006)).toBe(6000);
    expect(toServerUnits('volume', 0.000001)).toBe(1);
    expect(toServerUnits('piece', 3)).toBe(3);
    expect(toServerUnits('weight', null)).toBeNull();
  });

  it('shows grams as kg and cm³ as m³, the way back exact', () => {
    expect(fromServerUnits('weight', 1235)).toBe(1.235);
    expect(fromServerUnits('volume', 6000)).toBe(0.006);
    expect(fromServerUnits('piece', 2)).toBe(2);
    for (const g of [0, 1, 999, 1000, 123_456, 1_000_000])
      expect(toServerUnits('weight', fromServerUnits('weight', g))).toBe(g);
    for (const c of [1, 7, 6000, 9_999_999]) expect(toServerUnits('volume', fromServerUnits('volume', c))).toBe(c);
  });
});
