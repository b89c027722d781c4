import type { PageKind } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { iso, isoOrNull, parseJsonColumn } from '../../kernel/db/rows';

/** A page as stored; its draft and versions' content are unchecked JSON until the service parses them. */
export interface StoredPage {
  id: number;
  key: string;
  kind: PageKind;
  title: string;
  draft: unknown;
  draftUpdatedAt: string;
  publishedVersion: number | null;
  publishedAt: string | null;
  changed: boolean;
}

export interface StoredVersion {
  version: number;
  content: unknown;
  restoredFrom: number | null;
  publishedAt: string;
}

interface PageRow {
  id: number;
  page_key: string;
  kind: PageKind;
  title: string;
  draft: unknown;
  draft_updated_at: Date;
  published_version: number | null;
  published_at: Date | null;
  changed: number | boolean;
}

interface VersionRow {
  version: number;
  content: unknown;
  restored_from: number | null;
  published_at: Date;
}

/** A tab icon the shop uploaded: where its PNG is kept. */
export interface StoredTabIcon {
  id: number;
  objectKey: string;
}

interface TabIconRow {
  id: number;
  object_key: string;
}

const toTabIcon = (r: TabIconRow): StoredTabIcon => ({ id: Number(r.id), objectKey: r.object_key });

const toPage = (r: PageRow): StoredPage => ({
  id: Number(r.id),
  key: r.page_key,
  kind: r.kind,
  title: r.title,
  draft: parseJsonColumn(r.draft),
  draftUpdatedAt: iso(r.draft_updated_at),
  publishedVersion: r.published_version === null ? null : Number(r.published_version),
  publishedAt: isoOrNull(r.published_at),
  changed: Boolean(r.changed),
});

const toVersion = (r: VersionRow): StoredVersion => ({
  version: Number(r.version),
  content: parseJsonColumn(r.content),
  restoredFrom: r.restored_from === null ? null : Number(r.restored_from),
  publishedAt: iso(r.published_at),
});

/**
 * `storefront_pages`, `storefront_page_versions`, `storefront_tab_bars`, `storefront_tab_icons`: the shop designer's
 * pages, tab bar and tab icons.
 */
