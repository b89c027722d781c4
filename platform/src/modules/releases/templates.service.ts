import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { RELEASE_JOBS, QUEUES, type JobFailure, type Page, type TemplateVersion, type TemplateVersionShop } from '@shopfleet/contracts';
import type { RequestContext } from '../../kernel/context';
import { ConflictError, NotFoundError } from '../../kernel/errors';
import { platformTable } from '../../kernel/db/platform-db';
import { iso, isDuplicateKey, isoOrNull, parseJsonColumn, totalOf } from '../../kernel/db/rows';
import type { Queues } from '../../kernel/queue';
import type { Storage } from '../../kernel/storage/s3';
import type { AuditService } from '../audit';
import type { TenantsService } from '../tenants';
import { writeZip } from './zip';

export interface TemplatesDeps {
  knex: Knex;
  storage: Storage;
  queues: Queues;
  audit: AuditService;
  /** The shops running a version are shown by name. */
  tenants: Pick<TenantsService, 'byIds'>;
  /** The template-miniapp folder (sources, release templates, build output). */
  templateDir: string;
  /** Builds the template for a platform into `outDir`; returns the log. */
  build?: (outDir: string, platform: BuildPlatform) => Promise<string>;
  now?: () => Date;
}

/** Files under `dir`, relative, sorted; node_modules and build output left out. */
async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full, base)));
    else out.push(path.relative(base, full));
  }
  return out.sort();
}

/**
 * The outputs of a version: mp-weixin (what shops' packages are made from), h5 (the web shop) and
 * mp-alipay (the same shop as an Alipay mini-program), each with the column that keeps its object key
 * and the file every build of it must have.
 */
const OUTPUTS = {
  'mp-weixin': { column: 'object_key', entry: 'app.json' },
  h5: { column: 'h5_object_key', entry: 'index.html' },
  'mp-alipay': { column: 'alipay_object_key', entry: 'app.json' },
} as const;
export type BuildPlatform = keyof typeof OUTPUTS;
const BUILD_PLATFORMS = Object.keys(OUTPUTS) as BuildPlatform[];

/** `uni build` of the template's package for one platform into a folder of its own, its output captured as the build log. */
function uniBuild(templateDir: string): (outDir: string, platform: BuildPlatform) => Promise<string> {
  return (outDir, platform) =>
    new Promise((resolve, reject) => {
      const uni = require.resolve('@dcloudio/vite-plugin-uni/bin/uni.js', { paths: [templateDir] });
      const child = spawn(process.execPath, [uni, 'build', '-p', platform, '--outDir', outDir], { cwd: templateDir, env: { ...process.env, NODE_ENV: 'production' } });
      let log = '';
      child.stdout.on('data', (c: Buffer) => (log += c.toString()));
      child.stderr.on('data', (c: Buffer) => (log += c.toString()));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(log) : reject(Object.assign(new Error(`uni build exited with ${code}`), { log }))));
    });
}

function toVersion(r: Record<string, unknown>, tenants = 0, live = 0): TemplateVersion {
  return {
    id: Number(r.id),
    version: String(r.version),
    contentHash: String(r.content_hash),
    status: r.status as TemplateVersion['status'],
    description: String(r.description),
    buildMs: r.build_ms === null ? null : Number(r.build_ms),
    createdAt: iso(r.created_at as Date),
    builtAt: isoOrNull(r.built_at as Date | null),
    tenants,
    live,
    outputs: BUILD_PLATFORMS.filter((platform) => Boolean(r[OUTPUTS[platform].column])),
    failure: r.failure_code ? { code: r.failure_code as JobFailure['code'], params: (parseJsonColumn(r.failure_params) as JobFailure['params'] | null) ?? {} } : null,
  };
}

/** Each build of a version is its own job: the first keeps the id builds always had. */
const buildJobId = (versionId: number, runs: number) => (runs <= 1 ? `build-template-${versionId}` : `build-template-${versionId}-r${runs}`);

/**
 * Each shop's live release: its newest release that is released or gray (a rollback ends a release,
 * so the one before it is live again). Read across shops on purpose: a platform figure.
 */
function liveReleases(knex: Knex): Knex.QueryBuilder {
  return knex('mp_releases as r')
    .whereIn('r.status', ['released', 'gray'])
    .whereNotExists(
      knex('mp_releases as newer')
        .select(knex.raw('1'))
        .whereRaw('newer.tenant_id = r.tenant_id')
        .whereIn('newer.status', ['released', 'gray'])
        .where((w) => w.whereRaw('newer.released_at > r.released_at').orWhereRaw('(newer.released_at = r.released_at and newer.id > r.id)')),
    );
}

/**
 * Template versions: the shared template built once per version for mp-weixin, h5 and mp-alipay, each
 * output zipped and stored in S3 under the version's content hash. A version whose sources are those of
 * a version already built reuses that output; building it again is a no-op.
 */
