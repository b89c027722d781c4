import type { merchantApi, shopApi } from '@shopfleet/contracts';
import { requireTenant } from '../../kernel/context';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { ShoppersService } from './shoppers.service';

export function shopShopperHandlers(shoppers: ShoppersService) {
  return {
    wechatLogin: (ctx, { body }) => shoppers.wechatLogin(requireTenant(ctx), body.code),
    smsCode: (ctx, { body }) => shoppers.sendSmsCode(requireTenant(ctx), body.phone),
    phoneLogin: (ctx, { body }) => shoppers.phoneLogin(requireTenant(ctx), body.phone, body.code),
    refresh: (ctx, { body }) => shoppers.refresh(requireTenant(ctx), body.refreshToken),
    logout: async (ctx, { body }) => {
      await shoppers.logout(requireTenant(ctx), body.refreshToken);
      return { ok: true as const };
    },
    me: (ctx) => shoppers.me(requireTenant(ctx)),
  } satisfies Partial<Handlers<typeof shopApi>>;
}

export function merchantShopperHandlers(shoppers: ShoppersService) {
  return {
    listShoppers: (ctx, { query }) => shoppers.list(requireTenant(ctx), query.page, query.pageSize),
    getShopper: (ctx, { params }) => shoppers.get(requireTenant(ctx), params.id),
  } satisfies Partial<Handlers<typeof merchantApi>>;
}
