import type { TenantContext } from '../../kernel/context';
import { sharedToken } from '../../kernel/cached-token';
import { AppError } from '../../kernel/errors';
import type { Redis } from '../../kernel/redis';
import type { SecretBox } from '../../kernel/secret-box';
import { WechatApiError, type ComponentTokenProvider, type WechatClient } from '../../integrations/wechat';
import type { AuthorizationsRepository } from './authorizations.repository';

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
export function authorizationsService(deps: {
  repo: AuthorizationsRepository;
  redis: Redis;
  redisPrefix: string;
  secretBox: SecretBox;
  wechat: WechatClient;
  componentTokens: ComponentTokenProvider;
}) {
  const { repo } = deps;
  const aad = (tenantId: number) => `wechat-authorizer:${tenantId}`;
  const tokenKey = (appid: string) => `${deps.redisPrefix}:wechat:authorizer:${appid}:token`;

  return {
    async get(ctx: TenantContext): Promise<Authorization | null> {
      const a = await repo.get(ctx);
      return a ? { authorizerAppid: a.authorizerAppid, funcInfo: a.funcInfo, authorizedAt: a.authorizedAt } : null;
    },

    /** Forgets the shop's authorization (the merchant revoked it in WeChat). */
    async remove(ctx: TenantContext): Promise<void> {
      const a = await repo.get(ctx);
      if (!a) return;
      await repo.remove(ctx);
      await deps.redis.del(tokenKey(a.authorizerAppid));
    },

    /** Records (or renews) the shop's authorization, as `api_query_auth` returned it. */
    async save(ctx: TenantContext, a: Authorization & { refreshToken: string }): Promise<void> {
      await repo.save(ctx, {
        authorizerAppid: a.authorizerAppid,
        refreshTokenSealed: deps.secretBox.encrypt(a.refreshToken, aad(ctx.tenantId)),
        funcInfo: a.funcInfo,
      });
      await deps.redis.del(tokenKey(a.authorizerAppid));
    },

    /** The authorizer access token of the shop's mini-program. */
    async accessToken(ctx: TenantContext): Promise<{ appid: string; token: string }> {
      const row = await repo.get(ctx);
      if (!row)
        throw new AppError(
          'WECHAT_NOT_CONFIGURED',
          { reason: 'MINIAPP_NOT_AUTHORIZED', message: "This shop's mini-program is not authorized to the platform" },
          409,
        );
      const appid = row.authorizerAppid;
      const token = await sharedToken(deps.redis, tokenKey(appid), async () => {
        const componentAppid = deps.componentTokens.componentAppid;
        if (!componentAppid)
          throw new AppError(
            'WECHAT_NOT_CONFIGURED',
            { reason: 'WECHAT_NOT_CONFIGURED_PLATFORM', message: 'The WeChat third-party platform is not configured' },
            503,
          );
        const fresh = await deps.wechat.authorizerAccessToken(
          componentAppid,
          await deps.componentTokens.token(),
          appid,
          deps.secretBox.decrypt(row.refreshTokenSealed, aad(ctx.tenantId)),
        );
        await repo.setRefreshToken(ctx, deps.secretBox.encrypt(fresh.refreshToken, aad(ctx.tenantId)));
        return { value: fresh.token, ttlSeconds: fresh.expiresIn - 300 };
      });
      return { appid, token };
    },

    /**
     * A shop whose authorization grants a permission set (18: code management), the most recent first
     * among the newest authorizations: platform work that must ask WeChat with some shop's token.
     */
    async shopGranting(funcSet: number): Promise<number | null> {
      const found = (await repo.newestAcrossShops(20)).find((a) => a.funcInfo.includes(funcSet));
      return found?.tenantId ?? null;
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
