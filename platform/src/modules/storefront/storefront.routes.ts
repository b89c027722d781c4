import type { merchantApi, shopApi } from '@shopfleet/contracts';
import { sendJsonText, type Handlers } from '../../kernel/http/endpoint-router';
import type { StorefrontService } from './storefront.service';

/** Seconds a shopper's cache (or a CDN) may keep a published page: a publish shows within that. */
const SHOP_MAX_AGE = 5;

export function merchantStorefrontHandlers(storefront: StorefrontService) {
  return {
    listDesignPages: (ctx) => storefront.list(ctx),
    createDesignPage: (ctx, { body }) => storefront.create(ctx, body),
    getDesignPage: (ctx, { params }) => storefront.get(ctx, params.id),
    saveDesignDraft: (ctx, { params, body }) => storefront.saveDraft(ctx, params.id, body),
    deleteDesignPage: async (ctx, { params }) => {
      await storefront.remove(ctx, params.id);
      return { ok: true as const };
    },
    publishDesignPage: (ctx, { params }) => storefront.publish(ctx, params.id),
    listDesignVersions: (ctx, { params }) => storefront.versions(ctx, params.id),
    restoreDesignVersion: (ctx, { params }) => storefront.restore(ctx, params.id, params.version),
    previewDesignPage: (ctx, { params }) => storefront.preview(ctx, params.id),
    getTabBar: (ctx) => storefront.tabBar(ctx),
    updateTabBar: (ctx, { body }) => storefront.setTabBar(ctx, body),
    uploadTabIcon: (ctx, { file }) => storefront.uploadTabIcon(ctx, file!.buffer),
  } satisfies Partial<Handlers<typeof merchantApi>>;
}

export function shopStorefrontHandlers(storefront: StorefrontService) {
  return {
    shopPage: async (ctx, { params, query }, res) => {
      if (query.preview === undefined)
        return sendJsonText(res, await storefront.pageJson(ctx, params.key), SHOP_MAX_AGE);
      // A draft is the merchant's: no cache keeps it.
      res.setHeader('Cache-Control', 'private, no-store');
      return storefront.previewPage(ctx, params.key, query.preview);
    },
    shopTabBar: async (ctx, _input, res) => sendJsonText(res, await storefront.tabBarJson(ctx), SHOP_MAX_AGE),
  } satisfies Partial<Handlers<typeof shopApi>>;
}
