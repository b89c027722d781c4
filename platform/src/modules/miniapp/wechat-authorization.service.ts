import { createHmac, timingSafeEqual } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import type { WechatAuthorization } from '@shopfleet/contracts';
import type { RequestContext, TenantContext } from '../../kernel/context';
import { AppError, ConflictError, ForbiddenError } from '../../kernel/errors';
import type { ComponentTokenProvider, WechatClient, WechatMessageCrypto } from '../../integrations/wechat';
import type { AuditService } from '../audit';
import type { TenantsService } from '../tenants';
import type { AuthorizationsService } from './authorizations.service';

const PC_PAGE = 'https://mp.weixin.qq.com/cgi-bin/componentloginpage';
const MOBILE_PAGE = 'https://open.weixin.qq.com/wxaopen/safe/bindcomponent';
/** How long a link's state is good for: the pre-auth code itself lives about ten minutes. */
const STATE_TTL_SECONDS = 1800;

export interface ComponentPush {
  timestamp: string;
  nonce: string;
  msgSignature: string;
  rawBody: string;
}

export class PushRejected extends Error {}

const xml = new XMLParser({ parseTagValue: false, trimValues: true });

/**
 * The third-party platform authorization: the merchant opens WeChat's authorization page from a link
 * we make (with a pre-auth code and a signed state naming the shop), WeChat sends the browser back
 * with an auth code we exchange for the mini-program's AppID and refresh token. WeChat's encrypted
 * pushes bring the component_verify_ticket every ten minutes and tell us when a merchant revokes.
 */
