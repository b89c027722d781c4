import { describe, expect, it } from '@jest/globals';
import { waitedSince } from './waiting';

describe('how long a complaint has waited', () => {
  const filed = '2026-03-01T08:00:00.000Z';
  const at = (iso: string) => Date.parse(iso);

  it('counts whole days, hours and minutes, rounded down', () => {
    expect(waitedSince(filed, at('2026-03-04T12:30:59.999Z'))).toEqual({ days: 3, hours: 4, minutes: 30 });
    expect(waitedSince(filed, at('2026-03-01T08:59:00.000Z'))).toEqual({ days: 0, hours: 0, minutes: 59 });
  });

  it('is never below zero (the server clock a little ahead), and nothing for no date', () => {
    expect(waitedSince(filed, at('2026-03-01T07:58:00.000Z'))).toEqual({ days: 0, hours: 0, minutes: 0 });
    expect(waitedSince('not a date', at(filed))).toBeNull();
  });
});
