import { describe, expect, it } from '@jest/globals';
import {
  couponPeriodFieldOf,
  periodFromNextHour,
  periodFromNow,
  periodLike,
  promotionPeriodFieldOf,
  scopeBody,
  scopeProblem,
  validityBody,
} from './form-parts';

const DAY = 86_400_000;

describe('the periods a marketing form starts with', () => {
  const now = new Date('2026-03-09T10:15:42.500Z');

  it('a new campaign runs from this minute for the days given', () => {
    const [from, to] = periodFromNow(7, now);
    expect(from.toISOString()).toBe('2026-03-09T10:15:00.000Z');
    expect(to.getTime() - from.getTime()).toBe(7 * DAY);
  });

  it('a new 秒杀 session runs from the next whole hour for the hours given; on the hour, from that hour', () => {
    const [from, to] = periodFromNextHour(2, now);
    expect(from.toISOString()).toBe('2026-03-09T11:00:00.000Z');
    expect(to.toISOString()).toBe('2026-03-09T13:00:00.000Z');
    expect(periodFromNextHour(1, new Date('2026-03-09T10:00:00.000Z'))[0].toISOString()).toBe(
      '2026-03-09T10:00:00.000Z',
    );
  });

  it('a copy runs from this minute for as long as the campaign it copies', () => {
    const [from, to] = periodLike('2025-01-01T00:00:00.000Z', '2025-01-04T12:00:00.000Z', now);
    expect(from.toISOString()).toBe('2026-03-09T10:15:00.000Z');
    expect(to.getTime() - from.getTime()).toBe(3.5 * DAY);
  });
});

describe('what a marketing form sends of its scope and validity', () => {
  const picks = { categoryIds: [3, 4], productIds: [7], excludedProductIds: [9] };

  it('sends the ids of the chosen scope only, and exclusions where the form shows them', () => {
    expect(scopeBody({ scope: 'shop', ...picks })).toEqual({ scope: 'shop', scopeIds: [], excludedProductIds: [9] });
    expect(scopeBody({ scope: 'categories', ...picks })).toEqual({
      scope: 'categories',
      scopeIds: [3, 4],
      excludedProductIds: [9],
    });
    expect(scopeBody({ scope: 'products', ...picks })).toEqual({
      scope: 'products',
      scopeIds: [7],
      excludedProductIds: [],
    });
  });

  it('asks for a category or a product when the scope names some', () => {
    const none = { categoryIds: [], productIds: [], excludedProductIds: [] };
    expect(scopeProblem({ scope: 'shop', ...none })).toBeNull();
    expect(scopeProblem({ scope: 'categories', ...none })).toBe('marketing.form.categoriesRequired');
    expect(scopeProblem({ scope: 'products', ...none })).toBe('marketing.form.productsRequired');
  });

  it('sends the validity one way, and nothing while the chosen way is empty', () => {
    const period: [Date, Date] = [new Date('2026-03-09T00:00:00Z'), new Date('2026-03-19T00:00:00Z')];
    expect(validityBody({ validityMode: 'days', validDays: 7, validPeriod: period })).toEqual({ validDays: 7 });
    expect(validityBody({ validityMode: 'fixed', validDays: 7, validPeriod: period })).toEqual({
      validFrom: '2026-03-09T00:00:00.000Z',
      validTo: '2026-03-19T00:00:00.000Z',
    });
    expect(validityBody({ validityMode: 'days', validDays: null, validPeriod: period })).toBeNull();
    expect(validityBody({ validityMode: 'fixed', validDays: 7, validPeriod: null })).toBeNull();
  });

  it("shows the server's issues on a coupon's periods at the period fields", () => {
    expect(couponPeriodFieldOf('claimTo')).toBe('claimPeriod');
    expect(couponPeriodFieldOf('validDays')).toBe('validity');
    expect(couponPeriodFieldOf('validTo')).toBe('validity');
    expect(couponPeriodFieldOf('name')).toBeNull();
  });

  it("shows the server's issues on a promotion's period at the period field", () => {
    expect(promotionPeriodFieldOf('startsAt')).toBe('period');
    expect(promotionPeriodFieldOf('endsAt')).toBe('period');
    expect(promotionPeriodFieldOf('tiers')).toBeNull();
  });
});
