export { storefrontRepository, type StorefrontRepository } from './storefront.repository';
export {
  storefrontService,
  type StorefrontService,
  type StorefrontCatalog,
  type StorefrontMarketing,
  type PackagedTab,
} from './storefront.service';
export { merchantStorefrontHandlers, shopStorefrontHandlers } from './storefront.routes';
