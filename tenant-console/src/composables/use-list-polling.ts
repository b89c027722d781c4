import { computed, onUnmounted, ref, watch, type ComputedRef, type Ref } from 'vue';
import type { PagedList } from './use-paged-list';

const POLL_INTERVAL_MS = 3000;

/**
 * Follows a paged list while any row on the page is still changing (`changing`): the page is asked for
 * again every 3 s and the decision is made again on every answer (a page, a refresh, a poll, an
 * action). A failed look stops it (the request client shows why). Stops when the component unmounts.
 */
export function useListPolling<T>(
  list: PagedList<T>,
  changing: (row: T) => boolean,
): { polling: Ref<boolean>; following: ComputedRef<boolean> } {
  /** A background refresh is running: the table keeps its rows without the loading mask. */
  const polling = ref(false);
  const following = computed(() => list.items.value.some(changing));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  function stop(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  }

  function schedule(): void {
    stop();
    if (disposed || !following.value) return;
    timer = setTimeout(async () => {
      timer = undefined;
      polling.value = true;
      try {
        await list.load();
      } finally {
        polling.value = false;
      }
    }, POLL_INTERVAL_MS);
  }

  watch(list.items, schedule);
  onUnmounted(() => {
    disposed = true;
    stop();
  });
  return { polling, following };
}
