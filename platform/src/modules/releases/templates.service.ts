import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  RELEASE_JOBS,
  QUEUES,
  type JobFailure,
  type Page,
  type TemplateVersion,
  type TemplateVersionShop,
} from '@shopfleet/contracts';
import type { RequestContext } from '../../kernel/context';
import { ConflictError, NotFoundError } from '../../kernel/errors';
import { iso, isDuplicateKey, isoOrNull } from '../../kernel/db/rows';
import type { Queues } from '../../kernel/queue';
import type { Storage } from '../../kernel/storage/s3';
import type { AuditService } from '../audit';
import type { TenantsService } from '../tenants';
import {
  BUILD_PLATFORMS,
  type BuildPlatform,
  type Outputs,
  type StoredTemplateVersion,
  type TemplatesRepository,
} from './templates.repository';
import { writeZip } from '../../kernel/zip';

export type { BuildPlatform } from './templates.repository';

export interface TemplatesDeps {
  repo: TemplatesRepository;
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

/** The file every build of each platform's output must have: mp-weixin (what shops' packages are made from), h5 (the web shop), mp-alipay. */
const ENTRY: Record<BuildPlatform, string> = { 'mp-weixin': 'app.json', h5: 'index.html', 'mp-alipay': 'app.json' };

/** `uni build` of the template's package for one platform into a folder of its own, its output captured as the build log. */
function uniBuild(templateDir: string): (outDir: string, platform: BuildPlatform) => Promise<string> {
  return (outDir, platform) =>
    new Promise((resolve, reject) => {
      const uni = require.resolve('@dcloudio/vite-plugin-uni/bin/uni.js', { paths: [templateDir] });
      const child = spawn(process.execPath, [uni, 'build', '-p', platform, '--outDir', outDir], {
        cwd: templateDir,
        env: { ...process.env, NODE_ENV: 'production' },
      });
      let log = '';
      child.stdout.on('data', (c: Buffer) => (log += c.toString()));
      child.stderr.on('data', (c: Buffer) => (log += c.toString()));
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve(log) : reject(Object.assign(new Error(`uni build exited with ${code}`), { log })),
      );
    });
}

function toVersion(v: StoredTemplateVersion, figures = { tenants: 0, live: 0 }): TemplateVersion {
  return {
    id: v.id,
    version: v.version,
    contentHash: v.contentHash,
    status: v.status,
    description: v.description,
    buildMs: v.buildMs,
    createdAt: iso(v.createdAt),
    builtAt: isoOrNull(v.builtAt),
    tenants: figures.tenants,
    live: figures.live,
    outputs: BUILD_PLATFORMS.filter((platform) => Boolean(v.outputs[platform])),
    failure: v.failure,
  };
}

/** Each build of a version is its own job: the first keeps the id builds always had. */
const buildJobId = (versionId: number, runs: number) =>
  runs <= 1 ? `build-template-${versionId}` : `build-template-${versionId}-r${runs}`;

/**
 * Template versions: the shared template built once per version for mp-weixin, h5 and mp-alipay, each
 * output zipped and stored in S3 under the version's content hash. A version whose sources are those of
 * a version already built reuses that output; building it again is a no-op.
 */
