import type { merchantApi, platformApi, shopApi } from '@shopfleet/contracts';
import { cacheForShoppers, type Handlers } from '../../kernel/http/endpoint-router';
import type { TenantsService } from './tenants.service';

export function platformTenantHandlers(tenants: TenantsService) {
  return {
    listTenants: (ctx, { query }) => tenants.list(ctx, query),
  } satisfies Partial<Handlers<typeof platformApi>>;
}

export function merchantTenantHandlers(tenants: TenantsService) {
  return {
    getShop: (ctx) => tenants.settings(ctx),
    updateShop: (ctx, { body }) => tenants.updateSettings(ctx, body),
    uploadLogo: (ctx, { file }) => tenants.uploadLogo(ctx, file!),
    getAppearance: (ctx) => tenants.appearance(ctx),
    updateAppearance: (ctx, { body }) => tenants.updateAppearance(ctx, body),
    uploadShareImage: (ctx, { file }) => tenants.uploadShareImage(ctx, file!),
    createShopPreviewPass: (ctx) => tenants.previewPass(ctx),
  } satisfies Partial<Handlers<typeof merchantApi>>;
}

export function shopTenantHandlers(tenants: TenantsService) {
  return {
    shop: async (_ctx, { params }, res) => {
      const { id: _id, ...shop } = await tenants.publicShop(params.shopKey);
      cacheForShoppers(res, 30);
      return shop;
    },
  } satisfies Partial<Handlers<typeof shopApi>>;
}
