import type { Group, GroupStatus, ShopGroupBuy } from '@shopfleet/contracts';

/**
 * Group buys by the server's clock and the group's own figures: the seats left, the member slots a group page shows, whether
 * a group is still open to join, and the prices a campaign offers.
 */

type Campaign = NonNullable<ShopGroupBuy['campaign']>;
type CampaignItem = Campaign['items'][number];
type Member = Group['members'][number];

/** One seat of a group as its page shows it: a member (the leader marked), or an empty seat still to fill. */
export type GroupSlot = { kind: 'member'; member: Member; key: string } | { kind: 'empty'; key: string };

/** The people a group still needs: its size less those who paid (and its virtual members). */
export function seatsLeft(group: Pick<Group, 'size' | 'joined'>): number {
  return Math.max(0, group.size - group.joined);
}

/** Every seat of the group, the leader first, then the other members, then the empty ones. */
export function groupSlots(group: Pick<Group, 'size' | 'members'>): GroupSlot[] {
  const members = [...group.members].sort((a, b) => Number(b.leader) - Number(a.leader));
  const slots: GroupSlot[] = members.map((member, i) => ({ kind: 'member', member, key: `m${i}` }));
  for (let i = slots.length; i < group.size; i++) slots.push({ kind: 'empty', key: `e${i}` });
  return slots;
}

/** Where a group stands at `serverNowMs`: a forming one whose end has passed is shown as over until the server says how. */
export function groupStateAt(group: Pick<Group, 'status' | 'expiresAt'>, serverNowMs: number): GroupStatus | 'ending' {
  if (group.status !== 'forming') return group.status;
  return group.expiresAt !== null && Date.parse(group.expiresAt) <= serverNowMs ? 'ending' : 'forming';
}

/** An open group a product page offers to join: forming, seats left, time left. */
export function joinable(group: Pick<Group, 'status' | 'expiresAt' | 'size' | 'joined'>, serverNowMs: number): boolean {
  return groupStateAt(group, serverNowMs) === 'forming' && seatsLeft(group) > 0;
}

/** What the leader pays for a unit: the group price less the leader's discount (never below a fen). */
export function leaderPriceFen(groupPriceFen: number, leaderDiscountFen: number): number {
  return Math.max(1, groupPriceFen - leaderDiscountFen);
}

/** The campaign's item a price shows before a SKU is chosen: the lowest group price. */
export function cheapestItem(items: readonly CampaignItem[]): CampaignItem | null {
  return items.reduce<CampaignItem | null>((low, i) => (!low || i.groupPriceFen < low.groupPriceFen ? i : low), null);
}