export function storefrontRepository(db: Database) {
  const pages = (ctx: TenantContext) => db.scope(ctx).table('storefront_pages');
  const versions = (ctx: TenantContext) => db.scope(ctx).table('storefront_page_versions');
  return {
    async list(ctx: TenantContext): Promise<StoredPage[]> {
      return ((await pages(ctx).orderByRaw("kind = 'home' desc").orderBy('page_key')) as PageRow[]).map(toPage);
    },

    async count(ctx: TenantContext): Promise<number> {
      const [row] = (await pages(ctx).count({ total: '*' })) as Array<{ total: number | string }>;
      return Number(row?.total ?? 0);
    },

    async byId(ctx: TenantContext, id: number, opts: { lock?: boolean } = {}): Promise<StoredPage | null> {
      const q = pages(ctx).where({ id });
      const r = (await (opts.lock ? q.forUpdate() : q).first()) as PageRow | undefined;
      return r ? toPage(r) : null;
    },

    async byKey(ctx: TenantContext, key: string): Promise<StoredPage | null> {
      const r = (await pages(ctx).where({ page_key: key }).first()) as PageRow | undefined;
      return r ? toPage(r) : null;
    },

    /** Which of these keys name pages of the shop. */
    async existingKeys(ctx: TenantContext, keys: string[]): Promise<Set<string>> {
      if (keys.length === 0) return new Set();
      const rows = (await pages(ctx).whereIn('page_key', keys).select('page_key')) as Array<{ page_key: string }>;
      return new Set(rows.map((r) => r.page_key));
    },

    /** Inserts a page; a key the shop has already is a duplicate key (the unique index). */
    async insert(
      ctx: TenantContext,
      p: { key: string; kind: PageKind; title: string; draft: unknown; at: Date },
    ): Promise<number> {
      return db.scope(ctx).insert('storefront_pages', {
        page_key: p.key,
        kind: p.kind,
        title: p.title,
        draft: JSON.stringify(p.draft),
        draft_updated_at: p.at,
        changed: true,
        created_at: p.at,
      });
    },

    async saveDraft(ctx: TenantContext, id: number, title: string, draft: unknown, at: Date): Promise<void> {
      await pages(ctx)
        .where({ id })
        .update({ title, draft: JSON.stringify(draft), draft_updated_at: at, changed: true });
    },

    async delete(ctx: TenantContext, id: number): Promise<void> {
      await versions(ctx).where({ page_id: id }).delete();
      await pages(ctx).where({ id }).delete();
    },

    async lastVersion(ctx: TenantContext, pageId: number): Promise<number> {
      const row = (await versions(ctx).where({ page_id: pageId }).max({ last: 'version' }).first()) as
        { last: number | null } | undefined;
      return Number(row?.last ?? 0);
    },

    /**
     * Records a published version and makes it the page's current one; with `draft`, the draft becomes that content
     * too (a roll back). The version number is unique per page, so two publishes never take the same one.
     */
    async publish(
      ctx: TenantContext,
      p: {
        pageId: number;
        version: number;
        content: unknown;
        restoredFrom: number | null;
        publishedBy: number | null;
        at: Date;
        draft?: unknown;
      },
    ): Promise<void> {
      await db.scope(ctx).insert('storefront_page_versions', {
        page_id: p.pageId,
        version: p.version,
        content: JSON.stringify(p.content),
        restored_from: p.restoredFrom,
        published_by: p.publishedBy,
        published_at: p.at,
      });
      await pages(ctx)
        .where({ id: p.pageId })
        .update({
          published_version: p.version,
          published_at: p.at,
          changed: false,
          ...(p.draft !== undefined ? { draft: JSON.stringify(p.draft), draft_updated_at: p.at } : {}),
        });
    },

    async versions(ctx: TenantContext, pageId: number, limit: number): Promise<StoredVersion[]> {
      const rows = (await versions(ctx)
        .where({ page_id: pageId })
        .orderBy('version', 'desc')
        .limit(limit)
        .select('version', 'content', 'restored_from', 'published_at')) as VersionRow[];
      return rows.map(toVersion);
    },

    async version(ctx: TenantContext, pageId: number, version: number): Promise<StoredVersion | null> {
      const r = (await versions(ctx)
        .where({ page_id: pageId, version })
        .first('version', 'content', 'restored_from', 'published_at')) as VersionRow | undefined;
      return r ? toVersion(r) : null;
    },

    /** The published version of the page with this key (its number and content), or null. */
    async published(ctx: TenantContext, key: string): Promise<{ version: number; content: unknown } | null> {
      const scope = db.scope(ctx);
      const q = scope.table('storefront_pages', 'p').where('p.page_key', key).whereNotNull('p.published_version');
      const r = (await scope
        .joinScoped(q, 'storefront_page_versions', 'v', 'v.page_id', 'p.id')
        .whereRaw('v.version = p.published_version')
        .first('v.version', 'v.content')) as { version: number; content: unknown } | undefined;
      return r ? { version: Number(r.version), content: parseJsonColumn(r.content) } : null;
    },

    async tabBar(ctx: TenantContext): Promise<unknown> {
      const r = (await db.scope(ctx).table('storefront_tab_bars').first('tab_bar')) as { tab_bar: unknown } | undefined;
      return r ? parseJsonColumn(r.tab_bar) : null;
    },

    async saveTabBar(ctx: TenantContext, tabBar: unknown, at: Date): Promise<void> {
      await db
        .scope(ctx)
        .upsert('storefront_tab_bars', { tab_bar: JSON.stringify(tabBar), updated_at: at }, ['tab_bar', 'updated_at']);
    },

    async tabIconByHash(ctx: TenantContext, hash: string): Promise<StoredTabIcon | null> {
      const r = (await db.scope(ctx).table('storefront_tab_icons').where({ hash }).first('id', 'object_key')) as
        TabIconRow | undefined;
      return r ? toTabIcon(r) : null;
    },

    /** Records an uploaded icon; the same content twice is a duplicate key (the unique index on the hash). */
    async insertTabIcon(
      ctx: TenantContext,
      icon: { hash: string; objectKey: string; bytes: number; at: Date },
    ): Promise<number> {
      return db.scope(ctx).insert('storefront_tab_icons', {
        hash: icon.hash,
        object_key: icon.objectKey,
        bytes: icon.bytes,
        created_at: icon.at,
      });
    },

    /** The shop's tab icons among `ids`, by id (another shop's are not found). */
    async tabIcons(ctx: TenantContext, ids: number[]): Promise<Map<number, StoredTabIcon>> {
      if (ids.length === 0) return new Map();
      const rows = (await db
        .scope(ctx)
        .table('storefront_tab_icons')
        .whereIn('id', ids)
        .select('id', 'object_key')) as TabIconRow[];
      return new Map(rows.map((r) => [Number(r.id), toTabIcon(r)]));
    },
  };
}

export type StorefrontRepository = ReturnType<typeof storefrontRepository>;
