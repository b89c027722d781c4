import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { LRUCache } from 'lru-cache';
import type { Appearance, TabPage, TenantPackage } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { ConflictError } from '../../kernel/errors';
import { iso } from '../../kernel/db/rows';
import type { Storage } from '../../kernel/storage/s3';
import type { AuthorizationsService } from '../miniapp';
import type { TenantsService } from '../tenants';
import type { PackagesRepository } from './packages.repository';
import type { TemplatesRepository } from './templates.repository';
import type { TemplatesService } from './templates.service';
import { NO_VERSION } from './release-texts';
import { readZip, writeZip } from '../../kernel/zip';

/** What a shop's package is rendered from; its hash names the package, so the same settings make it once. */
export interface PackageSettings {
  appid: string;
  slug: string;
  name: string;
  themeColor: string;
  logoUrl: string | null;
  apiBase: string;
  version: string;
  /** The appearance the merchant set (defaults until edited), images as URLs. */
  appearance: Appearance;
  /** The tab bar (the designer's, else the appearance's): its colours, and the tabs shown, in order, with their texts. */
  tabBar: {
    color: string;
    selectedColor: string;
    backgroundColor: string;
    /** Each tab with its icons' keys in the public bucket (their names in the package follow from them). */
    items: Array<{
      page: TabPage;
      pagePath: string;
      text: string;
      iconKey: string | null;
      selectedIconKey: string | null;
    }>;
    /** The tab pages in the package's tab bar, in order: the shop finds a tab's index there at run time. */
    pages: TabPage[];
  };
}

/** What a package is made with of the shop designer's (the storefront module's, bound in platform.ts). */
export interface PackagedStorefront {
  /** The tab bar: colours, and the tabs shown in order with their texts and icons (keys in the public bucket). */
  tabBar(ctx: TenantContext): Promise<{
    color: string;
    selectedColor: string;
    backgroundColor: string;
    items: Array<{ page: TabPage; text: string; iconKey: string | null; selectedIconKey: string | null }>;
  }>;
}

/** Where a tab icon sits in a package (app.json's iconPath takes files of the package only). */
const iconPath = (key: string) => `static/tab-icons/${path.posix.basename(key)}`;

/** Each tab page's path in the template's pages.json (and so in the built app.json). */
const TAB_PATHS: Record<TabPage, string> = {
  home: 'pages/index/index',
  category: 'pages/category/index',
  cart: 'pages/cart/index',
  user: 'pages/user/index',
};

const RELEASE_TEMPLATES = ['ext.json', 'project.config.json', 'app.json', 'theme.wxss', 'bundled-config.js'] as const;
/** The template's module that carries the shop's settings when ext.json is not read (an upload with the shop's own key). */
const BUNDLED_CONFIG = 'platform/bundled-config.js';

/**
 * A shop's own mini-program from a built template version, without a rebuild: the version's output,
 * with `ext.json` and `project.config.json` rendered for the shop, its window and tab bar merged into
 * `app.json`, and its theme variables in `theme.wxss` (imported first by `app.wxss`); zipped and
 * stored privately. A few milliseconds a shop.
 */
