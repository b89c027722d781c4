import { z } from 'zod';
import { authMerchantEndpoints, authPlatformEndpoints, authShopEndpoints } from './auth.api';
import { cartShopEndpoints } from './cart.api';
import { catalogMerchantEndpoints, catalogShopEndpoints } from './catalog.api';
import { miniappMerchantEndpoints, miniappPlatformEndpoints } from './miniapp.api';
import { onboardingMerchantEndpoints, onboardingPlatformEndpoints } from './onboarding.api';
import { ordersMerchantEndpoints, ordersShopEndpoints } from './orders.api';
import { logisticsMerchantEndpoints, logisticsShopEndpoints } from './logistics.api';
import { ordersOpsMerchantEndpoints } from './orders-ops.api';
import { paymentsMerchantEndpoints, paymentsShopEndpoints } from './payments.api';
import { reviewsMerchantEndpoints, reviewsShopEndpoints } from './reviews.api';
import { marketingMerchantEndpoints, marketingShopEndpoints } from './marketing.api';
import { flashSalesMerchantEndpoints, flashSalesShopEndpoints } from './flash-sales.api';
import { groupBuysMerchantEndpoints, groupBuysShopEndpoints } from './group-buys.api';
import { afterSalesMerchantEndpoints, afterSalesShopEndpoints } from './after-sales.api';
import { complaintsMerchantEndpoints, complaintsPlatformEndpoints, complaintsShopEndpoints } from './complaints.api';
import { supportMerchantEndpoints, supportShopEndpoints } from './support.api';
import { membersMerchantEndpoints, membersShopEndpoints } from './members.api';
import { distributionMerchantEndpoints, distributionShopEndpoints } from './distribution.api';
import { sharingShopEndpoints } from './sharing.api';
import { shippingMerchantEndpoints } from './shipping.api';
import { analyticsMerchantEndpoints, analyticsShopEndpoints } from './analytics.api';
import { recommendationsShopEndpoints } from './recommendations.api';
import { shopMerchantEndpoints, shopPlatformEndpoints, shopShopEndpoints } from './shop.api';
import { usagePlatformEndpoints } from './usage.api';
import { storefrontMerchantEndpoints, storefrontShopEndpoints } from './storefront.api';

// The three API surfaces, composed from the endpoint slices each module declares beside its schemas
// (`<module>.api.ts`). The router mounts a surface's endpoints in this order: within a slice, a static
// path comes before the parametrized one it would otherwise shadow (`/orders/export` before `/orders/:id`).

/** `/platform-api/v1`: platform staff. */
export const platformApi = {
  ...authPlatformEndpoints,
  ...shopPlatformEndpoints,
  ...onboardingPlatformEndpoints,
  ...miniappPlatformEndpoints,
  ...complaintsPlatformEndpoints,
  ...usagePlatformEndpoints,
};

/** `/merchant-api/v1`: merchant staff; the tenant comes from the token. */
export const merchantApi = {
  ...authMerchantEndpoints,
  ...onboardingMerchantEndpoints,
  ...catalogMerchantEndpoints,
  ...shopMerchantEndpoints,
  ...ordersOpsMerchantEndpoints,
  ...ordersMerchantEndpoints,
  ...logisticsMerchantEndpoints,
  ...shippingMerchantEndpoints,
  ...paymentsMerchantEndpoints,
  ...reviewsMerchantEndpoints,
  ...marketingMerchantEndpoints,
  ...flashSalesMerchantEndpoints,
  ...groupBuysMerchantEndpoints,
  ...afterSalesMerchantEndpoints,
  ...complaintsMerchantEndpoints,
  ...supportMerchantEndpoints,
  ...membersMerchantEndpoints,
  ...distributionMerchantEndpoints,
  ...analyticsMerchantEndpoints,
  ...miniappMerchantEndpoints,
  ...storefrontMerchantEndpoints,
};

/** `/shop-api/v1`: shoppers; every path names the shop. */
export const shopApi = {
  ...shopShopEndpoints,
  ...authShopEndpoints,
  ...catalogShopEndpoints,
  ...cartShopEndpoints,
  ...ordersShopEndpoints,
  ...logisticsShopEndpoints,
  ...paymentsShopEndpoints,
  ...reviewsShopEndpoints,
  ...marketingShopEndpoints,
  ...flashSalesShopEndpoints,
  ...groupBuysShopEndpoints,
  ...afterSalesShopEndpoints,
  ...complaintsShopEndpoints,
  ...supportShopEndpoints,
  ...membersShopEndpoints,
  ...distributionShopEndpoints,
  ...sharingShopEndpoints,
  ...analyticsShopEndpoints,
  ...recommendationsShopEndpoints,
  ...storefrontShopEndpoints,
};

export const healthSchema = z.object({ status: z.literal('ok') });
export const readinessSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), ms: z.number(), error: z.string().optional() })),
});
