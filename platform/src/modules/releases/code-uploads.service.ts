import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  CODE_UPLOAD_JOBS,
  QUEUES,
  type CodeUpload,
  type CodeUploadKey,
  type CodeUploadKeyInput,
  type CodeUploadStatus,
  type Page,
} from '@shopfleet/contracts';
import { actorId, type TenantContext } from '../../kernel/context';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, issue } from '../../kernel/errors';
import { NOT_ACTIVE, NOT_BUILT, NO_VERSION, said, type Said } from './release-texts';
import type { Transactions } from '../../kernel/db/database';
import { isDuplicateKey, iso, isoOrNull } from '../../kernel/db/rows';
import type { Queues } from '../../kernel/queue';
import type { SecretBox } from '../../kernel/secret-box';
import type { Storage } from '../../kernel/storage/s3';
import type { AuditService } from '../audit';
import { CodeUploadError, uploadCode } from '../../integrations/wechat/code-upload';
import type { AuthorizationsService } from '../miniapp';
import type { TenantsService } from '../tenants';
import type { CodeUploadsRepository, StoredUpload, StoredUploadKey, UploadEnd } from './code-uploads.repository';
import type { PackagesService } from './packages.service';
import type { TemplatesRepository } from './templates.repository';
import { readZip } from '../../kernel/zip';

/** WeChat's code-upload refusals a retry cannot fix, in words a merchant can act on (WeChat's errmsg as a param). */
function refusal(err: CodeUploadError): Said {
  if (err.errCode === -10008)
    return said('UPLOAD_IP_NOT_ALLOWED', { ip: /invalid ip: ([^,\s]+)/.exec(err.errMsg)?.[1] ?? 'unknown' });
  if (err.errCode === -10003) return said('UPLOAD_KEY_REJECTED');
  return said('UPLOAD_REFUSED', { error: err.errMsg || String(err.errCode) });
}

const keyAad = (tenantId: number) => `tenant:${tenantId}:mp_upload_key`;

/**
 * The direct path, for a shop that keeps its mini-program to itself instead of authorizing the platform:
 * the merchant gives its AppID and code-upload key (and the AppSecret, for shoppers' WeChat sign-in), and
 * the worker uploads the shop's package of a template version with miniprogram-ci as a development version.
 * WeChat offers no audit API outside the third-party platform, so the merchant submits that version for
 * review in mp.weixin.qq.com. One upload at a time per shop; an upload can be retried whole (WeChat keeps
 * the newest development version per robot), so a worker that dies mid-upload repeats nothing harmful.
 */
