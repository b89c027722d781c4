import { computed, onUnmounted, ref } from 'vue';
import { onHide, onShow } from '@dcloudio/uni-app';
import { formatCountdown } from '../utils/time';

/**
 * Seconds left until a deadline, ticking every second while the page is shown; `onExpire` runs once
 * when it reaches zero (e.g. to reload an order the server has just closed).
 */
export function useCountdown(onExpire?: () => void) {
  const deadline = ref<number | null>(null);
  const now = ref(Date.now());
  let timer: ReturnType<typeof setInterval> | null = null;
  let expiredFor: number | null = null;

  const secondsLeft = computed(() =>
    deadline.value === null ? 0 : Math.max(0, Math.floor((deadline.value - now.value) / 1000)),
  );
  const text = computed(() => formatCountdown(secondsLeft.value));
  const running = computed(() => deadline.value !== null && secondsLeft.value > 0);

  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
  }

  function tick() {
    now.value = Date.now();
    if (deadline.value !== null && secondsLeft.value === 0) {
      stop();
      if (expiredFor !== deadline.value) {
        expiredFor = deadline.value;
        onExpire?.();
      }
    }
  }

  function start() {
    stop();
    tick();
    if (deadline.value !== null && secondsLeft.value > 0) timer = setInterval(tick, 1000);
  }

  /** Counts down to an ISO time; null stops it. */
  function setDeadline(iso: string | null) {
    const at = iso ? Date.parse(iso) : NaN;
    deadline.value = Number.isNaN(at) ? null : at;
    if (deadline.value === null) stop();
    else start();
  }

  onShow(() => {
    if (deadline.value !== null) start();
  });
  onHide(stop);
  onUnmounted(stop);

  return { secondsLeft, text, running, setDeadline };
}
