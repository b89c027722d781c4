import type { Knex } from 'knex';
import type { JobFailure, TemplateVersion } from '@shopfleet/contracts';
import type { RequestContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { parseJsonColumn, totalOf } from '../../kernel/db/rows';
import { platformTable } from '../../kernel/db/platform-db';

/** The platforms a version is built for, each output zipped and kept under its own column. */
const OUTPUT_COLUMNS = { 'mp-weixin': 'object_key', h5: 'h5_object_key', 'mp-alipay': 'alipay_object_key' } as const;
export type BuildPlatform = keyof typeof OUTPUT_COLUMNS;
export const BUILD_PLATFORMS = Object.keys(OUTPUT_COLUMNS) as BuildPlatform[];

/** The object key of each platform's output; null for a platform not built. */
export type Outputs = Record<BuildPlatform, string | null>;

/** A version of the shared template, as stored. */
export interface StoredTemplateVersion {
  id: number;
  version: string;
  contentHash: string;
  status: TemplateVersion['status'];
  description: string;
  buildMs: number | null;
  /** How many builds it has had: names each build's job. */
  runs: number;
  outputs: Outputs;
  failure: JobFailure | null;
  createdAt: Date;
  builtAt: Date | null;
}

export interface NewTemplateVersion {
  version: string;
  contentHash: string;
  status: 'building' | 'ready';
  description: string;
  outputs: Outputs;
  buildMs: number | null;
  builtAt: Date | null;
  log: string | null;
}

/** A shop's live release of a version (released, or gray to a share of users). */
export interface LiveRelease {
  tenantId: number;
  appid: string;
  releaseId: number;
  status: 'released' | 'gray';
  grayPercentage: number | null;
  releasedAt: Date;
}

interface VersionRow {
  id: number;
  version: string;
  content_hash: string;
  status: TemplateVersion['status'];
  description: string;
  build_ms: number | null;
  runs: number;
  object_key: string | null;
  h5_object_key: string | null;
  alipay_object_key: string | null;
  failure_code: string | null;
  failure_params: unknown;
  created_at: Date;
  built_at: Date | null;
}

interface LiveRow {
  tenant_id: number;
  appid: string;
  id: number;
  status: 'released' | 'gray';
  gray_percentage: number | null;
  released_at: Date;
}

const toVersion = (r: VersionRow): StoredTemplateVersion => ({
  id: Number(r.id),
  version: String(r.version),
  contentHash: String(r.content_hash),
  status: r.status,
  description: String(r.description),
  buildMs: r.build_ms === null ? null : Number(r.build_ms),
  runs: Number(r.runs),
  outputs: Object.fromEntries(BUILD_PLATFORMS.map((p) => [p, r[OUTPUT_COLUMNS[p]] ?? null])) as Outputs,
  failure: r.failure_code
    ? {
        code: r.failure_code as JobFailure['code'],
        params: (parseJsonColumn(r.failure_params) as JobFailure['params'] | null) ?? {},
      }
    : null,
  createdAt: r.created_at,
  builtAt: r.built_at,
});

const outputColumns = (outputs: Outputs) =>
  Object.fromEntries(BUILD_PLATFORMS.map((p) => [OUTPUT_COLUMNS[p], outputs[p]]));

/**
 * `template_versions`, a platform table: the shared template built once per version. With the platform
 * figures over every shop's packages and releases of a version (read across tenants on purpose).
 */
export function templatesRepository(db: Database) {
  const versions = (ctx: RequestContext) => platformTable(db.conn(ctx), 'template_versions');

  /**
   * Each shop's live release: its newest release that is released or gray (a rollback ends a release,
   * so the one before it is live again). Read across shops on purpose: a platform figure.
   */
  function liveReleases(ctx: RequestContext): Knex.QueryBuilder {
    const knex = db.conn(ctx);
    return knex('mp_releases as r')
      .whereIn('r.status', ['released', 'gray'])
      .whereNotExists(
        knex('mp_releases as newer')
          .select(knex.raw('1'))
          .whereRaw('newer.tenant_id = r.tenant_id')
          .whereIn('newer.status', ['released', 'gray'])
          .where((w) =>
            w
              .whereRaw('newer.released_at > r.released_at')
              .orWhereRaw('(newer.released_at = r.released_at and newer.id > r.id)'),
          ),
      );
  }

  return {
    async byId(ctx: RequestContext, id: number): Promise<StoredTemplateVersion | null> {
      const r = (await versions(ctx).where({ id }).first()) as VersionRow | undefined;
      return r ? toVersion(r) : null;
    },

    /** A built version: the one named, else the newest. */
    async ready(ctx: RequestContext, id?: number): Promise<StoredTemplateVersion | null> {
      const q = versions(ctx).where({ status: 'ready' });
      const r = (await (id ? q.where({ id }) : q.orderBy('id', 'desc')).first()) as VersionRow | undefined;
      return r ? toVersion(r) : null;
    },

    /** A built version with these sources, if any. */
    async readyWithHash(ctx: RequestContext, contentHash: string): Promise<StoredTemplateVersion | null> {
      const r = (await versions(ctx).where({ content_hash: contentHash, status: 'ready' }).first()) as
        VersionRow | undefined;
      return r ? toVersion(r) : null;
    },

    /** Inserts a version; a version name taken already is a duplicate key. */
    async insert(ctx: RequestContext, v: NewTemplateVersion): Promise<number> {
      const [id] = (await versions(ctx).insert({
        version: v.version,
        content_hash: v.contentHash,
        status: v.status,
        ...outputColumns(v.outputs),
        build_ms: v.buildMs,
        built_at: v.builtAt,
        log: v.log,
        description: v.description,
      })) as [number];
      return Number(id);
    },

    /** A building version fails with the reason; false when it was not building. */
    async fail(ctx: RequestContext, id: number, failure: JobFailure): Promise<boolean> {
      const changed = await versions(ctx)
        .where({ id, status: 'building' })
        .update({ status: 'failed', failure_code: failure.code, failure_params: JSON.stringify(failure.params) });
      return changed > 0;
    },

    /** A failed version is building again, one run more; false when it was not failed. */
    async rebuild(ctx: RequestContext, id: number): Promise<boolean> {
      const changed = await versions(ctx)
        .where({ id, status: 'failed' })
        .update({ status: 'building', runs: db.knex.raw('runs + 1'), failure_code: null, failure_params: null });
      return changed > 0;
    },

    /** A building version is built: ready, with its outputs and log. */
    async built(
      ctx: RequestContext,
      id: number,
      b: { outputs: Outputs; log: string; buildMs: number; builtAt: Date },
    ): Promise<void> {
      await versions(ctx)
        .where({ id, status: 'building' })
        .update({ status: 'ready', ...outputColumns(b.outputs), log: b.log, build_ms: b.buildMs, built_at: b.builtAt });
    },

    /** Keeps the log of a build that failed (the version stays as it is). */
    async buildFailed(ctx: RequestContext, id: number, b: { log: string; buildMs: number }): Promise<void> {
      await versions(ctx).where({ id }).update({ log: b.log, build_ms: b.buildMs });
    },

    /** The build log of a version: undefined for no version, null for none yet. */
    async log(ctx: RequestContext, id: number): Promise<string | null | undefined> {
      const r = (await versions(ctx).where({ id }).first('log')) as { log: string | null } | undefined;
      return r ? r.log : undefined;
    },

    /** A version's name, null for no version. */
    async versionName(ctx: RequestContext, id: number): Promise<string | null> {
      const r = (await versions(ctx).where({ id }).first('version')) as { version: string } | undefined;
      return r ? String(r.version) : null;
    },

    /** The template id stored for a version in WeChat's template library, null until its first release. */
    async wechatTemplateId(ctx: RequestContext, id: number): Promise<number | null> {
      const r = (await versions(ctx).where({ id }).first('wechat_template_id')) as
        { wechat_template_id: number | null } | undefined;
      return r?.wechat_template_id ? Number(r.wechat_template_id) : null;
    },

    async setWechatTemplateId(ctx: RequestContext, id: number, templateId: number): Promise<void> {
      await versions(ctx).where({ id }).update({ wechat_template_id: templateId });
    },

    async list(
      ctx: RequestContext,
      page: number,
      pageSize: number,
    ): Promise<{ rows: StoredTemplateVersion[]; total: number }> {
      const [rows, counted] = await Promise.all([
        versions(ctx)
          .orderBy('id', 'desc')
          .limit(pageSize)
          .offset((page - 1) * pageSize) as Promise<VersionRow[]>,
        versions(ctx).count({ total: '*' }),
      ]);
      return { rows: rows.map(toVersion), total: totalOf(counted) };
    },

    /** Per version: the shops with a package of it, and the shops whose mini-program runs it now. */
    async figures(ctx: RequestContext, ids: number[]): Promise<Map<number, { tenants: number; live: number }>> {
      const out = new Map(ids.map((id) => [id, { tenants: 0, live: 0 }]));
      if (ids.length === 0) return out;
      const knex = db.conn(ctx);
      const [shops, live] = await Promise.all([
        knex('tenant_packages')
          .whereIn('template_version_id', ids)
          .select('template_version_id')
          .countDistinct({ n: 'tenant_id' })
          .groupBy('template_version_id') as Promise<Array<{ template_version_id: number; n: number }>>,
        liveReleases(ctx)
          .whereIn('r.template_version_id', ids)
          .select('r.template_version_id')
          .count({ n: '*' })
          .groupBy('r.template_version_id') as Promise<Array<{ template_version_id: number; n: number }>>,
      ]);
      for (const r of shops) out.get(Number(r.template_version_id))!.tenants = Number(r.n);
      for (const r of live) out.get(Number(r.template_version_id))!.live = Number(r.n);
      return out;
    },

    /** The shops whose mini-program runs a version now, latest released first, a page. */
    async liveShops(
      ctx: RequestContext,
      id: number,
      page: number,
      pageSize: number,
    ): Promise<{ rows: LiveRelease[]; total: number }> {
      const base = liveReleases(ctx).where('r.template_version_id', id);
      const [rows, counted] = await Promise.all([
        base
          .clone()
          .orderBy('r.released_at', 'desc')
          .orderBy('r.id', 'desc')
          .limit(pageSize)
          .offset((page - 1) * pageSize)
          .select('r.tenant_id', 'r.appid', 'r.id', 'r.status', 'r.gray_percentage', 'r.released_at') as Promise<
          LiveRow[]
        >,
        base.clone().count({ total: '*' }),
      ]);
      return {
        rows: rows.map((r) => ({
          tenantId: Number(r.tenant_id),
          appid: String(r.appid),
          releaseId: Number(r.id),
          status: r.status,
          grayPercentage: r.gray_percentage === null ? null : Number(r.gray_percentage),
          releasedAt: r.released_at,
        })),
        total: totalOf(counted),
      };
    },
  };
}

export type TemplatesRepository = ReturnType<typeof templatesRepository>;
