import { onUnmounted, ref } from 'vue';
import { onHide, onShow } from '@dcloudio/uni-app';
import { serverNowMs } from '../stores/flash';
import { formatCountdown } from '../utils/time';

/**
 * The server's clock (by the device's clock and the offset the last flash-sale listing gave), ticking every second
 * while the page is shown: what the flash-sale countdowns and states are worked out against.
 */
export function useServerClock() {
  const nowMs = ref(serverNowMs());
  let timer: ReturnType<typeof setInterval> | null = null;

  function tick() {
    nowMs.value = serverNowMs();
  }

  function start() {
    stop();
    tick();
    timer = setInterval(tick, 1000);
  }

  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
  }

  /** Seconds from now to a time of the server's clock, as `mm:ss` (or `h:mm:ss`); 00:00 once it has passed. */
  function countdownTo(iso: string): string {
    return formatCountdown((Date.parse(iso) - nowMs.value) / 1000);
  }

  onShow(start);
  onHide(stop);
  onUnmounted(stop);

  return { nowMs, tick, countdownTo };
}
