import { useRouter } from 'vue-router';
import type { FlashSession } from '@shopfleet/contracts';
import { listFlashSessions, stopFlashSession } from '@/api/flash-sales';
import { useCampaignList } from '../common/use-campaign-list';

/** The list, the new-session page and a session's page of 秒杀. */
export const FLASH_ROUTES = {
  list: 'merchant-marketing-flash-sales',
  create: 'merchant-marketing-flash-sale-new',
  detail: 'merchant-marketing-flash-sale-detail',
} as const;

/** A session's name, period and payment window change only before its start. */
export const flashEditable = (session: Pick<FlashSession, 'displayStatus'>) => session.displayStatus === 'not_started';

/**
 * The shop's 秒杀 sessions: status tabs, server paging, stopping one (after a confirm), the edit dialog, and the way to
 * a session's page. Acting needs marketing:promotion:manage; without it the list is read-only.
 */
export function useFlashSessionList() {
  const router = useRouter();
  const list = useCampaignList({
    permission: 'marketing:promotion:manage',
    fetchPage: listFlashSessions,
    stopOne: stopFlashSession,
    texts: 'marketing.flashSales',
    newRoute: FLASH_ROUTES.create,
  });

  function openDetail(session: FlashSession): void {
    void router.push({ name: FLASH_ROUTES.detail, params: { id: String(session.id) } });
  }

  return { ...list, editOpen: list.dialogOpen('edit'), openDetail };
}
