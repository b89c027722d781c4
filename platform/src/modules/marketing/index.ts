export { marketingRepository, type MarketingRepository } from './marketing.repository';
export { promotionsRepository, type PromotionsRepository } from './promotions.repository';
export { campaignOrdersRepository, type CampaignOrdersRepository } from './campaign-orders.repository';
export { couponsService, displayStatus, validityAt, type CouponsService } from './coupons.service';
export { promotionsService, type PromotionsService } from './promotions.service';
export { offersService, type OffersService } from './offers.service';
export { merchantMarketingHandlers, shopMarketingHandlers } from './marketing.routes';
