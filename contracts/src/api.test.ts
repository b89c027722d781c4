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
import { membersMerchantEndpoints, membersShopEndpoints } from './members.api';
import { distributionMerchantEndpoints, distributionShopEndpoints } from './distribution.api';
import { afterSalesMerchantEndpoints, afterSalesShopEndpoints } from './after-sales.api';
import { complaintsMerchantEndpoints, complaintsPlatformEndpoints, complaintsShopEndpoints } from './complaints.api';
import { supportMerchantEndpoints, supportShopEndpoints } from './support.api';
import { sharingShopEndpoints } from './sharing.api';
import { analyticsMerchantEndpoints, analyticsShopEndpoints } from './analytics.api';
import { recommendationsShopEndpoints } from './recommendations.api';
import { shippingMerchantEndpoints } from './shipping.api';
import { storefrontMerchantEndpoints, storefrontShopEndpoints } from './storefront.api';
import { shopMerchantEndpoints, shopPlatformEndpoints, shopShopEndpoints } from './shop.api';
import { usagePlatformEndpoints } from './usage.api';
import { merchantApi, platformApi, shopApi } from './api';
import type { EndpointDef } from './endpoint';

const surfaces: [string, Record<string, EndpointDef>, Record<string, EndpointDef>[]][] = [
  [
    'platform',
    platformApi,
    [
      authPlatformEndpoints,
      shopPlatformEndpoints,
      onboardingPlatformEndpoints,
      miniappPlatformEndpoints,
      complaintsPlatformEndpoints,
      usagePlatformEndpoints,
    ],
  ],
  [
    'merchant',
    merchantApi,
    [
      authMerchantEndpoints,
      onboardingMerchantEndpoints,
      catalogMerchantEndpoints,
      shopMerchantEndpoints,
      ordersOpsMerchantEndpoints,
      ordersMerchantEndpoints,
      logisticsMerchantEndpoints,
      shippingMerchantEndpoints,
      paymentsMerchantEndpoints,
      reviewsMerchantEndpoints,
      marketingMerchantEndpoints,
      flashSalesMerchantEndpoints,
      groupBuysMerchantEndpoints,
      membersMerchantEndpoints,
      distributionMerchantEndpoints,
      analyticsMerchantEndpoints,
      afterSalesMerchantEndpoints,
      complaintsMerchantEndpoints,
      supportMerchantEndpoints,
      miniappMerchantEndpoints,
      storefrontMerchantEndpoints,
    ],
  ],
  [
    'shop',
    shopApi,
    [
      shopShopEndpoints,
      authShopEndpoints,
      catalogShopEndpoints,
      cartShopEndpoints,
      ordersShopEndpoints,
      logisticsShopEndpoints,
      paymentsShopEndpoints,
      reviewsShopEndpoints,
      marketingShopEndpoints,
      flashSalesShopEndpoints,
      groupBuysShopEndpoints,
      membersShopEndpoints,
      distributionShopEndpoints,
      afterSalesShopEndpoints,
      complaintsShopEndpoints,
      supportShopEndpoints,
      sharingShopEndpoints,
      analyticsShopEndpoints,
      recommendationsShopEndpoints,
      storefrontShopEndpoints,
    ],
  ],
];

const segments = (path: string) => path.split('/');
const isParam = (segment: string) => segment.startsWith(':');

/** Some URL matches both paths: as many segments, each equal or a parameter in one of them. */
function overlap(a: string, b: string): boolean {
  const [x, y] = [segments(a), segments(b)];
  return x.length === y.length && x.every((s, i) => s === y[i] || isParam(s) || isParam(y[i]!));
}

describe.each(surfaces)('the %s surface, composed from the modules’ slices', (_name, api, slices) => {
  it('keeps every endpoint of every slice: no two slices declare the same name', () => {
    const names = slices.flatMap((slice) => Object.keys(slice));
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(api).sort()).toEqual([...names].sort());
  });

  it('has one endpoint per method and path', () => {
    const routes = Object.values(api).map((def) => `${def.method} ${def.path}`);
    expect(new Set(routes).size).toBe(routes.length);
  });

  it('mounts a static path before a parametrized one that would match the same URL (the router tries them in order)', () => {
    const defs = Object.entries(api);
    const shadowed: string[] = [];
    defs.forEach(([first, a], i) => {
      for (const [later, b] of defs.slice(i + 1)) {
        if (a.method !== b.method || !overlap(a.path, b.path)) continue;
        const [x, y] = [segments(a.path), segments(b.path)];
        if (x.some((s, k) => isParam(s) && !isParam(y[k]!)))
          shadowed.push(`${first} (${a.path}) shadows ${later} (${b.path})`);
      }
    });
    expect(shadowed).toEqual([]);
  });
});
