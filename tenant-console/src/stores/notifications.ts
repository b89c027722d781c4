import { ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { Notification } from '@shopfleet/contracts';
import { listNotifications, markNotificationRead } from '@/api/notifications';

/** How often the bell asks for news while the merchant console is open. */
export const NOTIFICATION_POLL_MS = 60_000;
/** The bell's dropdown shows this many of the latest. */
const LATEST_COUNT = 5;

/**
 * The bell in the merchant header: the latest notifications and the unread count, polled while the
 * console is open. The notifications page marks items read through here, so the badge follows.
 */
export const useNotificationStore = defineStore('notifications', () => {
  const latest = shallowRef<Notification[]>([]);
  const unread = ref(0);
  const loading = ref(false);
  let timer: ReturnType<typeof setInterval> | null = null;
  let ticket = 0;

  /** Quiet: a failed poll is not worth a toast every minute; the next one tries again. */
  async function refresh(): Promise<void> {
    const mine = ++ticket;
    loading.value = true;
    try {
      const page = await listNotifications({ page: 1, pageSize: LATEST_COUNT }, { silent: true });
      if (mine !== ticket) return;
      latest.value = page.items;
      unread.value = page.unread;
    } catch {
      // Kept as it was; a lost session is handled by the request client.
    } finally {
      if (mine === ticket) loading.value = false;
    }
  }

  /** Tell the server, then reflect it here without waiting for the next poll. */
  async function markRead(notification: Notification): Promise<Notification> {
    if (notification.readAt) return notification;
    await markNotificationRead(notification.id);
    const read = { ...notification, readAt: new Date().toISOString() };
    latest.value = latest.value.map((item) => (item.id === read.id ? read : item));
    unread.value = Math.max(0, unread.value - 1);
    return read;
  }

  /** A count seen elsewhere (the notifications page's own fetch) is as fresh as the poll's. */
  function applyUnread(count: number): void {
    unread.value = count;
  }

  function startPolling(): void {
    stopPolling();
    void refresh();
    timer = setInterval(() => void refresh(), NOTIFICATION_POLL_MS);
  }

  function stopPolling(): void {
    if (timer !== null) clearInterval(timer);
    timer = null;
  }

  function reset(): void {
    stopPolling();
    ticket++;
    latest.value = [];
    unread.value = 0;
  }

  return { latest, unread, loading, refresh, markRead, applyUnread, startPolling, stopPolling, reset };
});