export function wechatAuthorizationService(deps: {
  tenants: TenantsService;
  authorizations: AuthorizationsService;
  wechat: WechatClient;
  componentTokens: ComponentTokenProvider;
  crypto: WechatMessageCrypto | null;
  audit: AuditService;
  publicUrl: string;
  stateSecret: string;
  pushMaxAgeSeconds: number;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  const sign = (payload: string) =>
    createHmac('sha256', deps.stateSecret).update(`wechat-authorization:${payload}`).digest('base64url');

  function state(tenantId: number): { value: string; expiresAt: Date } {
    const expiresAt = new Date(now().getTime() + STATE_TTL_SECONDS * 1000);
    const payload = `${tenantId}.${Math.floor(expiresAt.getTime() / 1000)}`;
    return { value: `${payload}.${sign(payload)}`, expiresAt };
  }

  function tenantOfState(value: string): number | null {
    const m = /^(\d{1,12})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value);
    if (!m) return null;
    const payload = `${m[1]}.${m[2]}`;
    const expected = Buffer.from(sign(payload));
    const given = Buffer.from(m[3]!);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    if (Number(m[2]) * 1000 < now().getTime()) return null;
    return Number(m[1]);
  }

  const componentAppid = () => {
    const appid = deps.componentTokens.componentAppid;
    if (!appid)
      throw new AppError(
        'WECHAT_NOT_CONFIGURED',
        { reason: 'WECHAT_NOT_CONFIGURED_PLATFORM', message: 'The WeChat third-party platform is not configured' },
        503,
      );
    return appid;
  };

  /**
   * A push from WeChat, verified (signature over the ciphertext, a fresh timestamp) and decrypted into
   * its fields. Anything that fails verification is refused.
   */
  function open(push: ComponentPush): Record<string, string> {
    if (!deps.crypto)
      throw new PushRejected('pushes are not configured (WECHAT_COMPONENT_TOKEN / WECHAT_COMPONENT_AES_KEY)');
    if (
      !/^\d{1,12}$/.test(push.timestamp) ||
      Math.abs(now().getTime() / 1000 - Number(push.timestamp)) > deps.pushMaxAgeSeconds
    )
      throw new PushRejected('stale or missing timestamp');
    let outer: { xml?: { Encrypt?: string } };
    try {
      outer = xml.parse(push.rawBody) as typeof outer;
    } catch {
      throw new PushRejected('body is not XML');
    }
    const encrypted = outer.xml?.Encrypt;
    if (typeof encrypted !== 'string' || !deps.crypto.verify(push.timestamp, push.nonce, encrypted, push.msgSignature))
      throw new PushRejected('bad msg_signature');
    try {
      return (xml.parse(deps.crypto.decrypt(encrypted)) as { xml: Record<string, string> }).xml;
    } catch {
      throw new PushRejected('does not decrypt');
    }
  }

  return {
    open,

    async status(ctx: TenantContext): Promise<WechatAuthorization> {
      const a = await deps.authorizations.get(ctx);
      return {
        authorized: a !== null,
        appid: a?.authorizerAppid ?? null,
        funcInfo: a?.funcInfo ?? [],
        authorizedAt: a?.authorizedAt ? a.authorizedAt.toISOString() : null,
        available: deps.componentTokens.componentAppid !== null,
      };
    },

    /** The link to WeChat's authorization page for this shop (mini-programs only: auth_type 2). */
    async link(ctx: TenantContext, device: 'pc' | 'mobile'): Promise<{ url: string; expiresAt: string }> {
      const appid = componentAppid();
      const tenant = await deps.tenants.mustGet(ctx.tenantId);
      if (tenant.status === 'suspended')
        throw new ForbiddenError(
          { reason: 'SUSPENDED_SHOP_CANNOT_AUTHORIZE', message: 'A suspended shop cannot authorize its mini-program' },
          'TENANT_NOT_ACTIVE',
        );
      const pre = await deps.wechat.createPreAuthCode(appid, await deps.componentTokens.token());
      const s = state(ctx.tenantId);
      const redirect = `${deps.publicUrl}/webhooks/wechat/authorized?state=${encodeURIComponent(s.value)}`;
      const query = new URLSearchParams({
        component_appid: appid,
        pre_auth_code: pre.code,
        redirect_uri: redirect,
        auth_type: '2',
      });
      const url =
        device === 'pc'
          ? `${PC_PAGE}?${query.toString()}`
          : `${MOBILE_PAGE}?action=bindcomponent&no_scan=1&${query.toString()}#wechat_redirect`;
      const expiresAt = new Date(Math.min(s.expiresAt.getTime(), now().getTime() + pre.expiresIn * 1000));
      return { url, expiresAt: expiresAt.toISOString() };
    },

    /**
     * WeChat sent the merchant's browser back: exchanges the auth code and records the authorization.
     * A mini-program already bound to another shop is refused.
     */
    async complete(
      ctx: RequestContext,
      stateValue: string,
      authCode: string,
    ): Promise<{ tenantId: number; appid: string }> {
      const tenantId = tenantOfState(stateValue);
      if (tenantId === null)
        throw new ForbiddenError({
          reason: 'MINIAPP_AUTHORIZATION_LINK_INVALID',
          message: 'This authorization link is not valid or has expired; start again from the console',
        });
      const auth = await deps.wechat.queryAuth(componentAppid(), await deps.componentTokens.token(), authCode);
      const owner = await deps.tenants.findByMpAppid(auth.appid);
      if (owner && owner.id !== tenantId)
        throw new ConflictError({
          reason: 'MINIAPP_BOUND_ELSEWHERE',
          message: 'This mini-program is already bound to another shop',
        });
      const tctx: TenantContext = { ...ctx, tenantId };
      await deps.authorizations.save(tctx, {
        authorizerAppid: auth.appid,
        refreshToken: auth.refreshToken,
        funcInfo: auth.funcInfo,
      });
      if (!owner)
        await deps.tenants.updateInternal(
          tctx,
          tenantId,
          { mpAppid: auth.appid },
          { action: 'tenant.mini_program.bound' },
        );
      await deps.audit.record(tctx, {
        action: 'wechat.authorized',
        targetType: 'tenant',
        targetId: tenantId,
        tenantId,
        data: { appid: auth.appid, funcInfo: auth.funcInfo },
      });
      return { tenantId, appid: auth.appid };
    },

    /**
     * A push to the authorization-event URL: verified (signature over the ciphertext, a fresh
     * timestamp), decrypted and applied. Anything that fails verification is refused and changes nothing.
     */
    async handlePush(ctx: RequestContext, push: ComponentPush): Promise<string> {
      const inner = open(push);
      switch (inner.InfoType) {
        case 'component_verify_ticket':
          if (!inner.ComponentVerifyTicket) throw new PushRejected('no ticket');
          await deps.componentTokens.saveTicket(inner.ComponentVerifyTicket);
          return 'ticket';
        case 'unauthorized': {
          const tenant = inner.AuthorizerAppid ? await deps.tenants.findByMpAppid(inner.AuthorizerAppid) : null;
          if (!tenant) return 'unknown-authorizer';
          const tctx: TenantContext = { ...ctx, tenantId: tenant.id };
          await deps.authorizations.remove(tctx);
          await deps.audit.record(tctx, {
            action: 'wechat.unauthorized',
            targetType: 'tenant',
            targetId: tenant.id,
            tenantId: tenant.id,
            data: { appid: inner.AuthorizerAppid },
          });
          return 'unauthorized';
        }
        case 'authorized':
        case 'updateauthorized': {
          // The browser redirect records new authorizations; a change of permissions for a known shop is refreshed here.
          const tenant = inner.AuthorizerAppid ? await deps.tenants.findByMpAppid(inner.AuthorizerAppid) : null;
          if (!tenant || !inner.AuthorizationCode) return 'ignored';
          const auth = await deps.wechat.queryAuth(
            componentAppid(),
            await deps.componentTokens.token(),
            inner.AuthorizationCode,
          );
          await deps.authorizations.save(
            { ...ctx, tenantId: tenant.id },
            { authorizerAppid: auth.appid, refreshToken: auth.refreshToken, funcInfo: auth.funcInfo },
          );
          return 'updated';
        }
        default:
          return 'ignored';
      }
    },
  };
}

export type WechatAuthorizationService = ReturnType<typeof wechatAuthorizationService>;
