export { afterSalesRepository, type AfterSalesRepository } from './after-sales.repository';
export { afterSalesService, type AfterSalesService } from './after-sales.service';
export { afterSalesMachine } from './after-sales-states';
export {
  merchantAfterSalesHandlers,
  merchantComplaintHandlers,
  platformComplaintHandlers,
  shopAfterSalesHandlers,
  shopComplaintHandlers,
} from './after-sales.routes';
export { complaintsRepository, type ComplaintsRepository } from './complaints.repository';
export { complaintsService, type ComplaintsService } from './complaints.service';
export { scheduleAfterSalesSweep, scheduleComplaintSync } from './after-sales.jobs';
