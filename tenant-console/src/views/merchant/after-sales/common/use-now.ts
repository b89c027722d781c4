import { onMounted, onUnmounted, ref, type Ref } from 'vue';

/** The time now, moved on every `everyMs` while the page is open (the deadlines' countdown). */
export function useNow(everyMs = 30_000): Ref<number> {
  const now = ref(Date.now());
  let timer: ReturnType<typeof setInterval> | null = null;
  onMounted(() => {
    timer = setInterval(() => (now.value = Date.now()), everyMs);
  });
  onUnmounted(() => {
    if (timer !== null) clearInterval(timer);
  });
  return now;
}