export function templatesService(deps: TemplatesDeps) {
  const now = deps.now ?? (() => new Date());
  const { repo } = deps;
  const build = deps.build ?? uniBuild(deps.templateDir);

  /** SHA-256 over the template's sources (paths and bytes), its package manifest and release templates. */
  async function contentHash(): Promise<string> {
    const hash = createHash('sha256');
    for (const rel of await listFiles(deps.templateDir)) {
      hash
        .update(rel)
        .update('\0')
        .update(await fs.readFile(path.join(deps.templateDir, rel)))
        .update('\0');
    }
    return hash.digest('hex');
  }

  async function mustGet(ctx: RequestContext, id: number): Promise<StoredTemplateVersion> {
    const v = await repo.byId(ctx, id);
    if (!v) throw new NotFoundError('TEMPLATE_VERSION_NOT_FOUND');
    return v;
  }

  const noOutputs = (): Outputs => Object.fromEntries(BUILD_PLATFORMS.map((platform) => [platform, null])) as Outputs;

  return {
    contentHash,

    /** Registers a version of the template as it is now and queues its build (none when its sources were built already). */
    async create(ctx: RequestContext, input: { version: string; description: string }): Promise<TemplateVersion> {
      const hash = await contentHash();
      const built = await repo.readyWithHash(ctx, hash);
      let id: number;
      try {
        id = await repo.insert(ctx, {
          version: input.version,
          contentHash: hash,
          status: built ? 'ready' : 'building',
          outputs: built?.outputs ?? noOutputs(),
          buildMs: built ? 0 : null,
          builtAt: built ? now() : null,
          log: built ? `same sources as ${built.version}: its build is reused` : null,
          description: input.description,
        });
      } catch (err) {
        if (isDuplicateKey(err))
          throw new ConflictError({
            reason: 'TEMPLATE_VERSION_EXISTS',
            params: { version: input.version },
            message: `Version ${input.version} exists`,
          });
        throw err;
      }
      await deps.audit.record(ctx, {
        action: 'template.version.create',
        targetType: 'template_version',
        targetId: id,
        data: { version: input.version, hash },
      });
      if (!built)
        await deps.queues
          .get(QUEUES.templateBuilds)
          .add(RELEASE_JOBS.buildTemplate, { versionId: id }, { jobId: buildJobId(id, 1) });
      return this.get(ctx, id);
    },

    /** A build whose job gave up (the worker calls this): the version ends as failed with the reason, once. */
    async fail(ctx: RequestContext, versionId: number, failure: JobFailure): Promise<boolean> {
      return repo.fail(ctx, versionId, failure);
    },

    /** Builds a failed version again, as a new job; a version that is not failed is a 409. */
    async retry(ctx: RequestContext, versionId: number): Promise<TemplateVersion> {
      const current = await this.get(ctx, versionId);
      if (!(await repo.rebuild(ctx, versionId)))
        throw new ConflictError(
          {
            reason: 'TEMPLATE_BUILD_NOT_FAILED',
            params: { status: current.status },
            message: `This version is ${current.status}; only a failed build can be retried`,
          },
          { status: current.status },
        );
      const { runs } = await mustGet(ctx, versionId);
      await deps.audit.record(ctx, {
        action: 'template.version.retry',
        targetType: 'template_version',
        targetId: versionId,
        data: { runs },
      });
      await deps.queues
        .get(QUEUES.templateBuilds)
        .add(RELEASE_JOBS.buildTemplate, { versionId }, { jobId: buildJobId(versionId, runs) });
      return this.get(ctx, versionId);
    },

    /**
     * Builds a version (the job). Already built, or given up: nothing to do. A build that fails keeps
     * its log and stays building while its job retries; the job's final failure fails the version.
     */
    async build(ctx: RequestContext, versionId: number): Promise<TemplateVersion> {
      const v = await mustGet(ctx, versionId);
      if (v.status !== 'building') return toVersion(v);
      const started = Date.now();
      let log = '';
      const keys = Object.fromEntries(
        BUILD_PLATFORMS.map((platform) => [platform, `templates/${v.contentHash}/${platform}.zip`]),
      ) as Record<BuildPlatform, string>;
      try {
        for (const platform of BUILD_PLATFORMS) {
          // A folder per build: two workers building two versions never write into one another's output.
          const outDir = await fs.mkdtemp(path.join(os.tmpdir(), `sf-template-${versionId}-${platform}-`));
          try {
            log += `== ${platform}\n${await build(outDir, platform)}`;
            const files = new Map<string, Buffer>();
            for (const rel of await listFiles(outDir))
              files.set(rel.split(path.sep).join('/'), await fs.readFile(path.join(outDir, rel)));
            const entry = ENTRY[platform];
            if (!files.has(entry)) throw new Error(`the ${platform} build produced no ${entry}`);
            await deps.storage.put({
              visibility: 'private',
              key: keys[platform],
              body: await writeZip(files, { deflate: true }),
              contentType: 'application/zip',
            });
          } finally {
            await fs.rm(outDir, { recursive: true, force: true });
          }
        }
        await repo.built(ctx, versionId, {
          outputs: keys,
          log: log.slice(-60_000),
          buildMs: Date.now() - started,
          builtAt: now(),
        });
      } catch (err) {
        const output = (err as { log?: string }).log ?? log;
        await repo.buildFailed(ctx, versionId, {
          log: `${log}${output === log ? '' : output}\n${(err as Error).message}`.slice(-60_000),
          buildMs: Date.now() - started,
        });
        throw err;
      }
      return this.get(ctx, versionId);
    },

    async get(ctx: RequestContext, id: number): Promise<TemplateVersion> {
      const v = await mustGet(ctx, id);
      // How many shops run a version is a platform figure: counted across tenants on purpose.
      return toVersion(v, (await repo.figures(ctx, [id])).get(id));
    },

    async log(ctx: RequestContext, id: number): Promise<string> {
      const log = await repo.log(ctx, id);
      if (log === undefined) throw new NotFoundError('TEMPLATE_VERSION_NOT_FOUND');
      return log ?? '';
    },

    async list(ctx: RequestContext, q: { page: number; pageSize: number }): Promise<Page<TemplateVersion>> {
      const { rows, total } = await repo.list(ctx, q.page, q.pageSize);
      // Shops per version: a platform figure, counted across tenants on purpose.
      const figures = await repo.figures(
        ctx,
        rows.map((v) => v.id),
      );
      return { items: rows.map((v) => toVersion(v, figures.get(v.id))), page: q.page, pageSize: q.pageSize, total };
    },

    /** The shops whose mini-program runs this version now (released, or gray to a share of users). */
    async liveShops(
      ctx: RequestContext,
      id: number,
      q: { page: number; pageSize: number },
    ): Promise<Page<TemplateVersionShop>> {
      await this.get(ctx, id);
      const { rows, total } = await repo.liveShops(ctx, id, q.page, q.pageSize);
      const shops = await deps.tenants.byIds(rows.map((r) => r.tenantId));
      return {
        items: rows.map((r) => ({
          tenantId: r.tenantId,
          tenantName: shops.get(r.tenantId)?.name ?? '',
          slug: shops.get(r.tenantId)?.slug ?? '',
          appid: r.appid,
          releaseId: r.releaseId,
          status: r.status,
          grayPercentage: r.grayPercentage,
          releasedAt: iso(r.releasedAt),
        })),
        page: q.page,
        pageSize: q.pageSize,
        total,
      };
    },

    /** The built output of a ready version, as stored. */
    async output(ctx: RequestContext, id: number): Promise<{ version: string; objectKey: string }> {
      const v = await repo.ready(ctx, id);
      if (!v)
        throw new ConflictError({
          reason: 'TEMPLATE_VERSION_NOT_BUILT',
          message: 'This template version is not built',
        });
      return { version: v.version, objectKey: String(v.outputs['mp-weixin']) };
    },
  };
}

export type TemplatesService = ReturnType<typeof templatesService>;
