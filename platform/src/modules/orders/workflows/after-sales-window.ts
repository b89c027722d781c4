import { AFTER_SALES_OPEN_STATUSES } from '@shopfleet/contracts';
import type { TenantContext } from '../../../kernel/context';
import type { AfterSalesService } from '../../after-sales';
import type { OrdersService } from '../orders.service';

export interface AfterSalesWindowDeps {
  orders: Pick<OrdersService, 'completions'>;
  afterSales: Pick<AfterSalesService, 'settingsOf' | 'ofOrders'>;
}

const OPEN: ReadonlySet<string> = new Set(AFTER_SALES_OPEN_STATUSES);

/**
 * Which orders' after-sales windows have passed at `at`, and which closed without one (refunded or cancelled): what
 * members' frozen points (and distribution's frozen commission) wait for.
 *
 * 1. orders: each order's state and when it was received;
 * 2. after-sales: the shop's window after receipt (`afterCompletionDays`), and the orders' cases — an order with an
 *    open case waits for it to end, whatever the date.
 */
export function afterSalesWindowWorkflow(deps: AfterSalesWindowDeps) {
  return async function windowsPassed(
    ctx: TenantContext,
    orderIds: number[],
    at: Date,
  ): Promise<{ passed: number[]; closed: number[] }> {
    if (orderIds.length === 0) return { passed: [], closed: [] };
    const [orders, settings, cases] = await Promise.all([
      deps.orders.completions(ctx, orderIds),
      deps.afterSales.settingsOf(ctx),
      deps.afterSales.ofOrders(ctx, orderIds),
    ]);
    const windowMs = settings.afterCompletionDays * 86_400_000;
    const passed: number[] = [];
    const closed: number[] = [];
    for (const [id, o] of orders) {
      if (o.status === 'cancelled' || o.status === 'refunded') closed.push(id);
      else if (
        o.status === 'completed' &&
        o.completedAt &&
        o.completedAt.getTime() + windowMs <= at.getTime() &&
        !(cases.get(id) ?? []).some((c) => OPEN.has(c.status))
      )
        passed.push(id);
    }
    return { passed, closed };
  };
}

export type AfterSalesWindow = ReturnType<typeof afterSalesWindowWorkflow>;
