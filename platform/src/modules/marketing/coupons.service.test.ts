import { describe, expect, it } from '@jest/globals';
import { displayStatus, validityAt } from './coupons.service';

const at = (iso: string) => new Date(iso);
const period = { claimFrom: at('2030-01-10T00:00:00Z'), claimTo: at('2030-01-20T00:00:00Z') };

describe('a template’s display status', () => {
  it.each([
    ['2030-01-09T23:59:59Z', 'running', 'not_started'],
    ['2030-01-10T00:00:00Z', 'running', 'running'],
    ['2030-01-19T23:59:59Z', 'running', 'running'],
    ['2030-01-20T00:00:00Z', 'running', 'ended'],
    ['2030-01-15T00:00:00Z', 'stopped', 'stopped'],
    ['2030-01-25T00:00:00Z', 'stopped', 'stopped'],
  ] as const)('at %s, stored %s, shows %s', (now, status, shown) => {
    expect(displayStatus({ ...period, status }, at(now))).toBe(shown);
  });
});

describe('a coupon’s validity', () => {
  it('is the template’s fixed dates, whenever it is claimed', () => {
    const t = { validFrom: at('2030-02-01T00:00:00Z'), validTo: at('2030-03-01T00:00:00Z'), validDays: null };
    expect(validityAt(t, at('2030-01-15T08:00:00Z'))).toEqual({ validFrom: t.validFrom, validTo: t.validTo });
  });

  it('is validDays from the claim otherwise', () => {
    const claimed = at('2030-01-15T08:00:00Z');
    expect(validityAt({ validFrom: null, validTo: null, validDays: 3 }, claimed)).toEqual({
      validFrom: claimed,
      validTo: at('2030-01-18T08:00:00Z'),
    });
  });
});
