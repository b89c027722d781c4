import { markRaw, ref } from 'vue';
import { defineStore } from 'pinia';
import { ElNotification } from 'element-plus';
import type { RouteLocationRaw } from 'vue-router';
import type { Notification } from '@shopfleet/contracts';
import { ALERTS_WS_PATH } from '@shopfleet/contracts/constants';
import { isApiError, merchantHttp } from '@/api/request';
import { translator } from '@/locales';
import { AlertsSocket } from '@/utils/alerts-socket';
import { beep } from '@/utils/beep';
import { notificationTarget } from '@/utils/notification';
import { notificationText } from '@/utils/notification-text';
import { useNotificationStore } from './notifications';
import { usePendingWorkStore } from './pending-work';

/** Where the merchant's choice to hear alerts or not is kept, in this browser. */
export const ALERTS_MUTED_KEY = 'sf.alerts.muted';

function readMuted(): boolean {
  try {
    return localStorage.getItem(ALERTS_MUTED_KEY) === '1';
  } catch {
    return false;
  }
}

/** The alerts socket's address with the merchant's current access token (null when signed out). */
function socketUrl(): string | null {
  const token = merchantHttp.tokens.read()?.accessToken;
  if (!token) return null;
  return `${location.origin.replace(/^http/, 'ws')}${ALERTS_WS_PATH}?${new URLSearchParams({ token })}`;
}

/**
 * The shop's live alerts while the console is open, on any page (a paid order, an after-sales request, a review, each
 * only for the staff who may see it): a chime unless the merchant muted it (remembered in this browser), a toast that
 * opens what it is about, the count of alerts not yet looked at in the tab's title, and the bell and the menus' counts
 * asked for again at once. Opening the bell counts them as seen.
 */
export const useAlertsStore = defineStore('alerts', () => {
  const muted = ref(readMuted());
  /** Alerts come since the merchant last opened the bell (the title's count). */
  const unseen = ref(0);
  /** The socket is listening. */
  const connected = ref(false);
  const notifications = useNotificationStore();
  const pendingWork = usePendingWorkStore();
  /** Opens what a toast is about (the layout's router). */
  let navigate: (target: RouteLocationRaw) => void = () => undefined;

  function onAlert(n: Notification): void {
    unseen.value++;
    if (!muted.value) beep();
    void notifications.refresh();
    void pendingWork.refresh();
    const said = notificationText(translator, n);
    const target = notificationTarget(n);
    ElNotification({
      title: said.title,
      message: said.body,
      type: 'info',
      position: 'bottom-right',
      duration: 8000,
      customClass: 'sf-alert-toast',
      onClick: () => {
        if (target) navigate(target);
      },
    });
  }

  const socket = markRaw(
    new AlertsSocket({
      url: socketUrl,
      // One request through the request client refreshes an expired token (or ends the session).
      recover: async () => {
        try {
          await notifications.refresh();
          return merchantHttp.tokens.read() !== null;
        } catch (error) {
          return !(isApiError(error) && error.status === 401);
        }
      },
      connect: (url) => new WebSocket(url),
      onAlert,
      onReady: (ready) => (connected.value = ready),
    }),
  );

  function onVisible(): void {
    if (document.visibilityState === 'visible') socket.reconnectNow();
  }
  const reconnect = () => socket.reconnectNow();

  /** While the merchant console is open; `open` shows what a toast is about. */
  function start(open: (target: RouteLocationRaw) => void): void {
    navigate = open;
    socket.start();
    window.addEventListener('online', reconnect);
    document.addEventListener('visibilitychange', onVisible);
  }

  function stop(): void {
    socket.stop();
    window.removeEventListener('online', reconnect);
    document.removeEventListener('visibilitychange', onVisible);
  }

  function reset(): void {
    stop();
    unseen.value = 0;
  }

  /** The merchant looked (opened the bell). */
  function markSeen(): void {
    unseen.value = 0;
  }

  function toggleMuted(): void {
    muted.value = !muted.value;
    try {
      localStorage.setItem(ALERTS_MUTED_KEY, muted.value ? '1' : '0');
    } catch {
      // Private mode: kept for this tab only.
    }
  }

  return { muted, unseen, connected, start, stop, reset, markSeen, toggleMuted };
});
