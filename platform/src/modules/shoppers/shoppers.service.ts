import type { Page, ShopperMe, ShopperSummary, TokenPair } from '@shopfleet/contracts';
import { shopperIdOf, type TenantContext } from '../../kernel/context';
import { AppError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../../kernel/errors';
import type { OtpService } from '../../kernel/auth/otp';
import type { SecretBox } from '../../kernel/secret-box';
import { iso } from '../../kernel/db/rows';
import { maskPhone } from '../../kernel/mask';
import { WechatApiError, type ComponentTokenProvider, type WechatClient } from '../../integrations/wechat';
import type { SmsSender } from '../../integrations/sms';
import type { SessionsService } from '../identity';
import type { TenantsService } from '../tenants';
import type { Shopper, ShoppersRepository } from './shoppers.repository';

/** What the member lists show of a shopper. */
export interface MemberIdentity {
  nickname: string | null;
  avatarUrl: string | null;
  phoneMasked: string | null;
  hasWechat: boolean;
  lastVisitAt: Date | null;
  joinedAt: Date;
}

export interface ShoppersDeps {
  repo: ShoppersRepository;
  tenants: TenantsService;
  sessions: SessionsService;
  wechat: WechatClient;
  componentTokens: ComponentTokenProvider;
  secretBox: SecretBox;
  sms: SmsSender;
  otp: OtpService;
  /**
   * After a shopper's very first sign-in to the shop (marketing's 新人券). Its failure is logged and never fails the
   * sign-in.
   */
  welcome?: (ctx: TenantContext, shopperId: number) => Promise<void>;
}

/** WeChat answers these for a code that is wrong, used or expired: the shopper must call wx.login() again. */
const BAD_CODE_ERRORS = new Set([40029, 40163, 40226, 40125]);

export function shoppersService(deps: ShoppersDeps) {
  const otpScope = (tenantId: number) => `shop:${tenantId}`;

  async function openShop(ctx: TenantContext) {
    const tenant = await deps.tenants.findById(ctx.tenantId);
    if (!tenant) throw new NotFoundError('SHOP_NOT_FOUND');
    if (tenant.status === 'pending_review')
      throw new ForbiddenError(
        { reason: 'SHOP_NOT_OPEN_YET', message: 'This shop is not open yet' },
        'TENANT_NOT_ACTIVE',
      );
    return tenant;
  }

  async function startSession(ctx: TenantContext, found: { shopper: Shopper; created: boolean }): Promise<TokenPair> {
    const { shopper } = found;
    if (shopper.status !== 'active')
      throw new ForbiddenError({ reason: 'SHOPPER_BLOCKED', message: 'This account is blocked by the shop' });
    const tokens = await deps.sessions.start(ctx, {
      audience: 'shopper',
      subjectId: shopper.id,
      tenantId: ctx.tenantId,
    });
    if (found.created && deps.welcome)
      await deps
        .welcome(ctx, shopper.id)
        .catch((err: unknown) => ctx.log.warn({ err, shopperId: shopper.id }, 'could not welcome a new shopper'));
    return tokens;
  }

  const toMe = (s: Shopper): ShopperMe => ({
    id: s.id,
    nickname: s.nickname,
    avatarUrl: s.avatarUrl,
    phoneMasked: maskPhone(s.phone),
    hasWechat: s.openid !== null,
  });

  const toSummary = (s: Shopper): ShopperSummary => ({
    id: s.id,
    nickname: s.nickname,
    phoneMasked: maskPhone(s.phone),
    hasWechat: s.openid !== null,
    createdAt: iso(s.createdAt),
  });

  return {
    /**
     * Signs in with a wx.login() code. The openid is per mini-program, so the shopper is looked up
     * in this shop only; a unionid, when WeChat gives one, is kept for later linking.
     */
    async wechatLogin(ctx: TenantContext, code: string): Promise<TokenPair> {
      const tenant = await openShop(ctx);
      if (!tenant.mpAppid)
        throw new AppError(
          'WECHAT_NOT_CONFIGURED',
          { reason: 'WECHAT_NO_MINIAPP', message: 'This shop has no WeChat mini-program yet' },
          409,
        );
      let session;
      try {
        if (tenant.mpSecretEnc) {
          const secret = deps.secretBox.decrypt(tenant.mpSecretEnc, `tenant:${tenant.id}:mp_secret`);
          session = await deps.wechat.code2session(tenant.mpAppid, secret, code);
        } else {
          const componentAppid = deps.componentTokens.componentAppid;
          if (!componentAppid)
            throw new AppError(
              'WECHAT_NOT_CONFIGURED',
              {
                reason: 'WECHAT_NOT_CONFIGURED_PLATFORM',
                message: 'The WeChat third-party platform is not configured',
              },
              503,
            );
          session = await deps.wechat.componentCode2session(
            tenant.mpAppid,
            code,
            componentAppid,
            await deps.componentTokens.token(),
          );
        }
      } catch (err) {
        if (err instanceof WechatApiError && BAD_CODE_ERRORS.has(err.errcode)) {
          throw new AppError(
            'WECHAT_LOGIN_FAILED',
            {
              reason: 'WECHAT_LOGIN_CODE_INVALID',
              message: 'The WeChat login code is invalid or used; call wx.login() again',
            },
            401,
            { errcode: err.errcode },
          );
        }
        if (err instanceof WechatApiError) {
          ctx.log.warn({ errcode: err.errcode, errmsg: err.errmsg }, 'wechat code2session failed');
          throw new AppError(
            'UPSTREAM_UNAVAILABLE',
            { reason: 'WECHAT_UNREACHABLE', message: 'WeChat refused the login; try again later' },
            502,
            { errcode: err.errcode },
          );
        }
        throw err;
      }
      const found = await deps.repo.findOrCreate(
        ctx,
        { openid: session.openid },
        session.unionid ? { unionid: session.unionid } : {},
      );
      return startSession(ctx, found);
    },

    /** Sends a six-digit sign-in code (valid five minutes), rate-limited per phone, per day and per address. */
    async sendSmsCode(ctx: TenantContext, phone: string): Promise<{ sent: true; retryAfterSeconds: number }> {
      const tenant = await openShop(ctx);
      const { code, ttlMinutes, retryAfterSeconds } = await deps.otp.issue(otpScope(ctx.tenantId), phone, ctx.ip);
      await deps.sms.sendOtp({ phone, code, shopName: tenant.name, ttlMinutes });
      return { sent: true, retryAfterSeconds };
    },

    /** Signs in with phone and code; a code works once, and five wrong tries burn it. */
    async phoneLogin(ctx: TenantContext, phone: string, code: string): Promise<TokenPair> {
      await openShop(ctx);
      await deps.otp.verify(otpScope(ctx.tenantId), phone, code);
      return startSession(ctx, await deps.repo.findOrCreate(ctx, { phone }));
    },

    refresh(ctx: TenantContext, refreshToken: string): Promise<TokenPair> {
      return deps.sessions.refresh(
        ctx,
        'shopper',
        refreshToken,
        async ({ subjectId }) => {
          const shopper = await deps.repo.byId(ctx, subjectId);
          if (!shopper || shopper.status !== 'active')
            throw new UnauthenticatedError('TOKEN_INVALID', 'This account is blocked');
          return {};
        },
        ctx.tenantId,
      );
    },

    logout(ctx: TenantContext, refreshToken: string): Promise<void> {
      return deps.sessions.revoke(ctx, 'shopper', refreshToken, ctx.tenantId);
    },

    async me(ctx: TenantContext): Promise<ShopperMe> {
      const shopper = await deps.repo.byId(ctx, shopperIdOf(ctx));
      if (!shopper) throw new UnauthenticatedError('TOKEN_INVALID', 'Unknown shopper');
      return toMe(shopper);
    },

    /** Shoppers by id as other shoppers see them (a group's members): nickname and avatar, never the phone. */
    async profiles(
      ctx: TenantContext,
      ids: number[],
    ): Promise<Map<number, { nickname: string | null; avatarUrl: string | null }>> {
      if (ids.length === 0) return new Map();
      return new Map(
        (await deps.repo.byIds(ctx, ids)).map((s) => [s.id, { nickname: s.nickname, avatarUrl: s.avatarUrl }]),
      );
    },

    /** Shoppers by id as an order shows them to the merchant: nickname and phone. */
    async contacts(
      ctx: TenantContext,
      ids: number[],
    ): Promise<Map<number, { nickname: string | null; phone: string | null }>> {
      return new Map((await deps.repo.byIds(ctx, ids)).map((s) => [s.id, { nickname: s.nickname, phone: s.phone }]));
    },

    /** The shopper's WeChat openid in this shop's mini-program, or null when they never signed in with WeChat. */
    async openid(ctx: TenantContext, shopperId: number): Promise<string | null> {
      return (await deps.repo.byId(ctx, shopperId))?.openid ?? null;
    },

    /** The name a shopper shows under (a review's author), or null when they have none. */
    async nickname(ctx: TenantContext, shopperId: number): Promise<string | null> {
      return (await deps.repo.byId(ctx, shopperId))?.nickname ?? null;
    },

    /** Shoppers by id as the member lists show them. */
    async identities(ctx: TenantContext, ids: number[]): Promise<Map<number, MemberIdentity>> {
      return new Map(
        (await deps.repo.byIds(ctx, ids)).map((s) => [
          s.id,
          {
            nickname: s.nickname,
            avatarUrl: s.avatarUrl,
            phoneMasked: maskPhone(s.phone),
            hasWechat: s.openid !== null,
            lastVisitAt: s.lastLoginAt,
            joinedAt: s.createdAt,
          },
        ]),
      );
    },

    search: (ctx: TenantContext, q: string, limit: number) => deps.repo.search(ctx, q, limit),
    recentlySeen: (ctx: TenantContext, page: number, pageSize: number) => deps.repo.recentlySeen(ctx, page, pageSize),

    async list(ctx: TenantContext, page: number, pageSize: number): Promise<Page<ShopperSummary>> {
      const { rows, total } = await deps.repo.list(ctx, page, pageSize);
      return { items: rows.map(toSummary), page, pageSize, total };
    },

    async get(ctx: TenantContext, id: number): Promise<ShopperSummary> {
      const shopper = await deps.repo.byId(ctx, id);
      if (!shopper) throw new NotFoundError('SHOPPER_NOT_FOUND');
      return toSummary(shopper);
    },
  };
}

export type ShoppersService = ReturnType<typeof shoppersService>;
