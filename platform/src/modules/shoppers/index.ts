export { shoppersRepository, type Shopper, type ShopperIdentity, type ShoppersRepository } from './shoppers.repository';
export {
  shoppersService,
  PhoneClaimMoved,
  type AuthorizerTokens,
  type MemberIdentity,
  type PhoneClaim,
  type ShopperAvatars,
  type ShoppersService,
} from './shoppers.service';
export { shopShopperHandlers, merchantShopperHandlers } from './shoppers.routes';
