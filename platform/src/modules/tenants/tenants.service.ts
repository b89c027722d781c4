import { createHash, randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { LRUCache } from 'lru-cache';
import {
  SLUG_PATTERN,
  TENANT_STATUSES,
  defaultAppearance,
  type Appearance,
  type AppearanceBody,
  type Page,
  type PublicShop,
  type ShopPreviewPass,
  type ShopSettings,
  type TenantStatus,
  type TenantSummary,
  type UpdateShopBody,
} from '@shopfleet/contracts';
import type { RequestContext, TenantContext } from '../../kernel/context';
import type { Transactions } from '../../kernel/db/database';
import { AppError, ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../../kernel/errors';
import { iso, isDuplicateKey } from '../../kernel/db/rows';
import { IMAGE_INPUT, decodeImage } from '../../kernel/images';
import type { Redis } from '../../kernel/redis';
import type { Storage } from '../../kernel/storage/s3';
import type { AuditService } from '../audit';
import type { NewTenant, Tenant, TenantPatch, TenantsRepository } from './tenants.repository';

/** Slugs that would collide with our own paths or mislead shoppers. */
const RESERVED_SLUGS = new Set([
  'admin',
  'api',
  'app',
  'assets',
  'console',
  'docs',
  'help',
  'login',
  'merchant',
  'official',
  'platform',
  'shop',
  'shopfleet',
  'signup',
  'static',
  'support',
  'system',
  'wechat',
  'weixin',
  'www',
]);

export interface TenantsDeps {
  repo: TenantsRepository;
  tx: Transactions;
  redis: Redis;
  redisPrefix: string;
  storage: Storage;
  audit: AuditService;
}

const SHOP_CACHE_SECONDS = 30;
/** How long a preview pass lasts; the console renews it well before. */
export const PREVIEW_PASS_SECONDS = 30 * 60;

/** What the public gets from a shop that is not open, by its state. */
const CLOSED: Partial<Record<TenantStatus, { code: 'SHOP_NOT_OPEN' | 'SHOP_SUSPENDED'; message: string }>> = {
  pending_review: { code: 'SHOP_NOT_OPEN', message: 'This shop is not open yet: the platform has not approved it' },
  suspended: { code: 'SHOP_SUSPENDED', message: 'This shop is suspended' },
};

/** The way a shop-api request asks for a shop: with the preview pass it carries, if any, and whether it only reads. */
export interface ShopAccess {
  pass: string | null;
  read: boolean;
}

const LOGO_SIZE = 256;
const LOGO_FORMATS = new Set(['jpeg', 'png', 'webp']);
/** Formats only trusted code paths (seeding) may hand in. */
const TRUSTED_LOGO_FORMATS = new Set([...LOGO_FORMATS, 'svg']);

export function tenantsService(deps: TenantsDeps) {
  const cacheKey = (slug: string) => `${deps.redisPrefix}:shop:${slug}`;
  // Only the pass's hash is stored: a read of Redis does not give passes away.
  const passKey = (token: string) =>
    `${deps.redisPrefix}:preview-pass:${createHash('sha256').update(token).digest('hex')}`;
  // Every shop-api request resolves its shop: a second of in-process memory spares Redis that trip.
  const local = new LRUCache<string, PublicShop & { id: number }>({ max: 10_000, ttl: 1000 });
  /** Whether a shop takes orders, read at most once a second per process (the hot checkout path asks every time). */
  const active = new LRUCache<number, boolean>({ max: 10_000, ttl: 1000 });

  const toPublic = (t: Tenant): PublicShop => ({
    slug: t.slug,
    name: t.name,
    logoUrl: t.logoKey ? deps.storage.publicUrl(t.logoKey) : null,
    description: t.description,
    themeColor: t.themeColor,
    status: t.status,
    appearance: appearanceOf(t),
  });

  const toSettings = (t: Tenant): ShopSettings => ({
    id: t.id,
    slug: t.slug,
    name: t.name,
    description: t.description,
    logoUrl: t.logoKey ? deps.storage.publicUrl(t.logoKey) : null,
    themeColor: t.themeColor,
    status: t.status,
    createdAt: iso(t.createdAt),
  });

  const toSummary = (t: Tenant): TenantSummary => ({
    id: t.id,
    slug: t.slug,
    name: t.name,
    status: t.status,
    createdAt: iso(t.createdAt),
  });

  /** The shop's appearance, defaults filled in for a shop that never edited it; images as URLs. */
  const appearanceOf = (t: Tenant): Appearance => {
    const a = t.appearance ?? defaultAppearance({ name: t.name, themeColor: t.themeColor });
    return {
      ...a,
      logoUrl: t.logoKey ? deps.storage.publicUrl(t.logoKey) : null,
      share: { title: a.share.title, imageUrl: t.shareImageKey ? deps.storage.publicUrl(t.shareImageKey) : null },
    };
  };

  /** An uploaded image, its type read from the bytes, resized and stored under a content-addressed public key. */
  async function storeImage(
    ctx: TenantContext,
    file: { buffer: Buffer },
    what: string,
    resize: { width: number; height: number },
    trusted = false,
  ): Promise<string> {
    await decodeImage(
      file.buffer,
      trusted ? TRUSTED_LOGO_FORMATS : LOGO_FORMATS,
      `The ${what} must be a JPEG, PNG or WebP image`,
    );
    const png = await sharp(file.buffer, IMAGE_INPUT)
      .rotate()
      .resize(resize.width, resize.height, { fit: 'cover' })
      .png()
      .toBuffer();
    const hash = createHash('sha256').update(png).digest('hex').slice(0, 16);
    const key = `tenants/${ctx.tenantId}/${what.replace(/\s+/g, '-')}/${hash}.png`;
    await deps.storage.put({
      visibility: 'public',
      key,
      body: png,
      contentType: 'image/png',
      cacheControl: 'public, max-age=31536000, immutable',
    });
    return key;
  }

  async function mustGet(id: number): Promise<Tenant> {
    const tenant = await deps.repo.findById(id);
    if (!tenant) throw new NotFoundError('TENANT_NOT_FOUND');
    return tenant;
  }

  async function invalidate(slug: string): Promise<void> {
    local.delete(slug);
    await deps.redis.del(cacheKey(slug));
  }

  /** The shop a shop-api path names, from a short Redis cache that every change invalidates. */
  async function publicShop(slug: string): Promise<PublicShop & { id: number }> {
    const remembered = local.get(slug);
    if (remembered) return remembered;
    const cached = await deps.redis.get(cacheKey(slug));
    if (cached) {
      const shop = JSON.parse(cached) as PublicShop & { id: number };
      local.set(slug, shop);
      return shop;
    }
    const tenant = await deps.repo.findBySlug(slug);
    if (!tenant) throw new NotFoundError('SHOP_NOT_FOUND');
    const shop = { id: tenant.id, ...toPublic(tenant) };
    await deps.redis.set(cacheKey(slug), JSON.stringify(shop), 'EX', SHOP_CACHE_SECONDS);
    local.set(slug, shop);
    return shop;
  }

  return {
    publicShop,

    /**
     * The shop a shop-api request may use. An active shop is open to everyone. A shop pending review or
     * suspended is closed to the public (SHOP_NOT_OPEN, SHOP_SUSPENDED): only reads that carry a preview
     * pass of its own merchant get it (`preview: true`, so nothing public caches the answer). A pass is
     * checked only when it is needed; a pass of another shop is WRONG_SHOP.
     */
    async openShop(slug: string, access: ShopAccess): Promise<PublicShop & { id: number; preview: boolean }> {
      const shop = await publicShop(slug);
      const closed = CLOSED[shop.status];
      if (!closed) return { ...shop, preview: false };
      if (access.pass !== null && access.read) {
        const tenantId = await deps.redis.get(passKey(access.pass));
        if (tenantId === null)
          throw new UnauthenticatedError('TOKEN_INVALID', 'The preview pass is not valid (it may have expired)');
        if (Number(tenantId) !== shop.id)
          throw new ForbiddenError('This preview pass belongs to another shop', 'WRONG_SHOP');
        return { ...shop, preview: true };
      }
      throw new AppError(closed.code, closed.message, 403);
    },

    /** A pass for the caller's own shop: read-only on the shop API, for PREVIEW_PASS_SECONDS (the appearance editor's preview). */
    async previewPass(ctx: TenantContext): Promise<ShopPreviewPass> {
      const token = randomBytes(32).toString('base64url');
      await deps.redis.set(passKey(token), String(ctx.tenantId), 'EX', PREVIEW_PASS_SECONDS);
      return { token, expiresAt: new Date(Date.now() + PREVIEW_PASS_SECONDS * 1000).toISOString() };
    },

    /** The caller's own shop settings. */
    async settings(ctx: TenantContext): Promise<ShopSettings> {
      return toSettings(await mustGet(ctx.tenantId));
    },

    /** Changes the caller's shop settings; audited, and the public cache is dropped at once. */
    async updateSettings(ctx: TenantContext, patch: UpdateShopBody): Promise<ShopSettings> {
      const before = await mustGet(ctx.tenantId);
      await deps.tx.transaction(ctx, async (tctx) => {
        await deps.repo.update(tctx, ctx.tenantId, patch);
        await deps.audit.record(tctx, {
          action: 'shop.settings.updated',
          targetType: 'tenant',
          targetId: ctx.tenantId,
          data: patch,
        });
      });
      await invalidate(before.slug);
      return toSettings(await mustGet(ctx.tenantId));
    },

    /**
     * Stores a new logo: the type is read from the bytes (not the name), then it is resized to a square
     * PNG under a content-addressed public key.
     */
    async uploadLogo(
      ctx: TenantContext,
      file: { buffer: Buffer },
      opts: { trusted?: boolean } = {},
    ): Promise<ShopSettings> {
      const key = await storeImage(ctx, file, 'logo', { width: LOGO_SIZE, height: LOGO_SIZE }, opts.trusted);
      const before = await mustGet(ctx.tenantId);
      await deps.tx.transaction(ctx, async (tctx) => {
        await deps.repo.update(tctx, ctx.tenantId, { logoKey: key });
        await deps.audit.record(tctx, {
          action: 'shop.logo.updated',
          targetType: 'tenant',
          targetId: ctx.tenantId,
          data: { key },
        });
      });
      await invalidate(before.slug);
      return toSettings(await mustGet(ctx.tenantId));
    },

    /** The shop's mini-program appearance. */
    async appearance(ctx: TenantContext): Promise<Appearance> {
      return appearanceOf(await mustGet(ctx.tenantId));
    },

    /** Saves the appearance; the shop's name and theme colour follow it. Audited; the public cache is dropped. */
    async updateAppearance(ctx: TenantContext, body: AppearanceBody): Promise<Appearance> {
      const before = await mustGet(ctx.tenantId);
      await deps.tx.transaction(ctx, async (tctx) => {
        await deps.repo.update(tctx, ctx.tenantId, { appearance: body, name: body.name, themeColor: body.themeColor });
        await deps.audit.record(tctx, {
          action: 'shop.appearance.updated',
          targetType: 'tenant',
          targetId: ctx.tenantId,
          data: body,
        });
      });
      await invalidate(before.slug);
      return appearanceOf(await mustGet(ctx.tenantId));
    },

    /** The picture of a shared page (5:4, as WeChat shows it). */
    async uploadShareImage(ctx: TenantContext, file: { buffer: Buffer }): Promise<Appearance> {
      const key = await storeImage(ctx, file, 'share image', { width: 500, height: 400 });
      const before = await mustGet(ctx.tenantId);
      await deps.tx.transaction(ctx, async (tctx) => {
        await deps.repo.update(tctx, ctx.tenantId, { shareImageKey: key });
        await deps.audit.record(tctx, {
          action: 'shop.share_image.updated',
          targetType: 'tenant',
          targetId: ctx.tenantId,
          data: { key },
        });
      });
      await invalidate(before.slug);
      return appearanceOf(await mustGet(ctx.tenantId));
    },

    appearanceOf,

    /** Platform staff: tenants across the platform. */
    async list(
      _ctx: RequestContext,
      filter: { status?: TenantStatus; q?: string; page: number; pageSize: number },
    ): Promise<Page<TenantSummary>> {
      const page = await deps.repo.list(filter);
      return { ...page, items: page.items.map(toSummary) };
    },

    async get(_ctx: RequestContext, id: number): Promise<TenantSummary> {
      return toSummary(await mustGet(id));
    },

    /** How many shops are in each state now (every state present, zero included): the platform figures. */
    async countByStatus(_ctx: RequestContext): Promise<Record<TenantStatus, number>> {
      const counted = await deps.repo.countByStatus();
      return Object.fromEntries(TENANT_STATUSES.map((s) => [s, counted.get(s) ?? 0])) as Record<TenantStatus, number>;
    },

    /** Shops signed up (created) in [from, to), by China-time day; days with none are left out. */
    signupsPerDay(_ctx: RequestContext, from: Date, to: Date): Promise<Array<{ day: string; count: number }>> {
      return deps.repo.createdPerDay(from, to);
    },

    /** The tenant record itself, for modules that need its credentials (e.g. WeChat login). */
    async findById(id: number): Promise<Tenant | null> {
      return deps.repo.findById(id);
    },

    /** The shop whose mini-program has this AppID (a mini-program belongs to one shop at most). */
    async findByMpAppid(appid: string): Promise<Tenant | null> {
      return deps.repo.findByMpAppid(appid);
    },

    /** Shops by id, for modules that show them beside their own rows (a review queue, a release list). */
    async byIds(ids: number[]): Promise<Map<number, Tenant>> {
      return new Map((await deps.repo.byIds(ids)).map((t) => [t.id, t]));
    },

    /** The active shops among `ids` (all when not given), in some business categories when given. */
    activeIds: (filter: { ids?: number[]; categoryCodes?: string[] }): Promise<number[]> => deps.repo.activeIds(filter),

    async findBySlug(slug: string): Promise<Tenant | null> {
      return deps.repo.findBySlug(slug);
    },

    /** Is this slug free? Format, reserved words and existing shops are checked. */
    async slugAvailability(
      slug: string,
    ): Promise<{ slug: string; available: boolean; reason?: 'invalid' | 'taken' | 'reserved' }> {
      const normalized = slug.trim().toLowerCase();
      if (!SLUG_PATTERN.test(normalized)) return { slug: normalized, available: false, reason: 'invalid' };
      if (RESERVED_SLUGS.has(normalized)) return { slug: normalized, available: false, reason: 'reserved' };
      if (await deps.repo.findBySlug(normalized)) return { slug: normalized, available: false, reason: 'taken' };
      return { slug: normalized, available: true };
    },

    /** Creates a tenant (sign-up and seeding), in the context's transaction; a taken or reserved slug is a 409. */
    async create(ctx: RequestContext, t: NewTenant): Promise<number> {
      if (RESERVED_SLUGS.has(t.slug))
        throw new ConflictError(
          { reason: 'SLUG_RESERVED', params: { slug: t.slug }, message: `The shop address "${t.slug}" is reserved` },
          { field: 'slug', reason: 'reserved' },
        );
      let id: number;
      try {
        id = await deps.repo.insert(ctx, t);
      } catch (err) {
        if (isDuplicateKey(err))
          throw new ConflictError(
            { reason: 'SLUG_TAKEN', params: { slug: t.slug }, message: `The shop address "${t.slug}" is taken` },
            { field: 'slug', reason: 'taken' },
          );
        throw err;
      }
      await deps.audit.record(ctx, {
        action: 'tenant.created',
        targetType: 'tenant',
        targetId: id,
        tenantId: id,
        data: { slug: t.slug },
      });
      await invalidate(t.slug);
      return id;
    },

    /** Sets fields not exposed to merchants (status, mini-program credentials): platform code paths only. */
    async updateInternal(
      ctx: RequestContext,
      id: number,
      patch: TenantPatch,
      opts: { action?: string } = {},
    ): Promise<void> {
      const tenant = await mustGet(id);
      await deps.tx.transaction(ctx, async (tctx) => {
        await deps.repo.update(tctx, id, patch);
        const { mpSecretEnc, ...visible } = patch;
        await deps.audit.record(tctx, {
          action: opts.action ?? 'tenant.updated',
          targetType: 'tenant',
          targetId: id,
          tenantId: id,
          data: { ...visible, ...(mpSecretEnc ? { mpSecret: 'set' } : {}) },
        });
      });
      active.delete(id);
      await invalidate(tenant.slug);
    },

    /** Whether the shop is active (takes orders); a change shows within a second in every process. */
    async isActive(id: number): Promise<boolean> {
      const known = active.get(id);
      if (known !== undefined) return known;
      const is = (await deps.repo.findById(id))?.status === 'active';
      active.set(id, is);
      return is;
    },

    /** Tenant ids in some states, a batch at a time (platform jobs). */
    idsInStatus(statuses: TenantStatus[], afterId: number, limit: number): Promise<number[]> {
      return deps.repo.idsInStatus(statuses, afterId, limit);
    },

    /** Runs `fn` for every tenant in these states, in id order, reading the ids 200 at a time (platform jobs). */
    async forEachId(statuses: TenantStatus[], fn: (tenantId: number) => Promise<void>): Promise<void> {
      for (let afterId = 0; ;) {
        const ids = await deps.repo.idsInStatus(statuses, afterId, 200);
        if (ids.length === 0) return;
        afterId = ids[ids.length - 1]!;
        for (const id of ids) await fn(id);
      }
    },

    mustGet,
  };
}

export type TenantsService = ReturnType<typeof tenantsService>;
