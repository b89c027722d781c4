import { createHash, randomBytes } from 'node:crypto';
import sharp from 'sharp';
import {
  HOME_PAGE_KEY,
  PAGE_PREVIEW_QUERY,
  STOREFRONT_LIMITS,
  TAB_ICON_PX,
  TAB_PAGES,
  pageContentSchema,
  tabBarSchema,
  type Appearance,
  type CatalogImage,
  type CreatePageBody,
  type DesignPage,
  type DesignTabBar,
  type ErrorIssue,
  type HomeLayoutInput,
  type PageBlock,
  type PageContent,
  type PageLink,
  type PagePreview,
  type PageSummary,
  type PageVersion,
  type ProductCard,
  type ProductListRule,
  type Reasoned,
  type ShopBlock,
  type ImageSize,
  type ShopGroupCampaignCard,
  type ShopPage,
  type ShopProductCard,
  type ShopTabBar,
  type SizedImage,
  type TabBar,
  type TabIcon,
  type TabPage,
} from '@shopfleet/contracts';
import type { AuditService } from '../audit';
import { actorId, type TenantContext } from '../../kernel/context';
import type { Transactions } from '../../kernel/db/database';
import { isDuplicateKey } from '../../kernel/db/rows';
import { ConflictError, NotFoundError, ValidationError, issue } from '../../kernel/errors';
import { IMAGE_INPUT, decodeImage } from '../../kernel/images';
import type { Redis } from '../../kernel/redis';
import type { Storage } from '../../kernel/storage/s3';
import type { VersionedCache } from '../../kernel/versioned-cache';
import type { StoredPage, StoredTabIcon, StorefrontRepository } from './storefront.repository';

/** What the designer reads of the catalog (catalog's services, bound in platform.ts). */
export interface StorefrontCatalog {
  /** Which of these products exist (deleted ones do not). */
  existingProducts(ctx: TenantContext, ids: number[]): Promise<Set<number>>;
  /** Product titles by id. */
  titles(ctx: TenantContext, ids: number[]): Promise<Map<number, string>>;
  /** The shop's categories by id: name, icon and parent. */
  categories(
    ctx: TenantContext,
  ): Promise<Map<number, { name: string; iconImageId: number | null; parentId: number | null }>>;
  images(ctx: TenantContext, ids: number[]): Promise<Map<number, CatalogImage>>;
  /** The cards of these products that are on sale, by id (cached by the catalog). */
  cards(ctx: TenantContext, ids: number[]): Promise<Map<number, ProductCard>>;
  /** The first cards of the shop's products on sale (of a category), by a rule. */
  list(ctx: TenantContext, q: { categoryId?: number; rule: ProductListRule; limit: number }): Promise<ProductCard[]>;
  /** The catalog's home layout (what the home page showed before the designer). */
  homeLayout(ctx: TenantContext): Promise<HomeLayoutInput>;
  /** The catalog cache's version: a rendered page is kept per version, so a catalog change renders it again. */
  version(tenantId: number): Promise<string>;
}

/** What the designer reads of marketing. */
export interface StorefrontMarketing {
  /** Which of these coupon templates are the shop's. */
  existingCouponTemplates(ctx: TenantContext, ids: number[]): Promise<Set<number>>;
  /** The shop's group-buy campaigns among `ids`, with whether each runs now. */
  campaigns(ctx: TenantContext, ids: number[]): Promise<Map<number, ShopGroupCampaignCard & { running: boolean }>>;
}

export interface StorefrontDeps {
  repo: StorefrontRepository;
  tx: Transactions;
  audit: AuditService;
  cache: VersionedCache;
  redis: Redis;
  redisPrefix: string;
  /** Where tab icons are kept (the public bucket, under the shop's prefix). */
  storage: Pick<Storage, 'put' | 'publicUrl'>;
  catalog: StorefrontCatalog;
  marketing: StorefrontMarketing;
  /** The shop's appearance (its home sections and notice): the tenants module's. */
  appearance(ctx: TenantContext): Promise<Appearance>;
  /** Rich text as a product's description is kept: formatting, images and links, no scripts or styles. */
  sanitize(html: string): string;
  now?: () => Date;
}

