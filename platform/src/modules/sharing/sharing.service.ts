import type { Share, ShareArrival, ShareChannel, SharePage, SharePoster } from '@shopfleet/contracts';
import { SHARE_LIMITS } from '@shopfleet/contracts';
import { shopperIdOf, type TenantContext } from '../../kernel/context';
import { AppError, BusyError, NotFoundError, TooManyRequestsError, UpstreamError } from '../../kernel/errors';
import type { Limiter } from '../../kernel/auth/rate-limit';
import type { Redis } from '../../kernel/redis';
import type { Storage } from '../../kernel/storage/s3';
import { WechatApiError } from '../../integrations/wechat';
import { generateOnce, StillGenerating } from './generate-once';
import { drawPoster, qrPng, warmUpFonts } from './poster';
import {
  SHARE_PAGE_PATHS,
  codeImageKey,
  isShareCode,
  newShareCode,
  posterKey,
  sceneOf,
  shareLink,
  sharePath,
} from './share-codes';
import type { SharingRepository, StoredShareCode } from './sharing.repository';

/** A product as a poster shows it (what the shop shows the public), or null when it is not on sale. */
export interface SharedProduct {
  id: number;
  title: string;
  /** The lowest price a shopper pays now (a running 限时价 included), in fen. */
  priceFen: number;
  imageId: number | null;
  /** Its picture in the medium size (JPEG). */
  imageUrl: string | null;
}

/** What sharing asks of the rest of the platform (built in platform.ts). */
export interface SharingPorts {
  product(ctx: TenantContext, productId: number): Promise<SharedProduct | null>;
  shop(ctx: TenantContext): Promise<{ name: string; slug: string }>;
  /** Shoppers as other shoppers see them. */
  profiles(
    ctx: TenantContext,
    ids: number[],
  ): Promise<Map<number, { nickname: string | null; avatarUrl: string | null }>>;
  /** A wxacode of the shop's mini-program (its authorizer token): PNG bytes, or WeChat's refusal as WechatApiError. */
  wxacode(ctx: TenantContext, input: { scene: string; page: string }): Promise<Buffer>;
  /** The bytes at a URL, read as they stream and given up past `maxBytes`, or null. */
  read(url: string, maxBytes: number): Promise<Buffer | null>;
}

const LONG_CACHE = 'public, max-age=31536000, immutable';
const PICTURE_MAX_BYTES = 8 * 1024 * 1024;
const AVATAR_MAX_BYTES = 1024 * 1024;
/** Where a sharer's avatar may be read from: our own store, and WeChat's avatar hosts. */
const AVATAR_HOSTS = new Set(['thirdwx.qlogo.cn', 'wx.qlogo.cn']);
/** How long no wxacode is asked of WeChat for a shop after it answered 45009 (its per-minute limit). */
const WXACODE_BACKOFF_SECONDS = 60;

/**
 * Sharing (分享): a shopper's share of a product is one short code (the same every time), carried by a chat share's
 * path, an h5 link and a mini-program code's scene. Its mini-program code (or, for h5, a QR code of its link) is made
 * once and kept in object storage; its poster is drawn once for everything it shows and kept too. Anything that makes
 * an image is rate-limited per shopper and per shop, and a shop WeChat has told to slow down (45009) waits a minute.
 */
