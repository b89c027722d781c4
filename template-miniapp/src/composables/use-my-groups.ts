import type { Group } from '@shopfleet/contracts';
import { myGroups } from '../api/group-buys';
import { t } from '../locales';
import { serverNowMs } from '../stores/flash';
import { groupStateAt, seatsLeft } from '../utils/group';
import { formatFen } from '../utils/money';
import { formatDateTime } from '../utils/time';
import { openGroup } from '../utils/routes';
import { useShopperList } from './use-shopper-list';

/** One list: the groups have no tabs of their own. */
const GROUP_TABS = [''] as const;

/** My groups: the groups the shopper started or joined, newest first, each with where it stands; a tap opens its page. */
export function useMyGroups() {
  const list = useShopperList<'', Group>({
    tabs: GROUP_TABS,
    tabQuery: 'tab',
    fetchPage: (_tab, page, pageSize) => myGroups({ page, pageSize }),
    title: () => t('nav.myGroups'),
  });

  /** The status a card shows, and what it adds: the people still needed and the end while forming. */
  function card(group: Group) {
    const state = groupStateAt(group, serverNowMs());
    return {
      state,
      statusText: t(`group.status.${state}`),
      joinedText: t('group.joined', { joined: group.joined, size: group.size }),
      noteText:
        state === 'forming'
          ? t('group.mineForming', { count: seatsLeft(group), at: formatDateTime(group.expiresAt) })
          : '',
      priceText: formatFen(group.groupPriceFen),
    };
  }

  return {
    ...list,
    tabs: GROUP_TABS.map((key) => ({ key, name: t('nav.myGroups') })),
    groups: list.items,
    card,
    open: (group: Group) => openGroup(group.id),
  };
}
