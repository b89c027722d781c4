import { describe, expect, it } from '@jest/globals';
import { ANALYTICS_ID_PATTERN, type ShopEvent } from '@shopfleet/contracts';
import { SESSION_IDLE_MS, createTracker } from './tracker';

function setup(opts: { failing?: () => boolean } = {}) {
  let clock = Date.parse('2026-12-06T04:00:00Z');
  const sent: ShopEvent[][] = [];
  const timers: Array<() => void> = [];
  const tracker = createTracker({
    device: () => 'device-123456',
    send: async (_device, events) => {
      if (opts.failing?.()) throw new Error('offline');
      sent.push(events);
    },
    enabled: () => true,
    now: () => clock,
    schedule: (fn) => timers.push(fn),
  });
  return {
    tracker,
    sent,
    advance: (ms: number) => (clock += ms),
    fireTimers: async () => {
      for (const fn of timers.splice(0)) fn();
      await tracker.flush();
    },
  };
}

describe('the shop’s event tracker', () => {
  it('sends events in a batch after a delay, each with its own id, its time and the visit it belongs to', async () => {
    const { tracker, sent, advance, fireTimers } = setup();
    tracker.track('page_view', { page: 'pages/index/index' });
    advance(1000);
    tracker.track('product_view', { productId: 7 });
    expect(sent).toHaveLength(0);
    await fireTimers();
    expect(sent).toHaveLength(1);
    const [first, second] = sent[0]!;
    expect(first).toMatchObject({ kind: 'page_view', page: 'pages/index/index', at: '2026-12-06T04:00:00.000Z' });
    expect(second).toMatchObject({ kind: 'product_view', productId: 7, at: '2026-12-06T04:00:01.000Z' });
    expect(first!.id).not.toBe(second!.id);
    for (const e of [first!, second!]) {
      expect(e.id).toMatch(ANALYTICS_ID_PATTERN);
      expect(e.session).toMatch(ANALYTICS_ID_PATTERN);
    }
    expect(first!.session).toBe(second!.session);
    expect(tracker.pending()).toBe(0);
  });

  it('starts a new visit after 30 minutes without events', async () => {
    const { tracker, sent, advance, fireTimers } = setup();
    tracker.track('page_view', { page: 'a' });
    advance(SESSION_IDLE_MS - 1);
    tracker.track('page_view', { page: 'b' });
    advance(SESSION_IDLE_MS + 1);
    tracker.track('page_view', { page: 'c' });
    await fireTimers();
    const sessions = sent.flat().map((e) => e.session);
    expect(sessions[0]).toBe(sessions[1]);
    expect(sessions[2]).not.toBe(sessions[1]);
  });

  it('sends at once when a batch is full, and keeps what failed for the next try', async () => {
    let offline = true;
    const { tracker, sent, fireTimers } = setup({ failing: () => offline });
    for (let i = 0; i < 60; i++) tracker.track('product_view', { productId: i + 1 });
    await tracker.flush();
    expect(sent).toHaveLength(0);
    expect(tracker.pending()).toBe(60);
    offline = false;
    await fireTimers();
    expect(sent.map((b) => b.length)).toEqual([50, 10]);
    expect(sent.flat().map((e) => e.productId)).toEqual(Array.from({ length: 60 }, (_x, i) => i + 1));
  });
});
