import type { Order, OrderStatus } from '@shopfleet/contracts';
import { listOrders } from '../api/orders';
import { t } from '../locales';
import { formatFen } from '../utils/money';
import { orderActivityText, orderStatusText, waitsForGroup } from '../utils/orders';
import { openGroup, openOrder, openOrderReview, openPay } from '../utils/routes';
import { useShopperList } from './use-shopper-list';

export type OrderTab = '' | Extract<OrderStatus, 'pending_payment' | 'paid' | 'shipped' | 'completed'>;

export const ORDER_TABS = [
  '',
  'pending_payment',
  'paid',
  'shipped',
  'completed',
] as const satisfies readonly OrderTab[];

/** The shopper's orders by state, newest first, a page more on reaching the bottom. */
export function useOrderList() {
  const list = useShopperList<OrderTab, Order>({
    tabs: ORDER_TABS,
    tabQuery: 'status',
    fetchPage: (tab, page, pageSize) => listOrders({ status: tab || undefined, page, pageSize }),
    title: () => t('nav.orderList'),
  });

  function pieces(order: Order): number {
    return order.lines.reduce((n, line) => n + line.quantity, 0);
  }

  return {
    ...list,
    tabs: ORDER_TABS.map((key) => ({ key, name: key ? orderStatusText(key) : t('orderList.all') })),
    orders: list.items,
    pieces,
    statusText: (order: Order) => orderStatusText(order.status),
    activityText: (order: Order) => orderActivityText(order.activity),
    waitsForGroup,
    formatFen,
    open: (order: Order) => openOrder(order.id),
    pay: (order: Order) => openPay(order.id),
    review: (order: Order) => openOrderReview(order.id),
    /** A group-buy order's group page. */
    openGroupOf: (order: Order) => {
      if (order.activity?.kind === 'group_buy') openGroup(order.activity.id);
    },
  };
}
