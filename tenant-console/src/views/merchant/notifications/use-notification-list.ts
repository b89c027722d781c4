import { onMounted } from 'vue';
import { useRouter } from 'vue-router';
import type { Notification } from '@shopfleet/contracts';
import { listNotifications } from '@/api/notifications';
import { usePagedList } from '@/composables/use-paged-list';
import { useNotificationStore } from '@/stores/notifications';
import { notificationTarget } from '@/utils/notification';

/** Every notification of the shop, a page at a time; reading one here also clears it from the bell. */
export function useNotificationList() {
  const router = useRouter();
  const store = useNotificationStore();

  const list = usePagedList<Notification>(async (paging) => {
    const page = await listNotifications(paging);
    store.applyUnread(page.unread);
    return page;
  });

  async function markRead(notification: Notification): Promise<void> {
    try {
      const read = await store.markRead(notification);
      list.items.value = list.items.value.map((item) => (item.id === read.id ? read : item));
    } catch {
      // Shown by the request client.
    }
  }

  async function open(notification: Notification): Promise<void> {
    await markRead(notification);
    const target = notificationTarget(notification);
    if (target) await router.push(target);
  }

  onMounted(list.load);

  return { ...list, markRead, open, hasTarget: (n: Notification) => notificationTarget(n) !== null };
}
