export { printsService, printFontLoader, type PrintsService } from './prints.service';
export { trackingService, type TrackingService } from './tracking.service';
export type { Sender } from './print-documents';
export { merchantLogisticsHandlers, shopLogisticsHandlers } from './logistics.routes';