export function packagesService(deps: {
  repo: PackagesRepository;
  /** The template versions (the newest built one). */
  versions: TemplatesRepository;
  storage: Storage;
  tenants: TenantsService;
  templates: TemplatesService;
  authorizations: AuthorizationsService;
  storefront: PackagedStorefront;
  templateDir: string;
  publicUrl: string;
  signedUrlSeconds: number;
}) {
  const hbs = Handlebars.create();
  hbs.registerHelper('json', (value: unknown) => new hbs.SafeString(JSON.stringify(value ?? null)));
  let compiled: Record<(typeof RELEASE_TEMPLATES)[number], HandlebarsTemplateDelegate> | null = null;
  const templates = () => {
    compiled ??= Object.fromEntries(
      RELEASE_TEMPLATES.map((name) => [
        name,
        hbs.compile(fs.readFileSync(path.join(deps.templateDir, 'release', `${name}.hbs`), 'utf8'), { strict: true }),
      ]),
    ) as NonNullable<typeof compiled>;
    return compiled;
  };
  // Built outputs, unzipped once per process (a few hundred kB each).
  const outputs = new LRUCache<string, Map<string, Buffer>>({ max: 4 });
  async function output(objectKey: string): Promise<Map<string, Buffer>> {
    const hit = outputs.get(objectKey);
    if (hit) return hit;
    const files = await readZip(await deps.storage.getBuffer('private', objectKey));
    outputs.set(objectKey, files);
    return files;
  }

  async function settingsOf(ctx: TenantContext, version: string): Promise<PackageSettings> {
    const tenant = await deps.tenants.mustGet(ctx.tenantId);
    const auth = await deps.authorizations.get(ctx);
    const appearance = deps.tenants.appearanceOf(tenant);
    const bar = await deps.storefront.tabBar(ctx);
    return {
      appid: auth?.authorizerAppid ?? tenant.mpAppid ?? 'touristappid',
      slug: tenant.slug,
      name: appearance.name,
      themeColor: appearance.themeColor,
      logoUrl: appearance.logoUrl,
      apiBase: deps.publicUrl,
      version,
      appearance,
      tabBar: {
        color: bar.color,
        selectedColor: bar.selectedColor,
        backgroundColor: bar.backgroundColor,
        items: bar.items.map(({ page, text, iconKey, selectedIconKey }) => ({
          page,
          pagePath: TAB_PATHS[page],
          text,
          iconKey,
          selectedIconKey,
        })),
        pages: bar.items.map((i) => i.page),
      },
    };
  }

  /** The bytes of the tab icons a package carries, by their key in the public bucket. */
  async function tabIcons(settings: PackageSettings): Promise<Map<string, Buffer>> {
    const keys = [
      ...new Set(settings.tabBar.items.flatMap((i) => [i.iconKey, i.selectedIconKey].filter((k): k is string => !!k))),
    ];
    return new Map(await Promise.all(keys.map(async (k) => [k, await deps.storage.getBuffer('public', k)] as const)));
  }

  /**
   * The files of a shop's package: the built output with the shop's files rendered in, and its tab icons (`icons`, by
   * key: an icon missing there leaves its tab the text alone).
   */
  function render(
    base: Map<string, Buffer>,
    settings: PackageSettings,
    icons: ReadonlyMap<string, Buffer> = new Map(),
  ): Map<string, Buffer> {
    const t = templates();
    const files = new Map(base);
    const extJson = t['ext.json'](settings);
    files.set('ext.json', Buffer.from(extJson));
    if (base.has(BUNDLED_CONFIG))
      files.set(
        BUNDLED_CONFIG,
        Buffer.from(t['bundled-config.js']({ ext: (JSON.parse(extJson) as { ext: unknown }).ext })),
      );
    files.set('project.config.json', Buffer.from(t['project.config.json'](settings)));
    const app = JSON.parse(base.get('app.json')!.toString('utf8')) as {
      window?: object;
      tabBar?: { list?: Array<{ pagePath: string; text?: string }> };
    };
    const patch = JSON.parse(t['app.json'](settings)) as { window: object; tabBar: Record<string, unknown> };
    // The tabs shown, in order, each the built tab of its page with the shop's text and icons; a tab page left out is
    // no tab (the shop opens it as a page then).
    const icon = (key: string | null) => {
      if (!key || !icons.has(key)) return null;
      files.set(iconPath(key), icons.get(key)!);
      return iconPath(key);
    };
    if (app.tabBar) {
      const built = app.tabBar.list ?? [];
      app.tabBar = {
        ...app.tabBar,
        ...patch.tabBar,
        list: settings.tabBar.items.flatMap((item) => {
          const tab = built.find((b) => b.pagePath === item.pagePath);
          if (!tab) return [];
          const normal = icon(item.iconKey);
          const selected = icon(item.selectedIconKey) ?? normal;
          return [{ ...tab, text: item.text, ...(normal ? { iconPath: normal, selectedIconPath: selected } : {}) }];
        }),
      };
    }
    files.set('app.json', Buffer.from(JSON.stringify({ ...app, window: { ...app.window, ...patch.window } }, null, 2)));
    files.set('theme.wxss', Buffer.from(t['theme.wxss'](settings)));
    files.set(
      'app.wxss',
      Buffer.concat([Buffer.from('@import "./theme.wxss";\n'), base.get('app.wxss') ?? Buffer.alloc(0)]),
    );
    return files;
  }

  return {
    render,
    settingsOf,

    /** The shop's ext.json as the string /wxa/commit takes (the same file its package carries). */
    extJson(settings: PackageSettings): string {
      return JSON.stringify(JSON.parse(templates()['ext.json'](settings)));
    },

    /** Makes (once) the shop's package of a built version. */
    async build(
      ctx: TenantContext,
      versionId: number,
    ): Promise<{
      id: number;
      objectKey: string;
      sizeBytes: number;
      buildMs: number;
      version: string;
      createdAt: Date;
    }> {
      const built = await deps.templates.output(ctx, versionId);
      const settings = await settingsOf(ctx, built.version);
      const settingsHash = createHash('sha256').update(JSON.stringify(settings)).digest('hex');
      const existing = await deps.repo.find(ctx, versionId, settingsHash);
      if (existing) return { ...existing, version: built.version };
      const started = performance.now();
      const zip = await writeZip(render(await output(built.objectKey), settings, await tabIcons(settings)));
      const objectKey = `tenants/${ctx.tenantId}/packages/${built.version}-${settingsHash.slice(0, 16)}.zip`;
      await deps.storage.put({ visibility: 'private', key: objectKey, body: zip, contentType: 'application/zip' });
      const buildMs = Math.round(performance.now() - started);
      await deps.repo.insertOnce(ctx, { versionId, settingsHash, objectKey, sizeBytes: zip.length, buildMs });
      const stored = (await deps.repo.find(ctx, versionId, settingsHash))!;
      return {
        id: stored.id,
        objectKey,
        sizeBytes: zip.length,
        buildMs,
        version: built.version,
        createdAt: stored.createdAt,
      };
    },

    /** The shop's package of the newest built version, made if missing, with a short-lived download link. */
    async latest(ctx: TenantContext): Promise<TenantPackage> {
      const newest = await deps.versions.ready(ctx);
      if (!newest) throw new ConflictError(NO_VERSION);
      const p = await this.build(ctx, newest.id);
      return {
        id: p.id,
        version: p.version,
        sizeBytes: p.sizeBytes,
        buildMs: p.buildMs,
        createdAt: iso(p.createdAt),
        downloadUrl: await deps.storage.signedGetUrl(p.objectKey, deps.signedUrlSeconds),
      };
    },
  };
}

export type PackagesService = ReturnType<typeof packagesService>;