export function sharingService(deps: {
  repo: SharingRepository;
  ports: SharingPorts;
  storage: Storage;
  redis: Redis;
  redisPrefix: string;
  limits: { shopper: Limiter; shop: Limiter };
  publicUrl: string;
  wxacodeEnvVersion: 'release' | 'trial' | 'develop';
}) {
  const { repo, ports } = deps;
  const ownObjects = deps.storage.publicUrl('');
  void warmUpFonts().catch(() => undefined);

  /** The share of a target by a sharer (null: the shop's own): found, or made with a fresh random code. */
  async function shareOf(
    ctx: TenantContext,
    page: SharePage,
    targetId: number,
    sharerId: number | null,
  ): Promise<StoredShareCode> {
    const found = await repo.findByTarget(ctx, page, targetId, sharerId);
    if (found) return found;
    for (let attempt = 0; attempt < 5; attempt++) {
      const outcome = await repo.insert(ctx, { code: newShareCode(), page, targetId, sharerId });
      // A collision with another share's code draws again; a concurrent create of this same share is read back.
      if (outcome === 'code') continue;
      const made = await repo.findByTarget(ctx, page, targetId, sharerId);
      if (made) return made;
    }
    throw new Error(`no free share code after 5 draws (tenant ${ctx.tenantId})`);
  }

  function view(share: StoredShareCode, slug: string): Share {
    return {
      code: share.code,
      page: share.page,
      targetId: share.targetId,
      scene: sceneOf(share.code),
      path: sharePath(share.page, share.targetId, share.code),
      link: shareLink(deps.publicUrl, slug, share.page, share.targetId, share.code),
    };
  }

  async function productOnSale(ctx: TenantContext, productId: number): Promise<SharedProduct> {
    const product = await ports.product(ctx, productId);
    if (!product) throw new NotFoundError('PRODUCT_NOT_FOUND');
    return product;
  }

  /** One point from the shopper's and the shop's allowance of new images; 429 SHARE_TOO_FAST when either is spent. */
  async function spendAllowance(ctx: TenantContext, shopperId: number): Promise<void> {
    try {
      await deps.limits.shopper.consume(`${ctx.tenantId}:${shopperId}`);
      await deps.limits.shop.consume(String(ctx.tenantId));
    } catch (err) {
      if (err instanceof TooManyRequestsError)
        throw new TooManyRequestsError(
          { reason: 'SHARE_TOO_FAST', message: 'Too many new share images; try again shortly' },
          err.retryAfterSeconds,
        );
      throw err;
    }
  }

  const backoffKey = (tenantId: number) => `${deps.redisPrefix}:share:wxacode-backoff:${tenantId}`;
  const lockKey = (tenantId: number, key: string) => `${deps.redisPrefix}:share:make:${tenantId}:${key}`;

  /** The wxacode of a scene from WeChat, its refusals in the shopper's terms. */
  async function wxacode(ctx: TenantContext, scene: string, page: string): Promise<Buffer> {
    const waiting = await deps.redis.pttl(backoffKey(ctx.tenantId));
    if (waiting > 0) throw codeBusy(Math.ceil(waiting / 1000));
    try {
      return await ports.wxacode(ctx, { scene, page });
    } catch (err) {
      if (err instanceof WechatApiError) {
        if (err.errcode === 45009) {
          await deps.redis.set(backoffKey(ctx.tenantId), '1', 'EX', WXACODE_BACKOFF_SECONDS);
          ctx.log.warn({ errcode: err.errcode }, 'WeChat refused a wxacode: per-minute limit (45009)');
          throw codeBusy(WXACODE_BACKOFF_SECONDS);
        }
        if (err.retryable) throw codeBusy(5);
        throw new UpstreamError(
          { reason: 'WECHAT_REFUSED', params: { errcode: err.errcode, errmsg: err.errmsg }, message: err.message },
          { errcode: err.errcode },
        );
      }
      if (err instanceof AppError && err.reason === 'MINIAPP_NOT_AUTHORIZED')
        throw new AppError(
          'CONFLICT',
          {
            reason: 'SHARE_MINIAPP_UNAVAILABLE',
            message: "The shop's mini-program is not connected to the platform: share the h5 link",
          },
          409,
        );
      throw err;
    }
  }

  /** The stored code image of a share on a channel, made (once) when missing. */
  async function codeImage(
    ctx: TenantContext,
    share: StoredShareCode,
    channel: ShareChannel,
    link: string,
    key: string,
    spend: () => Promise<void>,
  ): Promise<{ objectKey: string; bytes: Buffer | null }> {
    const find = async (): Promise<{ objectKey: string; bytes: Buffer | null } | null> => {
      const image = await repo.image(ctx, key);
      return image ? { objectKey: image.objectKey, bytes: null } : null;
    };
    return generateOnce(deps.redis, lockKey(ctx.tenantId, key), find, async () => {
      await spend();
      const bytes =
        channel === 'mp-weixin'
          ? await wxacode(ctx, sceneOf(share.code), SHARE_PAGE_PATHS[share.page])
          : await qrPng(link);
      const objectKey = `tenants/${ctx.tenantId}/shares/codes/${key}.png`;
      await deps.storage.put({
        visibility: 'public',
        key: objectKey,
        body: bytes,
        contentType: 'image/png',
        cacheControl: LONG_CACHE,
      });
      await repo.saveImage(ctx, { shareCodeId: share.id, kind: 'code', channel, cacheKey: key, objectKey });
      return { objectKey, bytes };
    });
  }

  /** A sharer's avatar, when it is one of ours or WeChat's (never any address a profile may hold). */
  async function avatarBytes(url: string | null): Promise<Buffer | null> {
    if (!url) return null;
    let allowed = url.startsWith(ownObjects);
    try {
      const u = new URL(url);
      allowed ||= u.protocol === 'https:' && AVATAR_HOSTS.has(u.hostname);
    } catch {
      return null;
    }
    return allowed ? ports.read(url, AVATAR_MAX_BYTES) : null;
  }

  const stillGenerating = (err: unknown): never => {
    if (err instanceof StillGenerating) throw codeBusy(5);
    throw err;
  };

  /**
   * What a share code stands for in this shop, with the sharer's id (null for the shop's own code), or null for a code
   * the shop does not have: what a landing page shows, and what attribution records of an arrival.
   */
  async function resolve(
    ctx: TenantContext,
    code: string,
  ): Promise<{ code: string; page: SharePage; targetId: number; sharerId: number | null } | null> {
    if (!isShareCode(code)) return null;
    const share = await repo.findByCode(ctx, code);
    return share ? { code: share.code, page: share.page, targetId: share.targetId, sharerId: share.sharerId } : null;
  }

  return {
    /** The signed-in shopper's share of a product on sale: one code per shopper and product, however often asked. */
    async share(ctx: TenantContext, input: { productId: number }): Promise<Share> {
      const shopperId = shopperIdOf(ctx);
      await productOnSale(ctx, input.productId);
      const [share, shop] = await Promise.all([shareOf(ctx, 'product', input.productId, shopperId), ports.shop(ctx)]);
      return view(share, shop.slug);
    },

    /**
     * The shopper's poster of a product for a channel: the share, its code image (a wxacode made once per code, or a QR
     * code of the h5 link) and the poster, drawn once for what it shows (price, title, picture, shop, sharer, code) and
     * then served from storage. Making either spends the shopper's and the shop's allowance (429 SHARE_TOO_FAST).
     */
    async poster(ctx: TenantContext, input: { productId: number; channel: ShareChannel }): Promise<SharePoster> {
      const shopperId = shopperIdOf(ctx);
      const product = await productOnSale(ctx, input.productId);
      const [share, shop, profiles] = await Promise.all([
        shareOf(ctx, 'product', product.id, shopperId),
        ports.shop(ctx),
        ports.profiles(ctx, [shopperId]),
      ]);
      const shown = view(share, shop.slug);
      const sharer = profiles.get(shopperId) ?? { nickname: null, avatarUrl: null };
      const codeKey = codeImageKey({
        channel: input.channel,
        code: share.code,
        content:
          input.channel === 'mp-weixin' ? `${SHARE_PAGE_PATHS[share.page]}|${deps.wxacodeEnvVersion}` : shown.link,
      });
      const key = posterKey({
        channel: input.channel,
        code: share.code,
        codeImageKey: codeKey,
        productId: product.id,
        imageId: product.imageId,
        imageUrl: product.imageUrl,
        title: product.title,
        priceFen: product.priceFen,
        shopName: shop.name,
        sharerNickname: sharer.nickname,
        sharerAvatarUrl: sharer.avatarUrl,
      });
      const answer = (codeObject: string, posterObject: string): SharePoster => ({
        share: shown,
        channel: input.channel,
        codeImageUrl: deps.storage.publicUrl(codeObject),
        posterUrl: deps.storage.publicUrl(posterObject),
        width: SHARE_LIMITS.posterWidth,
        height: SHARE_LIMITS.posterHeight,
      });
      const [codeFound, posterFound] = await Promise.all([repo.image(ctx, codeKey), repo.image(ctx, key)]);
      if (codeFound && posterFound) return answer(codeFound.objectKey, posterFound.objectKey);

      // Only the request that makes something spends the allowance (once): one waiting on another's work does not.
      let spent = false;
      const spend = async () => {
        if (!spent) await spendAllowance(ctx, shopperId);
        spent = true;
      };
      const code = codeFound
        ? { objectKey: codeFound.objectKey, bytes: null }
        : await codeImage(ctx, share, input.channel, shown.link, codeKey, spend).catch(stillGenerating);
      const posterObject = await generateOnce(
        deps.redis,
        lockKey(ctx.tenantId, key),
        async () => (await repo.image(ctx, key))?.objectKey ?? null,
        async () => {
          await spend();
          const [picture, avatar, codeBytes] = await Promise.all([
            product.imageUrl ? ports.read(product.imageUrl, PICTURE_MAX_BYTES) : null,
            avatarBytes(sharer.avatarUrl),
            code.bytes ?? deps.storage.getBuffer('public', code.objectKey),
          ]);
          const jpeg = await drawPoster({
            channel: input.channel,
            picture,
            title: product.title,
            priceFen: product.priceFen,
            shopName: shop.name,
            sharer: { nickname: sharer.nickname, avatar },
            codeImage: codeBytes,
          });
          const objectKey = `tenants/${ctx.tenantId}/shares/posters/${key}.jpg`;
          await deps.storage.put({
            visibility: 'public',
            key: objectKey,
            body: jpeg,
            contentType: 'image/jpeg',
            cacheControl: LONG_CACHE,
          });
          await repo.saveImage(ctx, {
            shareCodeId: share.id,
            kind: 'poster',
            channel: input.channel,
            cacheKey: key,
            objectKey,
          });
          return objectKey;
        },
      ).catch(stillGenerating);
      return answer(code.objectKey, posterObject);
    },

    resolve,

    /**
     * One person's two shoppers became one (a phone bound; in the link-phone workflow's transaction): the merged
     * shopper's codes keep resolving, to the survivor, and become the survivor's shares where it had none of the target.
     */
    absorbShopper: (tctx: TenantContext, fromId: number, toId: number): Promise<void> =>
      repo.absorb(tctx, fromId, toId),

    /** The public view of a code for a landing page: the page, its target, and the sharer as other shoppers see them. */
    async arrival(ctx: TenantContext, code: string): Promise<ShareArrival> {
      const found = await resolve(ctx, code);
      if (!found) throw new NotFoundError('SHARE_CODE_NOT_FOUND');
      const sharer = found.sharerId === null ? null : (await ports.profiles(ctx, [found.sharerId])).get(found.sharerId);
      return {
        code: found.code,
        page: found.page,
        targetId: found.targetId,
        sharer: sharer ? { nickname: sharer.nickname, avatarUrl: sharer.avatarUrl } : null,
      };
    },
  };
}

function codeBusy(retryAfterSeconds: number): BusyError {
  return new BusyError(
    { reason: 'SHARE_CODE_BUSY', message: 'WeChat makes no more mini-program codes for the moment; try again shortly' },
    retryAfterSeconds,
  );
}

export type SharingService = ReturnType<typeof sharingService>;