export function codeUploadsService(deps: {
  repo: CodeUploadsRepository;
  /** The template versions uploaded. */
  versions: TemplatesRepository;
  tx: Transactions;
  secretBox: SecretBox;
  audit: AuditService;
  queues: Queues;
  storage: Storage;
  tenants: TenantsService;
  authorizations: AuthorizationsService;
  packages: PackagesService;
  /** Where miniprogram-ci's calls go (servicewechat.com; tests point it at a local fake). */
  ciBaseUrl: string;
  /** WeChat's CI robot the platform uploads as (1–30). */
  robot: number;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  const { repo } = deps;

  const toKey = (k: StoredUploadKey): CodeUploadKey => ({
    appid: k.appid,
    fingerprint: k.fingerprint,
    updatedAt: iso(k.updatedAt),
  });

  /** Uploads with their events, in two queries whatever their number. */
  async function withEvents(ctx: TenantContext, uploads: StoredUpload[]): Promise<CodeUpload[]> {
    if (uploads.length === 0) return [];
    const events = await repo.events(
      ctx,
      uploads.map((u) => u.id),
    );
    return uploads.map((u) => ({
      id: u.id,
      templateVersionId: u.templateVersionId,
      appid: u.appid,
      version: u.version,
      description: u.description,
      robot: u.robot,
      status: u.status,
      attempts: u.attempts,
      wechatVersion: u.wechatVersion,
      error: u.error,
      createdAt: iso(u.createdAt),
      uploadedAt: isoOrNull(u.uploadedAt),
      events: events
        .filter((e) => e.uploadId === u.id)
        .map((e) => ({
          status: e.status,
          code: e.code,
          params: e.params,
          message: e.message,
          createdAt: iso(e.createdAt),
        })),
    }));
  }

  async function note(ctx: TenantContext, uploadId: number, status: CodeUploadStatus, what: Said): Promise<void> {
    await repo.addEvent(ctx, uploadId, status, what, now());
  }

  async function uploadRow(ctx: TenantContext, id: number): Promise<StoredUpload> {
    const u = await repo.byId(ctx, id);
    if (!u) throw new NotFoundError('CODE_UPLOAD_NOT_FOUND');
    return u;
  }

  /** The key's public half, hashed: tells keys apart without showing them. Refuses what is not an RSA private key. */
  function fingerprintOf(pem: string): string {
    let key;
    try {
      key = createPrivateKey(pem);
    } catch {
      const text = {
        reason: 'UPLOAD_KEY_NOT_PEM',
        message: 'The code-upload key is not a private key in PEM form (the private.<appid>.key file WeChat gives)',
      } as const;
      throw new ValidationError(text, { issues: [issue('privateKey', text)] });
    }
    if (key.asymmetricKeyType !== 'rsa') {
      const text = { reason: 'UPLOAD_KEY_NOT_RSA', message: 'The code-upload key must be an RSA key' } as const;
      throw new ValidationError(text, { issues: [issue('privateKey', text)] });
    }
    return createHash('sha256')
      .update(createPublicKey(key).export({ type: 'spki', format: 'der' }))
      .digest('hex');
  }

  /** Ends an upload in flight, once; the event says how. */
  async function finish(ctx: TenantContext, id: number, end: UploadEnd, what: Said): Promise<void> {
    // With its event in one transaction: whoever reads the upload as ended reads how it ended.
    await deps.tx.transaction(ctx, async (tctx) => {
      if (await repo.end(tctx, id, end, now())) await note(tctx, id, end.status, what);
    });
  }

  return {
    async key(ctx: TenantContext): Promise<CodeUploadKey | null> {
      const k = await repo.key(ctx);
      return k ? toKey(k) : null;
    },

    /** Keeps the shop's AppID and code-upload key (encrypted), binding the AppID to the shop. */
    async setKey(ctx: TenantContext, input: CodeUploadKeyInput): Promise<CodeUploadKey> {
      if (await deps.authorizations.get(ctx)) {
        throw new ConflictError({
          reason: 'UPLOAD_KEY_NOT_NEEDED',
          message:
            "The shop's mini-program is authorized to the platform, which releases it; a code-upload key is only for a mini-program the platform is not authorized for",
        });
      }
      const fingerprint = fingerprintOf(input.privateKey);
      const tenant = await deps.tenants.mustGet(ctx.tenantId);
      // A secret given before belongs to the AppID it was given with.
      const secret = input.appSecret
        ? { mpSecretEnc: deps.secretBox.encrypt(input.appSecret, `tenant:${ctx.tenantId}:mp_secret`) }
        : tenant.mpAppid !== input.appid
          ? { mpSecretEnc: null }
          : {};
      const at = now();
      try {
        await deps.tx.transaction(ctx, async (tctx) => {
          await deps.tenants.updateInternal(
            tctx,
            ctx.tenantId,
            { mpAppid: input.appid, ...secret },
            { action: 'tenant.mini_program.upload_key_set' },
          );
          await repo.setKey(tctx, {
            appid: input.appid,
            privateKeyEnc: deps.secretBox.encrypt(input.privateKey, keyAad(ctx.tenantId)),
            fingerprint,
            updatedBy: actorId(ctx.actor),
            at,
          });
        });
      } catch (err) {
        if (isDuplicateKey(err))
          throw new ConflictError({
            reason: 'APPID_OTHER_SHOP',
            message: 'This AppID belongs to another shop on the platform',
          });
        throw err;
      }
      return (await this.key(ctx))!;
    },

    /** Forgets the key (uploads made with it stay in the history). */
    async removeKey(ctx: TenantContext): Promise<void> {
      if (await repo.removeKey(ctx))
        await deps.audit.record(ctx, {
          action: 'tenant.mini_program.upload_key_removed',
          targetType: 'tenant',
          targetId: ctx.tenantId,
        });
    },

    async list(ctx: TenantContext, q: { page: number; pageSize: number }): Promise<Page<CodeUpload>> {
      const { rows, total } = await repo.list(ctx, q.page, q.pageSize);
      return { items: await withEvents(ctx, rows), page: q.page, pageSize: q.pageSize, total };
    },

    async view(ctx: TenantContext, id: number): Promise<CodeUpload> {
      return (await withEvents(ctx, [await uploadRow(ctx, id)]))[0]!;
    },

    /** Queues an upload of a built template version (the newest when none is named); one at a time per shop. */
    async start(ctx: TenantContext, input: { templateVersionId?: number; description: string }): Promise<CodeUpload> {
      const tenant = await deps.tenants.mustGet(ctx.tenantId);
      if (tenant.status !== 'active') throw new ForbiddenError(NOT_ACTIVE, 'TENANT_NOT_ACTIVE');
      const key = await this.key(ctx);
      if (!key)
        throw new ConflictError({
          reason: 'UPLOAD_KEY_REQUIRED',
          message: "Give the mini-program's AppID and code-upload key first",
        });
      const version = await deps.versions.ready(ctx, input.templateVersionId);
      if (!version) throw new ConflictError(input.templateVersionId ? NOT_BUILT : NO_VERSION);
      const description = (input.description || version.description || `版本 ${version.version}`).slice(0, 200);
      let id: number;
      try {
        id = await deps.tx.transaction(ctx, async (tctx) => {
          const newId = await repo.insert(tctx, {
            templateVersionId: version.id,
            appid: key.appid,
            version: version.version,
            description,
            robot: deps.robot,
            requestedBy: actorId(ctx.actor),
            at: now(),
          });
          await note(tctx, newId, 'queued', said('UPLOAD_REQUESTED', { version: version.version, appid: key.appid }));
          return newId;
        });
      } catch (err) {
        if (isDuplicateKey(err))
          throw new ConflictError({
            reason: 'CODE_UPLOAD_IN_FLIGHT',
            message: 'An upload of this mini-program is already under way',
          });
        throw err;
      }
      // The answer is the upload as queued: read before the job exists, so a worker that starts it at once cannot change it.
      const queued = await this.view(ctx, id);
      await deps.queues
        .get(QUEUES.codeUploads)
        .add(
          CODE_UPLOAD_JOBS.upload,
          { tenantId: ctx.tenantId, uploadId: id },
          { jobId: `u${id}`, attempts: 4, backoff: { type: 'exponential', delay: 2000 } },
        );
      return queued;
    },

    /**
     * Uploads (the worker's part): the shop's package of the version, unpacked to a scratch folder and
     * given to miniprogram-ci with the shop's key. WeChat's refusals stop the upload with their reason
     * (`stop`); anything else is thrown for the queue to retry.
     */
    async run(ctx: TenantContext, id: number): Promise<'uploaded' | 'skipped'> {
      const r = await uploadRow(ctx, id);
      if (!r.inFlight) return 'skipped';
      const key = await repo.key(ctx);
      if (!key || key.appid !== r.appid) throw new CodeUploadStopped(said('UPLOAD_KEY_REMOVED'));
      await deps.tx.transaction(ctx, async (tctx) => {
        await repo.beginAttempt(tctx, id, now());
        await note(tctx, id, 'uploading', said('UPLOAD_ATTEMPT', { attempt: r.attempts + 1 }));
      });
      const built = await deps.packages.build(ctx, r.templateVersionId);
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), `shopfleet-upload-${id}-`));
      try {
        const files = await readZip(await deps.storage.getBuffer('private', built.objectKey));
        // ext.json is the third-party platform's (extEnable, extAppid): miniprogram-ci would send the code
        // to that path. Here the mini-program is the merchant's own; its settings are in the bundled module.
        files.delete('ext.json');
        for (const [name, data] of files) {
          const file = path.join(dir, name);
          if (!file.startsWith(dir + path.sep)) throw new Error(`package entry outside its folder: ${name}`);
          await fs.mkdir(path.dirname(file), { recursive: true });
          await fs.writeFile(file, data);
        }
        const privateKey = deps.secretBox.decrypt(key.privateKeyEnc, keyAad(ctx.tenantId));
        const { wechatVersion } = await uploadCode(
          { appid: r.appid, privateKey, projectPath: dir, version: r.version, desc: r.description, robot: r.robot },
          deps.ciBaseUrl,
        );
        const took = wechatVersion ? said('UPLOADED_VERSION', { wechatVersion }) : said('UPLOADED');
        await finish(ctx, id, { status: 'uploaded', wechatVersion, uploadedAt: now() }, took);
        return 'uploaded';
      } catch (err) {
        // -1 is WeChat's "system busy": retried like a network error; any other refusal stands.
        if (err instanceof CodeUploadError && err.errCode !== -1)
          throw new CodeUploadStopped(refusal(err), String(err.errCode));
        throw err;
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    },

    /** Ends an upload as failed, with the reason the merchant sees. */
    async stop(ctx: TenantContext, id: number, err: unknown): Promise<void> {
      const stopped = err instanceof CodeUploadStopped;
      const why = stopped ? err.said : said('UPLOAD_FAILED', { error: (err as Error).message.slice(0, 400) });
      await finish(
        ctx,
        id,
        { status: 'failed', error: { code: stopped ? err.code : 'upload_failed', said: why } },
        why,
      );
    },

    /** Records why an attempt failed before the queue tries again. */
    async noteRetry(ctx: TenantContext, id: number, err: unknown): Promise<void> {
      await note(ctx, id, 'uploading', said('UPLOAD_ATTEMPT_FAILED', { error: (err as Error).message.slice(0, 400) }));
    },
  };
}

/** An upload that cannot succeed on retry, with the reason for the merchant. */
export class CodeUploadStopped extends Error {
  constructor(
    readonly said: Said,
    readonly code = 'stopped',
  ) {
    super(said.message);
    this.name = 'CodeUploadStopped';
  }
}

export type CodeUploadsService = ReturnType<typeof codeUploadsService>;
