export { shoppersRepository, type Shopper, type ShoppersRepository } from './shoppers.repository';
export { shoppersService, type ShoppersService, type MemberIdentity } from './shoppers.service';
export { shopShopperHandlers, merchantShopperHandlers } from './shoppers.routes';
