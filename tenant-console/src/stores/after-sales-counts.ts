import { computed, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { AfterSalesStatus } from '@shopfleet/contracts';
import { afterSalesCounts, type AfterSalesCounts } from '@/api/after-sales';
import { complaintCounts } from '@/api/complaints';

/** How often the 售后 menu asks for its counts while the merchant console is open. */
export const AFTER_SALES_COUNTS_POLL_MS = 60_000;

/** The states in which the case waits for the merchant: a request to answer, goods to receive, a replacement to ship. */
export const MERCHANT_TURN_STATUSES: readonly AfterSalesStatus[] = ['requested', 'returned', 'received'];

/**
 * The shop's cases per state and its open complaints: the badges of the 售后 menu (the cases waiting for the merchant,
 * the open complaints, and both on the group) and the lists' tabs. Polled while the console is open; a page that
 * changes a case or answers a complaint refreshes it, so the badges follow at once.
 */
export const useAfterSalesCountsStore = defineStore('after-sales-counts', () => {
  const counts = shallowRef<AfterSalesCounts | null>(null);
  /** Open complaints against the shop; null until counted. */
  const complaintsOpen = shallowRef<number | null>(null);
  let timer: ReturnType<typeof setInterval> | null = null;
  let ticket = 0;

  /** The cases waiting for the merchant. */
  const waiting = computed(() =>
    counts.value ? MERCHANT_TURN_STATUSES.reduce((sum, status) => sum + (counts.value?.[status] ?? 0), 0) : 0,
  );

  /** Every case, whatever its state. */
  const total = computed(() => (counts.value ? Object.values(counts.value).reduce((a, b) => a + b, 0) : 0));

  /** What the 售后 group's badge counts: the cases waiting for the merchant and the open complaints. */
  const attention = computed(() => waiting.value + (complaintsOpen.value ?? 0));

  /** Quiet: a failed poll is not worth a toast every minute; the next one tries again. Each count on its own. */
  async function refresh(): Promise<void> {
    const mine = ++ticket;
    await Promise.all([
      afterSalesCounts({ silent: true }).then(
        (next) => {
          if (mine === ticket) counts.value = next;
        },
        // Kept as it was; a lost session is handled by the request client.
        () => undefined,
      ),
      complaintCounts({ silent: true }).then(
        (next) => {
          if (mine === ticket) complaintsOpen.value = next.open;
        },
        () => undefined,
      ),
    ]);
  }

  function startPolling(): void {
    stopPolling();
    void refresh();
    timer = setInterval(() => void refresh(), AFTER_SALES_COUNTS_POLL_MS);
  }

  function stopPolling(): void {
    if (timer !== null) clearInterval(timer);
    timer = null;
  }

  function reset(): void {
    stopPolling();
    ticket++;
    counts.value = null;
    complaintsOpen.value = null;
  }

  return { counts, complaintsOpen, waiting, attention, total, refresh, startPolling, stopPolling, reset };
});
