import type { Knex } from 'knex';
import type { TenantContext } from '../../kernel/context';
import { TenantScope } from '../../kernel/db/tenant-scope';
import { parseJsonColumn } from '../../kernel/db/rows';
import { sharedToken } from '../../kernel/cached-token';
import { AppError } from '../../kernel/errors';
import type { Redis } from '../../kernel/redis';
import type { SecretBox } from '../../kernel/secret-box';
import { WechatApiError, type ComponentTokenProvider, type WechatClient } from '../../integrations/wechat';

export interface Authorization {
  authorizerAppid: string;
  funcInfo: number[];
  authorizedAt?: Date;
}

/**
 * A shop's mini-program authorized to our third-party platform, and its authorizer access token,
 * renewed from the sealed refresh token by one process at a time and cached in Redis (renewals are
 * rationed by WeChat). The authorization itself is recorded by the authorization callback.
 */
export function authorizationsService(deps: { knex: Knex; redis: Redis; redisPrefix: string; secretBox: SecretBox; wechat: WechatClient; componentTokens: ComponentTokenProvider }) {
  const scopeOf = (ctx: TenantContext) => new TenantScope(deps.knex, ctx.tenantId);
  const aad = (tenantId: number) => `wechat-authorizer:${tenantId}`;
  const tokenKey = (appid: string) => `${deps.redisPrefix}:wechat:authorizer:${appid}:token`;

  return {
    async get(ctx: TenantContext): Promise<Authorization | null> {
      const row = await scopeOf(ctx).table('wechat_authorizations').first();
      if (!row) return null;
      const funcInfo = (parseJsonColumn(row.func_info) as number[] | null) ?? [];
      return { authorizerAppid: String(row.authorizer_appid), funcInfo, authorizedAt: row.authorized_at as Date };
    },

    /** Forgets the shop's authorization (the merchant revoked it in WeChat). */
    async remove(ctx: TenantContext): Promise<void> {
      const row = await scopeOf(ctx).table('wechat_authorizations').first();
      if (!row) return;
      await scopeOf(ctx).table('wechat_authorizations').delete();
      await deps.redis.del(tokenKey(String(row.authorizer_appid)));
    },

    /** Records (or renews) the shop's authorization, as `api_query_auth` returned it. */
    async save(ctx: TenantContext, a: Authorization & { refreshToken: string }): Promise<void> {
      await scopeOf(ctx).upsert(
        'wechat_authorizations',
        { authorizer_appid: a.authorizerAppid, refresh_token: deps.secretBox.encrypt(a.refreshToken, aad(ctx.tenantId)), func_info: JSON.stringify(a.funcInfo), authorized_at: new Date(), updated_at: new Date() },
        ['authorizer_appid', 'refresh_token', 'func_info', 'authorized_at', 'updated_at'],
      );
      await deps.redis.del(tokenKey(a.authorizerAppid));
    },

    /** The authorizer access token of the shop's mini-program. */
    async accessToken(ctx: TenantContext): Promise<{ appid: string; token: string }> {
      const row = await scopeOf(ctx).table('wechat_authorizations').first();
      if (!row) throw new AppError('WECHAT_NOT_CONFIGURED', { reason: 'MINIAPP_NOT_AUTHORIZED', message: "This shop's mini-program is not authorized to the platform" }, 409);
      const appid = String(row.authorizer_appid);
      const token = await sharedToken(deps.redis, tokenKey(appid), async () => {
        const componentAppid = deps.componentTokens.componentAppid;
        if (!componentAppid) throw new AppError('WECHAT_NOT_CONFIGURED', { reason: 'WECHAT_NOT_CONFIGURED_PLATFORM', message: 'The WeChat third-party platform is not configured' }, 503);
        const fresh = await deps.wechat.authorizerAccessToken(componentAppid, await deps.componentTokens.token(), appid, deps.secretBox.decrypt(String(row.refresh_token), aad(ctx.tenantId)));
        await scopeOf(ctx).table('wechat_authorizations').update({ refresh_token: deps.secretBox.encrypt(fresh.refreshToken, aad(ctx.tenantId)), updated_at: new Date() });
        return { value: fresh.token, ttlSeconds: fresh.expiresIn - 300 };
      });
      return { appid, token };
    },

    /** Forgets a token WeChat refused (40001 / 42001), so the next call renews it. */
    async invalidate(appid: string, err: unknown): Promise<boolean> {
      if (err instanceof WechatApiError && (err.errcode === 40001 || err.errcode === 42001)) {
        await deps.redis.del(tokenKey(appid));
        return true;
      }
      return false;
    },
  };
}

export type AuthorizationsService = ReturnType<typeof authorizationsService>;
