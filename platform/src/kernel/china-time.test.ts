import { chinaDateTime, chinaDay, chinaDayStart, chinaRfc3339, chinaStamp } from './china-time';
import { fenOf, yuan } from './money';

describe('China time', () => {
  const at = new Date('2026-11-25T16:05:09.123Z');
  it('writes one instant in every form the providers and people use', () => {
    expect(chinaDay(at)).toBe('2026-11-26');
    expect(chinaDateTime(at)).toBe('2026-11-26 00:05:09');
    expect(chinaRfc3339(at)).toBe('2026-11-26T00:05:09+08:00');
    expect(chinaStamp(at)).toBe('20261126000509');
    expect(chinaDayStart('2026-11-26').toISOString()).toBe('2026-11-25T16:00:00.000Z');
  });
});

describe('money', () => {
  it('turns fen into yuan text and back exactly', () => {
    expect([yuan(0), yuan(5), yuan(1234), yuan(100_000_00)]).toEqual(['0.00', '0.05', '12.34', '100000.00']);
    expect([fenOf('12.3'), fenOf('12.34'), fenOf('7'), fenOf('0.01')]).toEqual([1230, 1234, 700, 1]);
    expect([fenOf('1.234'), fenOf('-1'), fenOf('abc'), fenOf('')]).toEqual([null, null, null, null]);
  });
});