const PAGE_FULL = {
  reason: 'PAGE_LIMIT_REACHED',
  params: { max: STOREFRONT_LIMITS.pagesPerShop },
  message: `a shop has at most ${STOREFRONT_LIMITS.pagesPerShop} pages`,
} as const;
const KEY_TAKEN = { reason: 'PAGE_KEY_TAKEN', message: 'the shop has a page with this key' } as const;
const HOME_KEPT = { reason: 'HOME_PAGE_KEPT', message: 'the home page cannot be deleted' } as const;
const PREVIEW_INVALID = { reason: 'PAGE_PREVIEW_INVALID', message: 'the preview token is invalid or expired' } as const;
/** What a tab icon may be uploaded as. */
const ICON_FORMATS = new Set(['jpeg', 'png', 'webp']);
const LONG_CACHE = 'public, max-age=31536000, immutable';
/** Transparent: a tab icon sits on the tab bar's colour. */
const CLEAR = { r: 0, g: 0, b: 0, alpha: 0 };

/** A tab of the tab bar a package is made with: its text and icons (their keys in the public bucket). */
export interface PackagedTab {
  page: TabPage;
  text: string;
  iconKey: string | null;
  selectedIconKey: string | null;
}

/** Products a list of the default home page shows when the catalog's layout names none (as the template did). */
const DEFAULT_LIST = 6;
/** Category entries of the default home page when the layout names none. */
const DEFAULT_ENTRIES = 10;

/** An image in the one size a block shows (the page's JSON names dozens: each carries what it needs). */
function sized<S extends ImageSize>(image: CatalogImage, size: S): SizedImage<S> {
  return { id: image.id, width: image.width, height: image.height, [size]: image[size] } as SizedImage<S>;
}
const cardOf = (card: ProductCard): ShopProductCard => ({ ...card, image: card.image && sized(card.image, 'thumb') });

/** Every link of a block, with where it sits (for the issue's path). */
function linksOf(block: PageBlock): Array<[string, PageLink]> {
  const out: Array<[string, PageLink]> = [];
  switch (block.type) {
    case 'banner':
      block.items.forEach((item, i) => item.link && out.push([`items.${i}.link`, item.link]));
      break;
    case 'hotImage':
      block.areas.forEach((a, i) => out.push([`areas.${i}.link`, a.link]));
      break;
    case 'navGrid':
      block.items.forEach((item, i) => out.push([`items.${i}.link`, item.link]));
      break;
    case 'notice':
      if (block.link) out.push(['link', block.link]);
      break;
    default:
      break;
  }
  return out;
}

type Ref = {
  kind: 'PRODUCT' | 'CATEGORY' | 'IMAGE' | 'COUPON' | 'CAMPAIGN' | 'LINKED_PAGE';
  id: number | string;
  path: string;
};

/** Every id a page names, each with its path in the body. */
function referencesOf(content: PageContent): Ref[] {
  const refs: Ref[] = [];
  content.blocks.forEach((block, b) => {
    const at = (rest: string) => `body.blocks.${b}.${rest}`;
    for (const [path, link] of linksOf(block)) {
      if (link.kind === 'product') refs.push({ kind: 'PRODUCT', id: link.productId, path: at(path) });
      else if (link.kind === 'category') refs.push({ kind: 'CATEGORY', id: link.categoryId, path: at(path) });
      else if (link.kind === 'page') refs.push({ kind: 'LINKED_PAGE', id: link.pageKey, path: at(path) });
    }
    switch (block.type) {
      case 'banner':
        block.items.forEach((item, i) =>
          refs.push({ kind: 'IMAGE', id: item.imageId, path: at(`items.${i}.imageId`) }),
        );
        break;
      case 'hotImage':
        refs.push({ kind: 'IMAGE', id: block.imageId, path: at('imageId') });
        break;
      case 'navGrid':
        block.items.forEach(
          (item, i) => item.imageId && refs.push({ kind: 'IMAGE', id: item.imageId, path: at(`items.${i}.imageId`) }),
        );
        break;
      case 'productList':
        if (block.source.kind === 'products')
          block.source.productIds.forEach((id, i) =>
            refs.push({ kind: 'PRODUCT', id, path: at(`source.productIds.${i}`) }),
          );
        else if (block.source.kind === 'category')
          refs.push({ kind: 'CATEGORY', id: block.source.categoryId, path: at('source.categoryId') });
        break;
      case 'coupons':
        block.templateIds.forEach((id, i) => refs.push({ kind: 'COUPON', id, path: at(`templateIds.${i}`) }));
        break;
      case 'groupBuy':
        block.campaignIds.forEach((id, i) => refs.push({ kind: 'CAMPAIGN', id, path: at(`campaignIds.${i}`) }));
        break;
      default:
        break;
    }
  });
  return refs;
}

