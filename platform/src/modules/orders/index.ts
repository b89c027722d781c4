export { ordersService, type OrdersService } from './orders.service';
export { shopOrderHandlers } from './orders.routes';
export { scheduleOrderSweep } from './orders.jobs';
