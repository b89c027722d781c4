import { describe, expect, it } from '@jest/globals';
import { formatFen } from '../../../../utils/money';
import { bpToPercent, bpToPercentValue, percentToBp, personName, signedFen } from './distribution-parts';

describe('the distribution pages’ pure parts', () => {
  it('show rates in basis points as percentages with two decimals, and take them back whole', () => {
    expect(bpToPercent(1000)).toBe('10.00%');
    expect(bpToPercent(1)).toBe('0.01%');
    expect(bpToPercent(1234)).toBe('12.34%');
    expect(percentToBp(12.34)).toBe(1234);
    expect(percentToBp(0.29)).toBe(29);
    expect(bpToPercentValue(1050)).toBe(10.5);
  });

  it('name a shopper by nickname, else by number', () => {
    expect(personName({ shopperId: 7, nickname: '小明' })).toBe('小明');
    expect(personName({ shopperId: 7, nickname: null })).toBe('#7');
    expect(personName({ shopperId: 7, nickname: '  ' })).toBe('#7');
    expect(personName(null)).toBe('—');
  });

  it('sign a ledger change, and leave a column that did not move empty', () => {
    expect(signedFen(150, formatFen)).toBe('+¥1.50');
    expect(signedFen(-50, formatFen)).toBe('-¥0.50');
    expect(signedFen(0, formatFen)).toBe('');
  });
});
