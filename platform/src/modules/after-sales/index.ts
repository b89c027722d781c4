export { afterSalesRepository, type AfterSalesRepository } from './after-sales.repository';
export { afterSalesService, type AfterSalesService } from './after-sales.service';
export { afterSalesMachine } from './after-sales-states';
export { merchantAfterSalesHandlers, shopAfterSalesHandlers } from './after-sales.routes';
export { scheduleAfterSalesSweep } from './after-sales.jobs';
