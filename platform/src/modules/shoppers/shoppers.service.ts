import type {
  Page,
  ShopperAvatar,
  ShopperMe,
  ShopperSummary,
  TokenPair,
  UpdateMyProfileBody,
} from '@shopfleet/contracts';
import { PHONE_PATTERN } from '@shopfleet/contracts';
import { shopperIdOf, type TenantContext } from '../../kernel/context';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  UpstreamError,
  ValidationError,
} from '../../kernel/errors';
import { sharedToken } from '../../kernel/cached-token';
import type { Redis } from '../../kernel/redis';
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

/** The images a shopper uploads as avatars (catalog's images, proven from their bytes), as the shoppers module asks for them. */
export interface ShopperAvatars {
  /** Stores an uploaded image, checked from its bytes, as the shopper's own; answers its id and the URL to show. */
  upload(ctx: TenantContext, bytes: Buffer, shopperId: number): Promise<ShopperAvatar>;
  /** The URL to show of an image this shopper uploaded, or null when it is not theirs (or not the shop's). */
  ofShopper(ctx: TenantContext, imageId: number, shopperId: number): Promise<string | null>;
}

/** The access token of a shop's mini-program authorized to our third-party platform (the miniapp module). */
export interface AuthorizerTokens {
  accessToken(ctx: TenantContext): Promise<{ appid: string; token: string }>;
  /** Forgets a token WeChat refused, saying whether it did (then one more try is worth it). */
  invalidate(appid: string, err: unknown): Promise<boolean>;
}

/** What binding a phone finds, with both shoppers' rows locked: nothing to do, a free phone, or a shopper to merge. */
export type PhoneClaim =
  { kind: 'same'; me: Shopper } | { kind: 'free'; me: Shopper } | { kind: 'merge'; me: Shopper; other: Shopper };

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
  avatars: ShopperAvatars;
  /** Caches the access tokens of mini-programs that keep their own secret (`<prefix>:wechat:mp:<appid>:token`). */
  redis: Redis;
  redisPrefix: string;
  /** The authorizer token of a shop's mini-program that is authorized to our third-party platform. */
  authorizer: AuthorizerTokens;
  now?: () => Date;
}

/** The lock on the phone moved under us (another bind or sign-in took it meanwhile): the caller runs its transaction again. */
export class PhoneClaimMoved extends Error {
  constructor() {
    super('the phone changed hands while it was being bound');
  }
}

/** WeChat answers these for a code that is wrong, used or expired: the shopper must call wx.login() again. */
const BAD_CODE_ERRORS = new Set([40029, 40163, 40226, 40125]);

