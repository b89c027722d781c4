import { shallowRef } from 'vue';
import { onShow } from '@dcloudio/uni-app';
import type { MemberCentre, PointsEntry } from '@shopfleet/contracts';
import { memberCentre, myPoints } from '../api/members';
import { t } from '../locales';
import { pointsChange, pointsKindText } from '../utils/members';
import { formatDateTime } from '../utils/time';
import { openSignIn } from '../utils/routes';
import { useShopperList } from './use-shopper-list';

/** The points page: the balance (available, pending, owed) and the ledger, newest first, a page more at the bottom. */
export function useMemberPoints() {
  const list = useShopperList<'all', PointsEntry>({
    tabs: ['all'],
    tabQuery: 'tab',
    fetchPage: (_, page, pageSize) => myPoints({ page, pageSize }),
    title: () => t('nav.points'),
  });
  const centre = shallowRef<MemberCentre | null>(null);

  onShow(() => {
    memberCentre().then(
      (c) => {
        centre.value = c;
      },
      () => undefined, // The list says why, if anything is wrong.
    );
  });

  /** A ledger row as shown: its kind, when, its change and the merchant's reason. */
  function row(entry: PointsEntry) {
    return {
      id: entry.id,
      kind: entry.kind,
      kindText: pointsKindText(entry.kind),
      at: formatDateTime(entry.createdAt),
      reason: entry.reason ?? '',
      ...pointsChange(entry),
    };
  }

  return { ...list, centre, row, goSignIn: openSignIn };
}
