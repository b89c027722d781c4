import { ref } from 'vue';
import type { AfterSalesQuote, Order, OrderStatus } from '@shopfleet/contracts';
import { afterSalesQuote } from '../api/after-sales';

/** The order states whose lines may take a request (the server's quote says which kinds, and how many units). */
const ASKABLE: readonly OrderStatus[] = ['paid', 'shipped', 'completed'];

type Line = Order['lines'][number];

/**
 * After-sales requests on an order's lines: each line's quote (for one unit) read as the order shows, so a line offers the button
 * only while it has units left and the order takes some kind of request; the units in open cases are what the line
 * has neither refunded nor left.
 */
export function useLineAfterSales() {
  const quotes = ref<Record<number, AfterSalesQuote>>({});
  let generation = 0;

  async function load(order: Order): Promise<void> {
    const mine = ++generation;
    if (!ASKABLE.includes(order.status)) {
      quotes.value = {};
      return;
    }
    const found = await Promise.all(
      order.lines.map((line) =>
        afterSalesQuote({ orderId: order.id, skuId: line.skuId, quantity: 1 }).then(
          (q) => [line.skuId, q] as const,
          // No quote, no button: the order page does not fail for it.
          () => null,
        ),
      ),
    );
    if (mine !== generation) return;
    quotes.value = Object.fromEntries(found.filter((entry) => entry !== null));
  }

  function canApply(line: Line): boolean {
    const q = quotes.value[line.skuId];
    return !!q && q.unitsLeft > 0 && q.kinds.length > 0;
  }

  /** Units of the line in open cases. */
  function unitsInCases(line: Line): number {
    const q = quotes.value[line.skuId];
    return q ? Math.max(0, line.quantity - line.refundedQuantity - q.unitsLeft) : 0;
  }

  return { load, canApply, unitsInCases };
}