export function templatesService(deps: TemplatesDeps) {
  const now = deps.now ?? (() => new Date());
  const versions = (trx?: Knex.Transaction) => platformTable(trx ?? deps.knex, 'template_versions');
  const build = deps.build ?? uniBuild(deps.templateDir);

  /** SHA-256 over the template's sources (paths and bytes), its package manifest and release templates. */
  async function contentHash(): Promise<string> {
    const hash = createHash('sha256');
    for (const rel of await listFiles(deps.templateDir)) {
      hash.update(rel).update('\0').update(await fs.readFile(path.join(deps.templateDir, rel))).update('\0');
    }
    return hash.digest('hex');
  }

  return {
    contentHash,

    /** Registers a version of the template as it is now and queues its build (none when its sources were built already). */
    async create(ctx: RequestContext, input: { version: string; description: string }): Promise<TemplateVersion> {
      const hash = await contentHash();
      const built = await versions().where({ content_hash: hash, status: 'ready' }).first();
      let id: number;
      try {
        [id] = (await versions().insert({
          version: input.version,
          content_hash: hash,
          status: built ? 'ready' : 'building',
          ...Object.fromEntries(BUILD_PLATFORMS.map((platform) => [OUTPUTS[platform].column, built?.[OUTPUTS[platform].column] ?? null])),
          build_ms: built ? 0 : null,
          built_at: built ? now() : null,
          log: built ? `same sources as ${String(built.version)}: its build is reused` : null,
          description: input.description,
        })) as [number];
      } catch (err) {
        if (isDuplicateKey(err)) throw new ConflictError({ reason: 'TEMPLATE_VERSION_EXISTS', params: { version: input.version }, message: `Version ${input.version} exists` });
        throw err;
      }
      await deps.audit.record(ctx, { action: 'template.version.create', targetType: 'template_version', targetId: id, data: { version: input.version, hash } });
      if (!built) await deps.queues.get(QUEUES.releases).add(RELEASE_JOBS.buildTemplate, { versionId: id }, { jobId: buildJobId(id, 1) });
      return this.get(id);
    },

    /** A build whose job gave up (the worker calls this): the version ends as failed with the reason, once. */
    async fail(versionId: number, failure: JobFailure): Promise<boolean> {
      const changed = await versions()
        .where({ id: versionId, status: 'building' })
        .update({ status: 'failed', failure_code: failure.code, failure_params: JSON.stringify(failure.params) });
      return changed > 0;
    },

    /** Builds a failed version again, as a new job; a version that is not failed is a 409. */
    async retry(ctx: RequestContext, versionId: number): Promise<TemplateVersion> {
      const current = await this.get(versionId);
      const changed = await versions()
        .where({ id: versionId, status: 'failed' })
        .update({ status: 'building', runs: deps.knex.raw('runs + 1'), failure_code: null, failure_params: null });
      if (!changed) throw new ConflictError({ reason: 'TEMPLATE_BUILD_NOT_FAILED', params: { status: current.status }, message: `This version is ${current.status}; only a failed build can be retried` }, { status: current.status });
      const { runs } = await versions().where({ id: versionId }).first('runs');
      await deps.audit.record(ctx, { action: 'template.version.retry', targetType: 'template_version', targetId: versionId, data: { runs: Number(runs) } });
      await deps.queues.get(QUEUES.releases).add(RELEASE_JOBS.buildTemplate, { versionId }, { jobId: buildJobId(versionId, Number(runs)) });
      return this.get(versionId);
    },

    /**
     * Builds a version (the job). Already built, or given up: nothing to do. A build that fails keeps
     * its log and stays building while its job retries; the job's final failure fails the version.
     */
    async build(versionId: number): Promise<TemplateVersion> {
      const row = await versions().where({ id: versionId }).first();
      if (!row) throw new NotFoundError('TEMPLATE_VERSION_NOT_FOUND');
      if (row.status !== 'building') return toVersion(row);
      const started = Date.now();
      let log = '';
      const keys = Object.fromEntries(BUILD_PLATFORMS.map((platform) => [OUTPUTS[platform].column, `templates/${String(row.content_hash)}/${platform}.zip`]));
      try {
        for (const platform of BUILD_PLATFORMS) {
          // A folder per build: two workers building two versions never write into one another's output.
          const outDir = await fs.mkdtemp(path.join(os.tmpdir(), `sf-template-${versionId}-${platform}-`));
          try {
            log += `== ${platform}\n${await build(outDir, platform)}`;
            const files = new Map<string, Buffer>();
            for (const rel of await listFiles(outDir)) files.set(rel.split(path.sep).join('/'), await fs.readFile(path.join(outDir, rel)));
            const { column, entry } = OUTPUTS[platform];
            if (!files.has(entry)) throw new Error(`the ${platform} build produced no ${entry}`);
            await deps.storage.put({ visibility: 'private', key: keys[column]!, body: await writeZip(files, { deflate: true }), contentType: 'application/zip' });
          } finally {
            await fs.rm(outDir, { recursive: true, force: true });
          }
        }
        await versions().where({ id: versionId, status: 'building' }).update({ status: 'ready', ...keys, log: log.slice(-60_000), build_ms: Date.now() - started, built_at: now() });
      } catch (err) {
        const output = (err as { log?: string }).log ?? log;
        await versions().where({ id: versionId }).update({ log: `${log}${output === log ? '' : output}\n${(err as Error).message}`.slice(-60_000), build_ms: Date.now() - started });
        throw err;
      }
      return this.get(versionId);
    },

    async get(id: number): Promise<TemplateVersion> {
      const row = await versions().where({ id }).first();
      if (!row) throw new NotFoundError('TEMPLATE_VERSION_NOT_FOUND');
      // How many shops run a version is a platform figure: counted across tenants on purpose.
      const counted = (await deps.knex('tenant_packages').where({ template_version_id: id }).countDistinct({ total: 'tenant_id' })) as Array<{ total: number }>;
      const live = (await liveReleases(deps.knex).where('r.template_version_id', id).count({ total: '*' })) as Array<{ total: number }>;
      return toVersion(row, totalOf(counted), totalOf(live));
    },

    async log(id: number): Promise<string> {
      const row = await versions().where({ id }).first('log');
      if (!row) throw new NotFoundError('TEMPLATE_VERSION_NOT_FOUND');
      return String(row.log ?? '');
    },

    async list(q: { page: number; pageSize: number }): Promise<Page<TemplateVersion>> {
      const [rows, counted] = await Promise.all([versions().orderBy('id', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize), versions().count({ total: '*' })]);
      const list = rows as Array<Record<string, unknown>>;
      // Shops per version: a platform figure, counted across tenants on purpose.
      const perVersion = list.length
        ? ((await deps.knex('tenant_packages').whereIn('template_version_id', list.map((r) => Number(r.id))).select('template_version_id').countDistinct({ n: 'tenant_id' }).groupBy('template_version_id')) as Array<{ template_version_id: number; n: number }>)
        : [];
      const shops = new Map(perVersion.map((r) => [Number(r.template_version_id), Number(r.n)]));
      const livePerVersion = list.length
        ? ((await liveReleases(deps.knex).whereIn('r.template_version_id', list.map((r) => Number(r.id))).select('r.template_version_id').count({ n: '*' }).groupBy('r.template_version_id')) as Array<{ template_version_id: number; n: number }>)
        : [];
      const live = new Map(livePerVersion.map((r) => [Number(r.template_version_id), Number(r.n)]));
      return { items: list.map((r) => toVersion(r, shops.get(Number(r.id)) ?? 0, live.get(Number(r.id)) ?? 0)), page: q.page, pageSize: q.pageSize, total: totalOf(counted) };
    },

    /** The shops whose mini-program runs this version now (released, or gray to a share of users). */
    async liveShops(id: number, q: { page: number; pageSize: number }): Promise<Page<TemplateVersionShop>> {
      await this.get(id);
      const base = liveReleases(deps.knex).where('r.template_version_id', id);
      const [rows, counted] = await Promise.all([
        base.clone().orderBy('r.released_at', 'desc').orderBy('r.id', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize).select('r.tenant_id', 'r.appid', 'r.id', 'r.status', 'r.gray_percentage', 'r.released_at'),
        base.clone().count({ total: '*' }),
      ]);
      const shops = await deps.tenants.byIds((rows as Array<Record<string, unknown>>).map((r) => Number(r.tenant_id)));
      return {
        items: (rows as Array<Record<string, unknown>>).map((r) => ({
          tenantId: Number(r.tenant_id),
          tenantName: shops.get(Number(r.tenant_id))?.name ?? '',
          slug: shops.get(Number(r.tenant_id))?.slug ?? '',
          appid: String(r.appid),
          releaseId: Number(r.id),
          status: r.status as 'released' | 'gray',
          grayPercentage: r.gray_percentage === null ? null : Number(r.gray_percentage),
          releasedAt: iso(r.released_at as Date),
        })),
        page: q.page,
        pageSize: q.pageSize,
        total: totalOf(counted),
      };
    },

    /** The built output of a ready version, as stored. */
    async output(id: number): Promise<{ version: string; objectKey: string }> {
      const row = await versions().where({ id, status: 'ready' }).first();
      if (!row) throw new ConflictError({ reason: 'TEMPLATE_VERSION_NOT_BUILT', message: 'This template version is not built' });
      return { version: String(row.version), objectKey: String(row.object_key) };
    },
  };
}

export type TemplatesService = ReturnType<typeof templatesService>;