const uniqueNumbers = (refs: Ref[], kind: Ref['kind']) => [
  ...new Set(refs.filter((r) => r.kind === kind).map((r) => r.id as number)),
];

/**
 * The shop designer (装修): the shop's pages — its home page and custom pages (活动页) — each a draft the merchant
 * edits and immutable published versions shoppers see; roll back publishes an earlier version again; a preview token
 * shows a draft on a phone. Every page is checked against the block schemas and the shop's own products, categories,
 * images, coupons and campaigns before it is kept. Shoppers read a published page ready to render, from a cache keyed by
 * the page's own version and the catalog's (a publish or a catalog change shows at once).
 */
export function storefrontService(deps: StorefrontDeps) {
  const { repo } = deps;
  const now = deps.now ?? (() => new Date());
  const previewKey = (token: string) => `${deps.redisPrefix}:storefront:preview:${token}`;

  // ---- the default home page -----------------------------------------------------------------------

  /** The home page as the shop showed it before the designer: its appearance's sections over the catalog's layout. */
  async function defaultHome(ctx: TenantContext): Promise<PageContent> {
    const [appearance, layout] = await Promise.all([deps.appearance(ctx), deps.catalog.homeLayout(ctx)]);
    const blocks: PageBlock[] = [{ id: 'search', type: 'searchBar', placeholder: '' }];
    blocks.push({ id: 'coupons', type: 'coupons', title: '', templateIds: [] });
    blocks.push({ id: 'flash', type: 'flashSale', title: '', limit: 6 });
    const productLink = (b: HomeLayoutInput['banners'][number]): PageLink | null =>
      b.productId
        ? { kind: 'product', productId: b.productId }
        : b.categoryId
          ? { kind: 'category', categoryId: b.categoryId }
          : null;
    for (const section of appearance.home.sections.filter((s) => s.enabled)) {
      switch (section.type) {
        case 'banner':
          if (layout.banners.length)
            blocks.push({
              id: 'banner',
              type: 'banner',
              heightRatio: 400,
              items: layout.banners.map((b) => ({ imageId: b.imageId, link: productLink(b) })),
            });
          break;
        case 'notice':
          if (appearance.home.notice.trim())
            blocks.push({ id: 'notice', type: 'notice', text: appearance.home.notice.trim(), link: null });
          break;
        case 'categories': {
          const categories = await deps.catalog.categories(ctx);
          const ids = layout.shortcutCategoryIds.length
            ? layout.shortcutCategoryIds.filter((id) => categories.has(id))
            : [...categories]
                .filter(([, c]) => c.parentId === null)
                .slice(0, DEFAULT_ENTRIES)
                .map(([id]) => id);
          if (ids.length)
            blocks.push({
              id: 'categories',
              type: 'navGrid',
              columns: 5,
              items: ids.map((id) => ({
                title: categories.get(id)!.name.slice(0, STOREFRONT_LIMITS.navTitleMax),
                imageId: categories.get(id)!.iconImageId,
                link: { kind: 'category', categoryId: id },
              })),
            });
          break;
        }
        case 'hot':
        case 'new': {
          const ids = section.type === 'hot' ? layout.hotProductIds : layout.newProductIds;
          blocks.push({
            id: section.type,
            type: 'productList',
            title: section.type === 'hot' ? '热卖商品' : '新品上架',
            source: ids.length
              ? { kind: 'products', productIds: ids }
              : { kind: 'rule', rule: section.type === 'hot' ? 'sales' : 'newest' },
            columns: 2,
            limit: ids.length || DEFAULT_LIST,
          });
          break;
        }
      }
    }
    if (layout.recommendedProductIds.length)
      blocks.push({
        id: 'recommended',
        type: 'productList',
        title: '店长推荐',
        source: { kind: 'products', productIds: layout.recommendedProductIds },
        columns: 2,
        limit: layout.recommendedProductIds.length,
      });
    blocks.push({ id: 'guess', type: 'recommendations', title: '', limit: 10 });
    blocks.push({ id: 'shop', type: 'shopInfo', showDescription: true });
    return { title: appearance.name, background: null, blocks };
  }

  // ---- the tab bar ---------------------------------------------------------------------------------

  /** The tab bar as set, or (not `custom`) the one the shop's appearance implies: its colours, its four tabs' labels. */
  async function currentTabBar(ctx: TenantContext): Promise<{ custom: boolean; bar: TabBar }> {
    const stored = tabBarSchema.safeParse(await repo.tabBar(ctx));
    if (stored.success) return { custom: true, bar: stored.data };
    const { tabBar } = await deps.appearance(ctx);
    return {
      custom: false,
      bar: {
        color: tabBar.color,
        selectedColor: tabBar.selectedColor,
        backgroundColor: tabBar.backgroundColor,
        items: TAB_PAGES.map((page) => ({ page, text: tabBar.labels[page], iconId: null, selectedIconId: null })),
      },
    };
  }

  const iconIdsOf = (bar: TabBar) => [
    ...new Set(bar.items.flatMap((i) => [i.iconId, i.selectedIconId].filter((x): x is number => !!x))),
  ];

  async function withIconUrls(ctx: TenantContext, custom: boolean, bar: TabBar): Promise<DesignTabBar> {
    const icons = await repo.tabIcons(ctx, iconIdsOf(bar));
    const url = (id: number | null) => (id && icons.has(id) ? deps.storage.publicUrl(icons.get(id)!.objectKey) : null);
    return {
      custom,
      color: bar.color,
      selectedColor: bar.selectedColor,
      backgroundColor: bar.backgroundColor,
      items: bar.items.map((i) => ({ ...i, iconUrl: url(i.iconId), selectedIconUrl: url(i.selectedIconId) })),
    };
  }

  const tabIconOf = (icon: StoredTabIcon): TabIcon => ({ id: icon.id, url: deps.storage.publicUrl(icon.objectKey) });

  // ---- checks --------------------------------------------------------------------------------------

  /** The page with its rich text sanitized; refused when it names what the shop does not have. */
  async function checked(ctx: TenantContext, input: PageContent, self: { key: string }): Promise<PageContent> {
    const content: PageContent = {
      ...input,
      blocks: input.blocks.map((b) => (b.type === 'richText' ? { ...b, html: deps.sanitize(b.html) } : b)),
    };
    const refs = referencesOf(content);
    const keys = [...new Set(refs.filter((r) => r.kind === 'LINKED_PAGE').map((r) => r.id as string))];
    const [products, categories, images, coupons, campaigns, pages] = await Promise.all([
      deps.catalog.existingProducts(ctx, uniqueNumbers(refs, 'PRODUCT')),
      uniqueNumbers(refs, 'CATEGORY').length ? deps.catalog.categories(ctx) : new Map(),
      deps.catalog.images(ctx, uniqueNumbers(refs, 'IMAGE')),
      deps.marketing.existingCouponTemplates(ctx, uniqueNumbers(refs, 'COUPON')),
      deps.marketing.campaigns(ctx, uniqueNumbers(refs, 'CAMPAIGN')),
      repo.existingKeys(
        ctx,
        keys.filter((k) => k !== self.key),
      ),
    ]);
    const known = (r: Ref): boolean => {
      switch (r.kind) {
        case 'PRODUCT':
          return products.has(r.id as number);
        case 'CATEGORY':
          return categories.has(r.id as number);
        case 'IMAGE':
          return images.has(r.id as number);
        case 'COUPON':
          return coupons.has(r.id as number);
        case 'CAMPAIGN':
          return campaigns.has(r.id as number);
        case 'LINKED_PAGE':
          return r.id === self.key || pages.has(r.id as string);
      }
    };
    const unknown = refs.filter((r) => !known(r));
    if (unknown.length) {
      const issues: ErrorIssue[] = unknown.map((r) =>
        issue(r.path, {
          reason: `PAGE_${r.kind}_UNKNOWN`,
          params: { id: String(r.id) },
          message: `no such ${r.kind.toLowerCase()}: ${r.id}`,
        } as Reasoned),
      );
      throw new ValidationError(
        { reason: 'PAGE_REFERENCES_UNKNOWN', message: 'the page names things this shop does not have' },
        { issues },
      );
    }
    return content;
  }

  // ---- the merchant's pages ------------------------------------------------------------------------

  const summaryOf = (p: StoredPage): PageSummary => ({
    id: p.id,
    key: p.key,
    kind: p.kind,
    title: p.title,
    publishedVersion: p.publishedVersion,
    publishedAt: p.publishedAt,
    changed: p.changed,
    draftUpdatedAt: p.draftUpdatedAt,
  });
  /** A page with its draft, and the images and products the draft names for the designer to show. */
  async function pageOf(ctx: TenantContext, p: StoredPage): Promise<DesignPage> {
    const draft = pageContentSchema.parse(p.draft);
    const refs = referencesOf(draft);
    const [images, titles] = await Promise.all([
      deps.catalog.images(ctx, uniqueNumbers(refs, 'IMAGE')),
      deps.catalog.titles(ctx, uniqueNumbers(refs, 'PRODUCT')),
    ]);
    return {
      ...summaryOf(p),
      draft,
      images: [...images.values()],
      products: [...titles].map(([id, title]) => ({ id, title })),
    };
  }

  /** The home page's row, made with the default home as its draft the first time the designer opens. */
  async function ensureHome(ctx: TenantContext): Promise<void> {
    if (await repo.byKey(ctx, HOME_PAGE_KEY)) return;
    const draft = await defaultHome(ctx);
    try {
      await repo.insert(ctx, { key: HOME_PAGE_KEY, kind: 'home', title: draft.title.slice(0, 30), draft, at: now() });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // made meanwhile by another request
    }
  }

  async function mustGet(ctx: TenantContext, id: number, opts: { lock?: boolean } = {}): Promise<StoredPage> {
    const page = await repo.byId(ctx, id, opts);
    if (!page) throw new NotFoundError('PAGE_NOT_FOUND');
    return page;
  }

  const versionOf = (
    v: { version: number; restoredFrom: number | null; publishedAt: string; content: unknown },
    current: number | null,
  ): PageVersion => ({
    version: v.version,
    publishedAt: v.publishedAt,
    restoredFrom: v.restoredFrom,
    current: v.version === current,
    blocks: Array.isArray((v.content as { blocks?: unknown } | null)?.blocks)
      ? (v.content as { blocks: unknown[] }).blocks.length
      : 0,
  });

  /** Publishes `content` as the page's next version (in the context's transaction, the page row locked). */
  async function publishContent(
    ctx: TenantContext,
    id: number,
    pick: (page: StoredPage) => Promise<{ content: PageContent; restoredFrom: number | null; draft?: PageContent }>,
  ): Promise<PageVersion> {
    const result = await deps.tx.transaction(ctx, async (tctx) => {
      const page = await mustGet(tctx, id, { lock: true });
      const { content, restoredFrom, draft } = await pick(page);
      const version = (await repo.lastVersion(tctx, id)) + 1;
      const at = now();
      await repo.publish(tctx, {
        pageId: id,
        version,
        content,
        restoredFrom,
        publishedBy: actorId(ctx.actor),
        at,
        ...(draft ? { draft } : {}),
      });
      await deps.audit.record(tctx, {
        action: restoredFrom === null ? 'storefront.page.published' : 'storefront.page.restored',
        targetType: 'storefront_page',
        targetId: id,
        data: { key: page.key, version, restoredFrom },
      });
      return { version, restoredFrom, publishedAt: at.toISOString(), content };
    });
    await deps.cache.bump(ctx.tenantId);
    return versionOf(result, result.version);
  }

  // ---- what shoppers read --------------------------------------------------------------------------

  /** A page's blocks with what they name filled in; blocks whose content is gone entirely are left out. */
  async function render(ctx: TenantContext, content: PageContent): Promise<ShopBlock[]> {
    const imageIds = content.blocks.flatMap((b) =>
      b.type === 'banner'
        ? b.items.map((i) => i.imageId)
        : b.type === 'hotImage'
          ? [b.imageId]
          : b.type === 'navGrid'
            ? b.items.flatMap((i) => (i.imageId ? [i.imageId] : []))
            : [],
    );
    const chosen = content.blocks.flatMap((b) =>
      b.type === 'productList' && b.source.kind === 'products' ? b.source.productIds.slice(0, b.limit) : [],
    );
    const campaignIds = content.blocks.flatMap((b) => (b.type === 'groupBuy' ? b.campaignIds : []));
    const [images, cards, campaigns, lists] = await Promise.all([
      deps.catalog.images(ctx, [...new Set(imageIds)]),
      deps.catalog.cards(ctx, [...new Set(chosen)]),
      deps.marketing.campaigns(ctx, [...new Set(campaignIds)]),
      Promise.all(
        content.blocks.map((b) =>
          b.type === 'productList' && b.source.kind !== 'products'
            ? deps.catalog.list(ctx, {
                ...(b.source.kind === 'category' ? { categoryId: b.source.categoryId } : {}),
                rule: b.source.kind === 'category' ? b.source.sort : b.source.rule,
                limit: b.limit,
              })
            : Promise.resolve(null),
        ),
      ),
    ]);
    const out: ShopBlock[] = [];
    content.blocks.forEach((b, i) => {
      switch (b.type) {
        case 'banner': {
          const items = b.items.flatMap((item) =>
            images.has(item.imageId) ? [{ image: sized(images.get(item.imageId)!, 'medium'), link: item.link }] : [],
          );
          if (items.length) out.push({ ...b, items });
          break;
        }
        case 'hotImage':
          if (images.has(b.imageId)) out.push({ ...b, image: sized(images.get(b.imageId)!, 'large') });
          break;
        case 'navGrid':
          out.push({
            ...b,
            items: b.items.map((item) => ({
              title: item.title,
              image: item.imageId && images.has(item.imageId) ? sized(images.get(item.imageId)!, 'thumb') : null,
              link: item.link,
            })),
          });
          break;
        case 'productList': {
          const products =
            b.source.kind === 'products'
              ? b.source.productIds.flatMap((id) => (cards.has(id) ? [cards.get(id)!] : [])).slice(0, b.limit)
              : (lists[i] ?? []);
          if (products.length) out.push({ ...b, products: products.map(cardOf) });
          break;
        }
        case 'groupBuy': {
          const shown = b.campaignIds.flatMap((id) => {
            const c = campaigns.get(id);
            if (!c || !c.running) return [];
            const { running: _running, ...card } = c;
            return [card];
          });
          if (shown.length) out.push({ ...b, campaigns: shown });
          break;
        }
        default:
          out.push(b);
      }
    });
    return out;
  }

  return {
    /** The shop's pages, the home page first (made from the shop's current home the first time). */
    async list(ctx: TenantContext): Promise<PageSummary[]> {
      await ensureHome(ctx);
      return (await repo.list(ctx)).map(summaryOf);
    },

    /** A page with its draft. */
    async get(ctx: TenantContext, id: number): Promise<DesignPage> {
      return pageOf(ctx, await mustGet(ctx, id));
    },

    /** A new custom page (活动页) with an empty draft; its key is the shop's only one of that name. */
    async create(ctx: TenantContext, body: CreatePageBody): Promise<DesignPage> {
      await ensureHome(ctx);
      if ((await repo.count(ctx)) >= STOREFRONT_LIMITS.pagesPerShop) throw new ConflictError(PAGE_FULL);
      let id: number;
      try {
        id = await deps.tx.transaction(ctx, async (tctx) => {
          const created = await repo.insert(tctx, {
            key: body.key,
            kind: 'custom',
            title: body.title,
            draft: { title: body.title, background: null, blocks: [] } satisfies PageContent,
            at: now(),
          });
          await deps.audit.record(tctx, {
            action: 'storefront.page.created',
            targetType: 'storefront_page',
            targetId: created,
            data: { key: body.key },
          });
          return created;
        });
      } catch (err) {
        if (isDuplicateKey(err)) throw new ConflictError(KEY_TAKEN);
        throw err;
      }
      return pageOf(ctx, (await repo.byId(ctx, id))!);
    },

    /** Saves the draft after checking every id it names; shoppers see nothing of it until it is published. */
    async saveDraft(ctx: TenantContext, id: number, input: PageContent): Promise<DesignPage> {
      const page = await mustGet(ctx, id);
      const content = await checked(ctx, input, page);
      await repo.saveDraft(ctx, id, content.title, content, now());
      return pageOf(ctx, (await repo.byId(ctx, id))!);
    },

    /** Deletes a custom page and its versions; a link to it then opens a page-not-found. */
    async remove(ctx: TenantContext, id: number): Promise<void> {
      await deps.tx.transaction(ctx, async (tctx) => {
        const page = await mustGet(tctx, id, { lock: true });
        if (page.kind === 'home') throw new ConflictError(HOME_KEPT);
        await repo.delete(tctx, id);
        await deps.audit.record(tctx, {
          action: 'storefront.page.deleted',
          targetType: 'storefront_page',
          targetId: id,
          data: { key: page.key },
        });
      });
      await deps.cache.bump(ctx.tenantId);
    },

    /**
     * Publishes the draft as the page's next version, checked again (a product may have gone since it was saved);
     * shoppers see it at once.
     */
    publish(ctx: TenantContext, id: number): Promise<PageVersion> {
      return publishContent(ctx, id, async (page) => ({
        content: await checked(ctx, pageContentSchema.parse(page.draft), page),
        restoredFrom: null,
      }));
    },

    /** The page's published versions, newest first. */
    async versions(ctx: TenantContext, id: number): Promise<PageVersion[]> {
      const page = await mustGet(ctx, id);
      const list = await repo.versions(ctx, id, STOREFRONT_LIMITS.versionsListed);
      return list.map((v) => versionOf(v, page.publishedVersion));
    },

    /**
     * Roll back: an earlier version's content published again as the newest version (and made the draft), checked
     * against the shop as it is now.
     */
    restore(ctx: TenantContext, id: number, version: number): Promise<PageVersion> {
      return publishContent(ctx, id, async (page) => {
        const earlier = await repo.version(ctx, id, version);
        if (!earlier) throw new NotFoundError('PAGE_VERSION_NOT_FOUND');
        const content = await checked(ctx, pageContentSchema.parse(earlier.content), page);
        return { content, restoredFrom: version, draft: content };
      });
    },

    /** A token that shows the page's draft (as it is when the page is opened) for PREVIEW minutes. */
    async preview(ctx: TenantContext, id: number): Promise<PagePreview> {
      const page = await mustGet(ctx, id);
      const token = randomBytes(18).toString('base64url');
      const seconds = STOREFRONT_LIMITS.previewMinutes * 60;
      await deps.redis.set(previewKey(token), JSON.stringify({ tenantId: ctx.tenantId, pageId: id }), 'EX', seconds);
      return {
        token,
        expiresAt: new Date(now().getTime() + seconds * 1000).toISOString(),
        path: `pages/custom/page?key=${encodeURIComponent(page.key)}&${PAGE_PREVIEW_QUERY}=${token}`,
      };
    },

    /** The tab bar as set in the designer, or the one the shop's appearance implies (its colours and labels). */
    async tabBar(ctx: TenantContext): Promise<DesignTabBar> {
      const { custom, bar } = await currentTabBar(ctx);
      return withIconUrls(ctx, custom, bar);
    },

    /**
     * Sets the tab bar, its tabs in the template's order (the order of its tab pages; a tab bar cannot reorder them at
     * run time); its icons must be the shop's. Shown at once: the shop reads it at run time.
     */
    async setTabBar(ctx: TenantContext, body: TabBar): Promise<DesignTabBar> {
      const bar: TabBar = {
        ...body,
        items: [...body.items].sort((x, y) => TAB_PAGES.indexOf(x.page) - TAB_PAGES.indexOf(y.page)),
      };
      const ids = iconIdsOf(bar);
      const icons = await repo.tabIcons(ctx, ids);
      const missing = ids.filter((id) => !icons.has(id));
      if (missing.length)
        throw new ValidationError(
          { reason: 'PAGE_REFERENCES_UNKNOWN', message: 'the tab bar names icons this shop did not upload' },
          {
            issues: missing.map((id) =>
              issue('body.items', {
                reason: 'TAB_ICON_UNKNOWN',
                params: { id: String(id) },
                message: `no such tab icon: ${id}`,
              }),
            ),
          },
        );
      await deps.tx.transaction(ctx, async (tctx) => {
        await repo.saveTabBar(tctx, bar, now());
        await deps.audit.record(tctx, { action: 'storefront.tab_bar.updated', data: bar });
      });
      await deps.cache.bump(ctx.tenantId);
      return withIconUrls(ctx, true, bar);
    },

    /** The tab bar as the shop applies it at run time, as JSON text, cached. */
    async tabBarJson(ctx: TenantContext): Promise<string> {
      return deps.cache.json(ctx.tenantId, 'tab-bar', async (): Promise<ShopTabBar> => {
        const { custom, color, selectedColor, backgroundColor, items } = await this.tabBar(ctx);
        return {
          custom,
          color,
          selectedColor,
          backgroundColor,
          items: items.map(({ page, text, iconUrl, selectedIconUrl }) => ({ page, text, iconUrl, selectedIconUrl })),
        };
      });
    },

    /**
     * Keeps an uploaded tab icon (JPEG, PNG or WebP, proven by decoding) as an 81 × 81 PNG, its transparency kept and
     * its picture fitted in, under a public URL; once per content. At most 26 kB of pixels: within WeChat's 40 kB.
     */
    async uploadTabIcon(ctx: TenantContext, bytes: Buffer): Promise<TabIcon> {
      await decodeImage(bytes, ICON_FORMATS, 'Upload a JPEG, PNG or WebP image');
      const png = await sharp(bytes, IMAGE_INPUT)
        .rotate()
        .resize(TAB_ICON_PX, TAB_ICON_PX, { fit: 'contain', background: CLEAR })
        .png({ compressionLevel: 9 })
        .toBuffer();
      const hash = createHash('sha256').update(png).digest('hex');
      const existing = await repo.tabIconByHash(ctx, hash);
      if (existing) return tabIconOf(existing);
      const objectKey = `tenants/${ctx.tenantId}/storefront/tab-icons/${hash.slice(0, 32)}.png`;
      await deps.storage.put({
        visibility: 'public',
        key: objectKey,
        body: png,
        contentType: 'image/png',
        cacheControl: LONG_CACHE,
      });
      try {
        await repo.insertTabIcon(ctx, { hash, objectKey, bytes: png.length, at: now() });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err; // the same icon uploaded twice at once
      }
      return tabIconOf((await repo.tabIconByHash(ctx, hash))!);
    },

    /**
     * The tab bar a mini-program's package is made with: colours, and the tabs shown in order with their texts and icons
     * (their keys in the public bucket, for the package to carry them).
     */
    async packagedTabBar(
      ctx: TenantContext,
    ): Promise<Pick<TabBar, 'color' | 'selectedColor' | 'backgroundColor'> & { items: PackagedTab[] }> {
      const { bar } = await currentTabBar(ctx);
      const icons = await repo.tabIcons(ctx, iconIdsOf(bar));
      const key = (id: number | null) => (id && icons.get(id)?.objectKey) || null;
      return {
        color: bar.color,
        selectedColor: bar.selectedColor,
        backgroundColor: bar.backgroundColor,
        items: bar.items.map((i) => ({
          page: i.page,
          text: i.text,
          iconKey: key(i.iconId),
          selectedIconKey: key(i.selectedIconId),
        })),
      };
    },

    /**
     * A page as shoppers see it, as JSON text ready to render: the published version (the home page of a shop that
     * never published one: its home as it was before the designer, version 0). Kept per page version and catalog
     * version; null when the page has no published version.
     */
    async pageJson(ctx: TenantContext, key: string): Promise<string> {
      const catalogVersion = await deps.catalog.version(ctx.tenantId);
      const text = await deps.cache.json(ctx.tenantId, `page:${key}:${catalogVersion}`, async () => {
        const published = await repo.published(ctx, key);
        let version: number;
        let content: PageContent;
        if (published) {
          version = published.version;
          content = pageContentSchema.parse(published.content);
        } else if (key === HOME_PAGE_KEY) {
          version = 0;
          content = pageContentSchema.parse(await defaultHome(ctx));
        } else return null;
        return {
          key,
          title: content.title,
          background: content.background,
          version,
          blocks: await render(ctx, content),
        } satisfies ShopPage;
      });
      if (text === 'null') throw new NotFoundError('PAGE_NOT_FOUND');
      return text;
    },

    /** A page's draft as shoppers would see it, for the holder of a preview token of that page (never cached). */
    async previewPage(ctx: TenantContext, key: string, token: string): Promise<ShopPage> {
      const raw = await deps.redis.get(previewKey(token));
      const held = raw ? (JSON.parse(raw) as { tenantId: number; pageId: number }) : null;
      if (!held || held.tenantId !== ctx.tenantId) throw new ValidationError(PREVIEW_INVALID);
      const page = await repo.byId(ctx, held.pageId);
      if (!page || page.key !== key) throw new ValidationError(PREVIEW_INVALID);
      const content = pageContentSchema.parse(page.draft);
      return {
        key,
        title: content.title,
        background: content.background,
        version: null,
        blocks: await render(ctx, content),
      };
    },
  };
}

export type StorefrontService = ReturnType<typeof storefrontService>;
