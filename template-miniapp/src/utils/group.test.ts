import { describe, expect, it } from '@jest/globals';
import type { Group } from '@shopfleet/contracts';
import { cheapestItem, groupSlots, groupStateAt, joinable, leaderPriceFen, seatsLeft } from './group';
import { waitsForGroup } from './orders';

const at = (iso: string) => Date.parse(iso);

function group(over: Partial<Group> = {}): Group {
  return {
    id: 7,
    campaignId: 3,
    productId: 10,
    productTitle: '保温杯',
    imageUrl: null,
    status: 'forming',
    size: 3,
    joined: 1,
    pending: 0,
    members: [{ nickname: 'A', avatarUrl: null, leader: true, virtual: false }],
    expiresAt: '2026-05-01T12:00:00.000Z',
    groupPriceFen: 5_990,
    priceFen: 10_900,
    mine: false,
    canJoin: true,
    campaignName: '三人团',
    myOrderId: null,
    now: '2026-05-01T11:00:00.000Z',
    ...over,
  };
}

describe('a group as its page shows it', () => {
  it('needs its size less those who paid; never fewer than none', () => {
    expect(seatsLeft(group())).toBe(2);
    expect(seatsLeft(group({ joined: 3 }))).toBe(0);
    expect(seatsLeft(group({ joined: 4 }))).toBe(0);
  });

  it('shows every seat: the leader first, the other members, then the empty seats', () => {
    const slots = groupSlots(
      group({
        size: 4,
        members: [
          { nickname: 'B', avatarUrl: null, leader: false, virtual: false },
          { nickname: 'A', avatarUrl: null, leader: true, virtual: false },
        ],
      }),
    );
    expect(slots.map((s) => (s.kind === 'member' ? s.member.nickname : '-'))).toEqual(['A', 'B', '-', '-']);
    expect(new Set(slots.map((s) => s.key)).size).toBe(4);
  });

  it('is open to join while forming with seats and time left, by the server’s clock', () => {
    expect(joinable(group(), at('2026-05-01T11:59:59.000Z'))).toBe(true);
    expect(joinable(group(), at('2026-05-01T12:00:00.000Z'))).toBe(false);
    expect(groupStateAt(group(), at('2026-05-01T12:00:00.000Z'))).toBe('ending');
    expect(joinable(group({ joined: 3 }), at('2026-05-01T11:00:00.000Z'))).toBe(false);
    expect(joinable(group({ status: 'succeeded' }), at('2026-05-01T11:00:00.000Z'))).toBe(false);
    expect(groupStateAt(group({ status: 'failed' }), at('2026-05-01T13:00:00.000Z'))).toBe('failed');
  });
});

describe('a campaign’s prices', () => {
  it('takes the leader discount off the group price, never below a fen', () => {
    expect(leaderPriceFen(6_000, 500)).toBe(5_500);
    expect(leaderPriceFen(100, 500)).toBe(1);
  });

  it('shows the lowest group price before a SKU is chosen', () => {
    const item = (skuId: number, groupPriceFen: number) => ({ skuId, specValues: [], priceFen: 9_900, groupPriceFen });
    expect(cheapestItem([item(1, 5_000), item(2, 4_000), item(3, 4_500)])?.skuId).toBe(2);
    expect(cheapestItem([])).toBeNull();
  });
});

describe('a group-buy order', () => {
  it('waits for its group while paid and not formed; closed, it waits for nothing', () => {
    const activity = { kind: 'group_buy' as const, id: 7, waiting: true };
    expect(waitsForGroup({ status: 'paid', activity })).toBe(true);
    expect(waitsForGroup({ status: 'paid', activity: { ...activity, waiting: false } })).toBe(false);
    expect(waitsForGroup({ status: 'cancelled', activity })).toBe(false);
    expect(waitsForGroup({ status: 'paid', activity: null })).toBe(false);
  });
});
