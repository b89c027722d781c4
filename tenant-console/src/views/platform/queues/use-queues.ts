import { ref } from 'vue';
import { openQueueSession, QUEUE_DASHBOARD_URL } from '@/api/queues';

/**
 * Open the Bull Board dashboard in a new tab. The tab is opened within the click (so no popup blocker
 * stops it) and sent to the dashboard once the server has set the dashboard's session cookie.
 */
export function useQueues() {
  const opening = ref(false);
  /** The session cookie is set: the dashboard link works (also when the browser blocked the new tab). */
  const ready = ref(false);

  async function openDashboard(): Promise<void> {
    const tab = window.open('', '_blank');
    opening.value = true;
    try {
      await openQueueSession();
      ready.value = true;
      if (tab) {
        tab.opener = null;
        tab.location.href = QUEUE_DASHBOARD_URL;
      }
    } catch {
      tab?.close();
    } finally {
      opening.value = false;
    }
  }

  return { opening, ready, dashboardUrl: QUEUE_DASHBOARD_URL, openDashboard };
}