export function shoppersService(deps: ShoppersDeps) {
  const otpScope = (tenantId: number) => `shop:${tenantId}`;
  const now = deps.now ?? (() => new Date());
  const appTokenKey = (appid: string) => `${deps.redisPrefix}:wechat:mp:${appid}:token`;

  /**
   * Runs `fn` with the access token of the shop's mini-program: its own (stable_token with its secret, cached in Redis)
   * or the authorizer token of the third-party platform; a token WeChat refused is renewed once.
   */
  async function asMiniProgram<T>(ctx: TenantContext, fn: (token: string) => Promise<T>): Promise<T> {
    const tenant = await openShop(ctx);
    if (!tenant.mpAppid)
      throw new AppError(
        'WECHAT_NOT_CONFIGURED',
        { reason: 'WECHAT_NO_MINIAPP', message: 'This shop has no WeChat mini-program yet' },
        409,
      );
    const appid = tenant.mpAppid;
    const sealed = tenant.mpSecretEnc;
    for (let attempt = 0; ; attempt++) {
      if (sealed) {
        const token = await sharedToken(deps.redis, appTokenKey(appid), async () => {
          const secret = deps.secretBox.decrypt(sealed, `tenant:${tenant.id}:mp_secret`);
          const fresh = await deps.wechat.stableAccessToken(appid, secret);
          return { value: fresh.token, ttlSeconds: fresh.expiresIn - 300 };
        });
        try {
          return await fn(token);
        } catch (err) {
          if (attempt === 0 && err instanceof WechatApiError && err.tokenRefused) {
            await deps.redis.del(appTokenKey(appid));
            continue;
          }
          throw err;
        }
      }
      const auth = await deps.authorizer.accessToken(ctx);
      try {
        return await fn(auth.token);
      } catch (err) {
        if (attempt === 0 && (await deps.authorizer.invalidate(auth.appid, err))) continue;
        throw err;
      }
    }
  }

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

  async function meOf(ctx: TenantContext): Promise<ShopperMe> {
    const shopper = await deps.repo.byId(ctx, shopperIdOf(ctx));
    if (!shopper || shopper.status === 'merged') throw new UnauthenticatedError('TOKEN_INVALID', 'Unknown shopper');
    return toMe(shopper);
  }

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

    me: meOf,

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

    // ---- the shopper's profile and phone ------------------------------------------------------------------------

    /** Changes the shopper's nickname and/or avatar; an avatar must be an image this shopper uploaded in this shop. */
    async updateProfile(ctx: TenantContext, body: UpdateMyProfileBody): Promise<ShopperMe> {
      const shopperId = shopperIdOf(ctx);
      let avatarUrl: string | undefined;
      if (body.avatarImageId !== undefined) {
        const url = await deps.avatars.ofShopper(ctx, body.avatarImageId, shopperId);
        if (!url) throw new NotFoundError('FILE_NOT_FOUND');
        avatarUrl = url;
      }
      await deps.repo.updateProfile(ctx, shopperId, { nickname: body.nickname, avatarUrl });
      return meOf(ctx);
    },

    /** Stores an uploaded avatar (checked from its bytes: JPEG, PNG or WebP) and makes it the shopper's. */
    async uploadAvatar(ctx: TenantContext, bytes: Buffer): Promise<ShopperAvatar> {
      const shopperId = shopperIdOf(ctx);
      const avatar = await deps.avatars.upload(ctx, bytes, shopperId);
      await deps.repo.updateProfile(ctx, shopperId, { avatarUrl: avatar.url });
      return avatar;
    },

    /**
     * The mainland phone behind a code of the mini-program's getPhoneNumber button, asked of WeChat with the shop's
     * mini-program token. Called before any transaction: it waits on WeChat.
     */
    async wechatPhone(ctx: TenantContext, code: string): Promise<string> {
      let info;
      try {
        info = await asMiniProgram(ctx, (token) => deps.wechat.userPhoneNumber(token, code));
      } catch (err) {
        if (err instanceof WechatApiError && BAD_CODE_ERRORS.has(err.errcode))
          throw new ValidationError(
            { reason: 'WECHAT_PHONE_CODE_INVALID', message: "The phone-number button's code is invalid or used" },
            { errcode: err.errcode },
          );
        if (err instanceof WechatApiError) {
          ctx.log.warn({ errcode: err.errcode, errmsg: err.errmsg }, 'wechat getuserphonenumber failed');
          throw new UpstreamError(
            { reason: 'WECHAT_UNREACHABLE', message: 'WeChat refused the phone number; try again later' },
            { errcode: err.errcode },
          );
        }
        throw err;
      }
      if (info.countryCode !== '86' || !PHONE_PATTERN.test(info.purePhoneNumber))
        throw new ValidationError({
          reason: 'WECHAT_PHONE_NOT_MAINLAND',
          message: 'Only mainland China mobile numbers can be bound',
        });
      return info.purePhoneNumber;
    },

    /** Checks an SMS code sent by `sendSmsCode` to this phone (the sign-in's scope: a code works once, five tries). */
    async verifyPhone(ctx: TenantContext, phone: string, code: string): Promise<void> {
      await openShop(ctx);
      await deps.otp.verify(otpScope(ctx.tenantId), phone, code);
    },

    /**
     * In the binding's transaction: locks the signed-in shopper and the phone's current holder (lower id first) and
     * says what binding the phone means. A free phone is given to the shopper at once. A holder who is blocked cannot
     * be merged (403 `SHOPPER_BLOCKED`), nor one with another WeChat openid than the shopper's own (409 `PHONE_TAKEN`:
     * two WeChat users are two people). When the holder changed between the read and the lock (a concurrent bind or
     * sign-in), throws `PhoneClaimMoved` and the caller runs its transaction again.
     */
    async claimPhone(tctx: TenantContext, phone: string): Promise<PhoneClaim> {
      const meId = shopperIdOf(tctx);
      const seen = await deps.repo.byPhone(tctx, phone);
      const locked = await deps.repo.lockInOrder(tctx, seen && seen.id !== meId ? [meId, seen.id] : [meId]);
      const me = locked.get(meId);
      if (!me || me.status !== 'active') throw new UnauthenticatedError('TOKEN_INVALID', 'This account is not active');
      const holder = await deps.repo.byPhone(tctx, phone, { lock: true });
      if ((holder?.id ?? null) !== (seen?.id ?? null)) throw new PhoneClaimMoved();
      if (!holder) {
        await deps.repo.setIdentity(tctx, meId, { phone });
        return { kind: 'free', me: { ...me, phone } };
      }
      if (holder.id === meId) return { kind: 'same', me };
      if (holder.status === 'blocked')
        throw new ForbiddenError({
          reason: 'SHOPPER_BLOCKED',
          message: 'The account of this phone is blocked by the shop',
        });
      if (me.openid && holder.openid && me.openid !== holder.openid)
        throw new ConflictError({
          reason: 'PHONE_TAKEN',
          message: 'This phone belongs to another shopper who signed in with another WeChat account',
        });
      return { kind: 'merge', me, other: holder };
    },

    /**
     * The last step of a merge, in its transaction: the other shopper becomes a tombstone (status `merged`, its
     * identities cleared) and the survivor takes the phone, and the other's openid and unionid where it has none.
     */
    async absorbShopper(tctx: TenantContext, from: Shopper, into: Shopper, phone: string): Promise<void> {
      await deps.repo.markMerged(tctx, from.id, into.id, now());
      await deps.repo.setIdentity(tctx, into.id, {
        phone,
        ...(into.openid ? {} : { openid: from.openid }),
        ...(into.unionid ? {} : { unionid: from.unionid }),
      });
      if ((!into.nickname && from.nickname) || (!into.avatarUrl && from.avatarUrl))
        await deps.repo.updateProfile(tctx, into.id, {
          nickname: into.nickname ? undefined : (from.nickname ?? undefined),
          avatarUrl: into.avatarUrl ? undefined : (from.avatarUrl ?? undefined),
        });
    },

    async list(ctx: TenantContext, page: number, pageSize: number): Promise<Page<ShopperSummary>> {
      const { rows, total } = await deps.repo.list(ctx, page, pageSize);
      return { items: rows.map(toSummary), page, pageSize, total };
    },

    /** One shopper for the merchant; a merged one (a tombstone) is not found: its orders are its survivor's. */
    async get(ctx: TenantContext, id: number): Promise<ShopperSummary> {
      const shopper = await deps.repo.byId(ctx, id);
      if (!shopper || shopper.status === 'merged') throw new NotFoundError('SHOPPER_NOT_FOUND');
      return toSummary(shopper);
    },
  };
}

export type ShoppersService = ReturnType<typeof shoppersService>;
