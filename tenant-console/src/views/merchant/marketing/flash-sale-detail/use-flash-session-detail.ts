import { computed, onUnmounted, ref, shallowRef, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import { ElMessage, ElMessageBox } from 'element-plus';
import type { FlashLive, FlashSession } from '@shopfleet/contracts';
import { flashSessionLive, getFlashSession, stopFlashSession } from '@/api/flash-sales';
import { isApiError } from '@/api/request';
import { useMerchantSessionStore } from '@/stores/merchant-session';
import { FLASH_ROUTES, flashEditable } from '../flash-sales/use-flash-session-list';

/** How often a running session's live view is read. */
export const LIVE_INTERVAL_MS = 3000;
/** setTimeout's longest wait; a start further off is not waited for. */
const LONGEST_TIMER_MS = 2_147_483_647;

/** One item's row: what was set aside, what is left, unpaid and paid units, and its orders (live only). */
export interface FlashItemFigures {
  stock: number;
  left: number;
  unpaid: number;
  paid: number;
  orders: number | null;
}

/**
 * One 秒杀 session, by id: its items with their figures and, while it runs, the live view read every 3 s (each item's
 * stock left, unpaid and paid units, orders, and the session's figures). The live view stops when the session is no
 * longer running (the session is read again then) or when a read fails (the request client shows why); 刷新 starts it
 * again. A session that has not started is read again at its start.
 */
export function useFlashSessionDetail(id: () => number) {
  const { t } = useI18n();
  const router = useRouter();
  const merchant = useMerchantSessionStore();
  const canManage = computed(() => merchant.can('marketing:promotion:manage'));

  const session = shallowRef<FlashSession | null>(null);
  const live = shallowRef<FlashLive | null>(null);
  const loading = ref(false);
  const notFound = ref(false);
  const failed = ref(false);
  const stopping = ref(false);
  const editOpen = ref(false);

  let liveTimer: ReturnType<typeof setTimeout> | undefined;
  let startTimer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;
  /** Bumped whenever the timers are cleared: a live read that was in flight then schedules nothing. */
  let generation = 0;

  const running = computed(() => session.value?.displayStatus === 'running');
  /** The live view is read every 3 s now. */
  const following = ref(false);

  function clearTimers(): void {
    if (liveTimer !== undefined) clearTimeout(liveTimer);
    if (startTimer !== undefined) clearTimeout(startTimer);
    liveTimer = undefined;
    startTimer = undefined;
    following.value = false;
    generation++;
  }

  /** Show a session the server sent; a running one is followed live, one not started is read again at its start. */
  function apply(next: FlashSession): void {
    session.value = next;
    clearTimers();
    if (next.displayStatus === 'running') {
      void readLive();
    } else {
      live.value = null;
      const wait = Date.parse(next.startsAt) - Date.now();
      if (next.displayStatus === 'not_started' && wait < LONGEST_TIMER_MS)
        startTimer = setTimeout(() => void load(), Math.max(wait, 0) + 1000);
    }
  }

  async function load(): Promise<void> {
    loading.value = true;
    notFound.value = false;
    failed.value = false;
    try {
      apply(await getFlashSession(id()));
    } catch (error) {
      session.value = null;
      clearTimers();
      if (isApiError(error) && error.code === 'NOT_FOUND') notFound.value = true;
      else failed.value = true;
    } finally {
      loading.value = false;
    }
  }

  /** One read of the live view; the next is scheduled while the session runs. */
  async function readLive(): Promise<void> {
    const sessionId = id();
    const mine = generation;
    let next: FlashLive;
    try {
      next = await flashSessionLive(sessionId);
    } catch {
      if (mine === generation) following.value = false;
      return; // Shown by the request client; 刷新 follows it again.
    }
    if (disposed || mine !== generation || session.value?.id !== sessionId) return;
    live.value = next;
    if (next.displayStatus !== 'running') {
      // It ended or was stopped meanwhile: the session's own figures from now on.
      void load();
      return;
    }
    liveTimer = setTimeout(() => void readLive(), LIVE_INTERVAL_MS);
    following.value = true;
  }

  /** An item's figures: live while the session runs, else from the session's own. */
  function figuresOf(item: FlashSession['items'][number]): FlashItemFigures {
    const now = live.value?.items.find((i) => i.id === item.id);
    if (now) return { stock: now.stock, left: now.left, unpaid: now.unpaid, paid: now.paid, orders: now.orders };
    return {
      stock: item.stock,
      left: Math.max(item.stock - item.sold, 0),
      unpaid: Math.max(item.sold - item.paid, 0),
      paid: item.paid,
      orders: null,
    };
  }

  /** The session's figures: live while it runs. */
  const figures = computed(() => live.value?.figures ?? session.value?.figures ?? null);

  const canEdit = computed(() => canManage.value && !!session.value && flashEditable(session.value));
  const canStop = computed(
    () =>
      canManage.value && (session.value?.displayStatus === 'not_started' || session.value?.displayStatus === 'running'),
  );

  async function stop(): Promise<void> {
    const current = session.value;
    if (!current) return;
    try {
      await ElMessageBox.confirm(
        t('marketing.flashSales.stopConfirm', { name: current.name }),
        t('marketing.flashSales.stopTitle'),
        { type: 'warning', confirmButtonText: t('marketing.stop'), cancelButtonText: t('common.cancel') },
      );
    } catch {
      return;
    }
    stopping.value = true;
    try {
      apply(await stopFlashSession(current.id));
      ElMessage.success(t('marketing.flashSales.stopped', { name: current.name }));
    } catch {
      // Shown by the request client.
    } finally {
      stopping.value = false;
    }
  }

  function onSaved(saved: FlashSession): void {
    editOpen.value = false;
    apply(saved);
  }

  function back(): void {
    void router.push({ name: FLASH_ROUTES.list });
  }

  watch(id, load, { immediate: true });
  onUnmounted(() => {
    disposed = true;
    clearTimers();
  });

  return {
    session,
    live,
    loading,
    notFound,
    failed,
    running,
    following,
    figures,
    figuresOf,
    load,
    canEdit,
    canStop,
    stopping,
    stop,
    editOpen,
    onSaved,
    back,
  };
}
