export { marketingRepository, type MarketingRepository } from './marketing.repository';
export { couponsService, displayStatus, validityAt, type CouponsService } from './coupons.service';
export { merchantMarketingHandlers, shopMarketingHandlers } from './marketing.routes';
