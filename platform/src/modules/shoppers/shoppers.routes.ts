import type { merchantApi, shopApi } from '@shopfleet/contracts';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { ShoppersService } from './shoppers.service';

export function shopShopperHandlers(shoppers: ShoppersService) {
  return {
    wechatLogin: (ctx, { body }) => shoppers.wechatLogin(ctx, body.code),
    smsCode: (ctx, { body }) => shoppers.sendSmsCode(ctx, body.phone),
    phoneLogin: (ctx, { body }) => shoppers.phoneLogin(ctx, body.phone, body.code),
    refresh: (ctx, { body }) => shoppers.refresh(ctx, body.refreshToken),
    logout: async (ctx, { body }) => {
      await shoppers.logout(ctx, body.refreshToken);
      return { ok: true as const };
    },
    me: (ctx) => shoppers.me(ctx),
    updateMyProfile: (ctx, { body }) => shoppers.updateProfile(ctx, body),
    uploadMyAvatar: (ctx, { file }) => shoppers.uploadAvatar(ctx, file!.buffer),
  } satisfies Partial<Handlers<typeof shopApi>>;
}

export function merchantShopperHandlers(shoppers: ShoppersService) {
  return {
    listShoppers: (ctx, { query }) => shoppers.list(ctx, query.page, query.pageSize),
    getShopper: (ctx, { params }) => shoppers.get(ctx, params.id),
  } satisfies Partial<Handlers<typeof merchantApi>>;
}
