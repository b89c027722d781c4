import { describe, expect, it } from '@jest/globals';
import type { ShopFlashItem, ShopFlashSession } from '@shopfleet/contracts';
import {
  clockOffset,
  countdownOf,
  itemAction,
  leftPercent,
  maxQuantity,
  onDeviceClock,
  productSession,
  sessionStateAt,
  startText,
} from './flash';

const at = (iso: string) => Date.parse(iso);

function item(over: Partial<ShopFlashItem> = {}): ShopFlashItem {
  return {
    id: 1,
    productId: 10,
    skuId: 100,
    title: 'Mug',
    specValues: [],
    imageUrl: null,
    priceFen: 3_900,
    flashPriceFen: 990,
    stock: 20,
    left: 20,
    perShopperLimit: 2,
    ...over,
  };
}

function session(id: number, startsAt: string, endsAt: string, items: ShopFlashItem[]): ShopFlashSession {
  return { id, name: `s${id}`, startsAt, endsAt, state: 'upcoming', paymentWindowMinutes: 5, items };
}

describe('秒杀 by the server’s clock', () => {
  it('a device 90 s behind the server counts down to a time 90 s earlier on its own clock', () => {
    const offset = clockOffset('2026-05-01T12:01:30.000Z', at('2026-05-01T12:00:00.000Z'));
    expect(offset).toBe(90_000);
    expect(onDeviceClock('2026-05-01T13:00:00.000Z', offset)).toBe('2026-05-01T12:58:30.000Z');
    expect(clockOffset('not a time', 0)).toBe(0);
  });

  it('a session is upcoming before its start, running until its end, then over; the countdown follows', () => {
    const s = { startsAt: '2026-05-01T12:00:00.000Z', endsAt: '2026-05-01T13:00:00.000Z' };
    expect(sessionStateAt(s, at('2026-05-01T11:59:59.999Z'))).toBe('upcoming');
    expect(sessionStateAt(s, at('2026-05-01T12:00:00.000Z'))).toBe('running');
    expect(sessionStateAt(s, at('2026-05-01T13:00:00.000Z'))).toBe('ended');
    expect(countdownOf(s, 'upcoming')).toEqual({ to: 'start', at: s.startsAt });
    expect(countdownOf(s, 'running')).toEqual({ to: 'end', at: s.endsAt });
    expect(countdownOf(s, 'ended')).toBeNull();
  });

  it('an item’s button: wait before the start, buy while units are left, sold out at none', () => {
    expect(itemAction('upcoming', item())).toBe('upcoming');
    expect(itemAction('running', item())).toBe('buy');
    expect(itemAction('running', item({ left: 0 }))).toBe('sold_out');
    expect(itemAction('ended', item())).toBe('ended');
  });

  it('the bar is the share left; a shopper takes up to the limit and what is left', () => {
    expect(leftPercent(item({ left: 5, stock: 20 }))).toBe(25);
    expect(leftPercent(item({ left: 0, stock: 0 }))).toBe(0);
    expect(maxQuantity(item({ left: 5, perShopperLimit: 2 }))).toBe(2);
    expect(maxQuantity(item({ left: 1, perShopperLimit: 3 }))).toBe(1);
    expect(maxQuantity(item({ left: 0, perShopperLimit: 3 }))).toBe(1);
  });

  it('a product page shows the running session with units left, else a running one, else the first upcoming', () => {
    const now = at('2026-05-01T12:30:00.000Z');
    const soldOut = session(1, '2026-05-01T12:00:00.000Z', '2026-05-01T13:00:00.000Z', [item({ left: 0 })]);
    const stocked = session(2, '2026-05-01T12:10:00.000Z', '2026-05-01T13:00:00.000Z', [
      item({ id: 2 }),
      item({ id: 3, productId: 11 }),
    ]);
    const later = session(3, '2026-05-01T18:00:00.000Z', '2026-05-01T19:00:00.000Z', [item({ id: 4 })]);
    const sooner = session(4, '2026-05-01T15:00:00.000Z', '2026-05-01T16:00:00.000Z', [item({ id: 5 })]);

    const shown = productSession({ sessions: [soldOut, stocked, later] }, 10, now);
    expect(shown?.id).toBe(2);
    expect(shown?.items.map((i) => i.id)).toEqual([2]);
    expect(productSession({ sessions: [soldOut, later] }, 10, now)?.id).toBe(1);
    expect(productSession({ sessions: [later, sooner] }, 10, now)?.id).toBe(4);
    expect(productSession({ sessions: [later] }, 99, now)).toBeNull();
  });

  it('a tab names its start by the time today, with the date another day', () => {
    const start = new Date(2026, 4, 1, 20, 5);
    expect(startText(start.toISOString(), new Date(2026, 4, 1, 9, 0))).toBe('20:05');
    expect(startText(start.toISOString(), new Date(2026, 3, 30, 9, 0))).toBe('05-01 20:05');
  });
});
