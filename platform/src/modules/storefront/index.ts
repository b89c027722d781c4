export { storefrontRepository, type StorefrontRepository } from './storefront.repository';
export {
  storefrontService,
  type StorefrontService,
  type StorefrontCatalog,
  type StorefrontMarketing,
} from './storefront.service';
export { merchantStorefrontHandlers, shopStorefrontHandlers } from './storefront.routes';
