import { joinTransaction } from '../../kernel/db/database';
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { CODE_UPLOAD_JOBS, QUEUES, type CodeUpload, type CodeUploadKey, type CodeUploadKeyInput, type CodeUploadStatus, type Page } from '@shopfleet/contracts';
import { actorId, type TenantContext } from '../../kernel/context';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, issue } from '../../kernel/errors';
import { NOT_ACTIVE, NOT_BUILT, NO_VERSION, NO_ERROR, errorColumns, eventColumns, said, storedReason, storedSaid, type Said } from './release-texts';
import { TenantScope } from '../../kernel/db/tenant-scope';
import { isDuplicateKey, iso, isoOrNull, totalOf } from '../../kernel/db/rows';
import { platformTable } from '../../kernel/db/platform-db';
import type { Queues } from '../../kernel/queue';
import type { SecretBox } from '../../kernel/secret-box';
import type { Storage } from '../../kernel/storage/s3';
import type { AuditService } from '../audit';
import { CodeUploadError, uploadCode } from '../../integrations/wechat/code-upload';
import type { AuthorizationsService } from '../miniapp';
import type { TenantsService } from '../tenants';
import type { PackagesService } from './packages.service';
import { readZip } from './zip';

type Row = Record<string, unknown>;

/** WeChat's code-upload refusals a retry cannot fix, in words a merchant can act on (WeChat's errmsg as a param). */
function refusal(err: CodeUploadError): Said {
  if (err.errCode === -10008) return said('UPLOAD_IP_NOT_ALLOWED', { ip: /invalid ip: ([^,\s]+)/.exec(err.errMsg)?.[1] ?? 'unknown' });
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
  knex: Knex;
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
  const scopeOf = (tenantId: number) => new TenantScope(deps.knex, tenantId);

  const toKey = (r: Row): CodeUploadKey => ({ appid: String(r.appid), fingerprint: String(r.fingerprint), updatedAt: iso(r.updated_at as Date) });

  const toUpload = (r: Row, events: Row[]): CodeUpload => ({
    id: Number(r.id),
    templateVersionId: Number(r.template_version_id),
    appid: String(r.appid),
    version: String(r.version),
    description: String(r.description),
    robot: Number(r.robot),
    status: r.status as CodeUploadStatus,
    attempts: Number(r.attempts),
    wechatVersion: (r.wechat_version as string | null) ?? null,
    error: r.error_code ? { code: String(r.error_code), message: String(r.error_message ?? ''), ...storedReason(r.error_reason, r.error_params) } : null,
    createdAt: iso(r.created_at as Date),
    uploadedAt: isoOrNull(r.uploaded_at as Date | null),
    events: events
      .filter((e) => Number(e.upload_id) === Number(r.id))
      .map((e) => ({ status: e.status as CodeUploadStatus, ...storedSaid(e.code, e.params), message: String(e.message), createdAt: iso(e.created_at as Date) })),
  });

  /** Uploads with their events, in two queries whatever their number. */
  async function withEvents(tenantId: number, rows: Row[]): Promise<CodeUpload[]> {
    if (rows.length === 0) return [];
    const events = (await scopeOf(tenantId).table('mp_code_upload_events').whereIn('upload_id', rows.map((r) => Number(r.id))).orderBy('id')) as Row[];
    return rows.map((r) => toUpload(r, events));
  }

  async function note(tenantId: number, uploadId: number, status: CodeUploadStatus, what: Said, scope = scopeOf(tenantId)): Promise<void> {
    await scope.insert('mp_code_upload_events', { upload_id: uploadId, status, ...eventColumns(what), created_at: now() });
  }

  async function uploadRow(tenantId: number, id: number): Promise<Row> {
    const r = (await scopeOf(tenantId).table('mp_code_uploads').where({ id }).first()) as Row | undefined;
    if (!r) throw new NotFoundError('CODE_UPLOAD_NOT_FOUND');
    return r;
  }

  /** The key's public half, hashed: tells keys apart without showing them. Refuses what is not an RSA private key. */
  function fingerprintOf(pem: string): string {
    let key;
    try {
      key = createPrivateKey(pem);
    } catch {
      const text = { reason: 'UPLOAD_KEY_NOT_PEM', message: 'The code-upload key is not a private key in PEM form (the private.<appid>.key file WeChat gives)' } as const;
      throw new ValidationError(text, { issues: [issue('privateKey', text)] });
    }
    if (key.asymmetricKeyType !== 'rsa') {
      const text = { reason: 'UPLOAD_KEY_NOT_RSA', message: 'The code-upload key must be an RSA key' } as const;
      throw new ValidationError(text, { issues: [issue('privateKey', text)] });
    }
    return createHash('sha256').update(createPublicKey(key).export({ type: 'spki', format: 'der' })).digest('hex');
  }

  /** Ends an upload in flight, once; the event says how. */
  async function finish(tenantId: number, id: number, patch: Row & { status: CodeUploadStatus }, what: Said): Promise<void> {
    // With its event in one transaction: whoever reads the upload as ended reads how it ended.
    await scopeOf(tenantId).transaction(async (scope) => {
      const ended = await scope.table('mp_code_uploads').where({ id }).whereNotNull('in_flight').update({ ...patch, in_flight: null, updated_at: now() });
      if (ended) await note(tenantId, id, patch.status, what, scope);
    });
  }

  return {
    async key(ctx: TenantContext): Promise<CodeUploadKey | null> {
      const r = (await scopeOf(ctx.tenantId).table('mp_upload_keys').first()) as Row | undefined;
      return r ? toKey(r) : null;
    },

    /** Keeps the shop's AppID and code-upload key (encrypted), binding the AppID to the shop. */
    async setKey(ctx: TenantContext, input: CodeUploadKeyInput): Promise<CodeUploadKey> {
      if (await deps.authorizations.get(ctx)) {
        throw new ConflictError({ reason: 'UPLOAD_KEY_NOT_NEEDED', message: "The shop's mini-program is authorized to the platform, which releases it; a code-upload key is only for a mini-program the platform is not authorized for" });
      }
      const fingerprint = fingerprintOf(input.privateKey);
      const tenant = await deps.tenants.mustGet(ctx.tenantId);
      // A secret given before belongs to the AppID it was given with.
      const secret = input.appSecret
        ? { mpSecretEnc: deps.secretBox.encrypt(input.appSecret, `tenant:${ctx.tenantId}:mp_secret`) }
        : tenant.mpAppid !== input.appid ? { mpSecretEnc: null } : {};
      const at = now();
      try {
        await deps.knex.transaction(async (trx) => {
          await deps.tenants.updateInternal(joinTransaction(ctx, trx), ctx.tenantId, { mpAppid: input.appid, ...secret }, { action: 'tenant.mini_program.upload_key_set' });
          await new TenantScope(trx, ctx.tenantId).upsert(
            'mp_upload_keys',
            { appid: input.appid, private_key_enc: deps.secretBox.encrypt(input.privateKey, keyAad(ctx.tenantId)), fingerprint, updated_by: actorId(ctx.actor), created_at: at, updated_at: at },
            ['appid', 'private_key_enc', 'fingerprint', 'updated_by', 'updated_at'],
          );
        });
      } catch (err) {
        if (isDuplicateKey(err)) throw new ConflictError({ reason: 'APPID_OTHER_SHOP', message: 'This AppID belongs to another shop on the platform' });
        throw err;
      }
      return (await this.key(ctx))!;
    },

    /** Forgets the key (uploads made with it stay in the history). */
    async removeKey(ctx: TenantContext): Promise<void> {
      const removed = await scopeOf(ctx.tenantId).table('mp_upload_keys').delete();
      if (removed) await deps.audit.record(ctx, { action: 'tenant.mini_program.upload_key_removed', targetType: 'tenant', targetId: ctx.tenantId });
    },

    async list(ctx: TenantContext, q: { page: number; pageSize: number }): Promise<Page<CodeUpload>> {
      const base = () => scopeOf(ctx.tenantId).table('mp_code_uploads');
      const [rows, counted] = await Promise.all([base().orderBy('id', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize) as Promise<Row[]>, base().count({ total: '*' })]);
      return { items: await withEvents(ctx.tenantId, rows), page: q.page, pageSize: q.pageSize, total: totalOf(counted) };
    },

    async view(ctx: TenantContext, id: number): Promise<CodeUpload> {
      return (await withEvents(ctx.tenantId, [await uploadRow(ctx.tenantId, id)]))[0]!;
    },

    /** Queues an upload of a built template version (the newest when none is named); one at a time per shop. */
    async start(ctx: TenantContext, input: { templateVersionId?: number; description: string }): Promise<CodeUpload> {
      const tenant = await deps.tenants.mustGet(ctx.tenantId);
      if (tenant.status !== 'active') throw new ForbiddenError(NOT_ACTIVE, 'TENANT_NOT_ACTIVE');
      const key = await this.key(ctx);
      if (!key) throw new ConflictError({ reason: 'UPLOAD_KEY_REQUIRED', message: "Give the mini-program's AppID and code-upload key first" });
      const versions = platformTable(deps.knex, 'template_versions').where({ status: 'ready' });
      const version = input.templateVersionId ? await versions.clone().where({ id: input.templateVersionId }).first() : await versions.clone().orderBy('id', 'desc').first();
      if (!version) throw new ConflictError(input.templateVersionId ? NOT_BUILT : NO_VERSION);
      const description = (input.description || String(version.description || `版本 ${version.version}`)).slice(0, 200);
      let id: number;
      try {
        id = await scopeOf(ctx.tenantId).transaction(async (scope) => {
          const newId = await scope.insert('mp_code_uploads', {
            template_version_id: version.id,
            in_flight: 1,
            status: 'queued',
            appid: key.appid,
            version: version.version,
            description,
            robot: deps.robot,
            requested_by: actorId(ctx.actor),
            created_at: now(),
            updated_at: now(),
          });
          const requested = said('UPLOAD_REQUESTED', { version: String(version.version), appid: key.appid });
          await scope.insert('mp_code_upload_events', { upload_id: newId, status: 'queued', ...eventColumns(requested), created_at: now() });
          return newId;
        });
      } catch (err) {
        if (isDuplicateKey(err)) throw new ConflictError({ reason: 'CODE_UPLOAD_IN_FLIGHT', message: 'An upload of this mini-program is already under way' });
        throw err;
      }
      // The answer is the upload as queued: read before the job exists, so a worker that starts it at once cannot change it.
      const queued = await this.view(ctx, id);
      await deps.queues.get(QUEUES.codeUploads).add(CODE_UPLOAD_JOBS.upload, { tenantId: ctx.tenantId, uploadId: id }, { jobId: `u${id}`, attempts: 4, backoff: { type: 'exponential', delay: 2000 } });
      return queued;
    },

    /**
     * Uploads (the worker's part): the shop's package of the version, unpacked to a scratch folder and
     * given to miniprogram-ci with the shop's key. WeChat's refusals stop the upload with their reason
     * (`stop`); anything else is thrown for the queue to retry.
     */
    async run(ctx: TenantContext, id: number): Promise<'uploaded' | 'skipped'> {
      const r = await uploadRow(ctx.tenantId, id);
      if (r.in_flight === null) return 'skipped';
      const keyRow = (await scopeOf(ctx.tenantId).table('mp_upload_keys').first()) as Row | undefined;
      if (!keyRow || keyRow.appid !== r.appid) throw new CodeUploadStopped(said('UPLOAD_KEY_REMOVED'));
      await scopeOf(ctx.tenantId).transaction(async (scope) => {
        await scope.table('mp_code_uploads').where({ id }).update({ status: 'uploading', updated_at: now() }).increment('attempts', 1);
        await note(ctx.tenantId, id, 'uploading', said('UPLOAD_ATTEMPT', { attempt: Number(r.attempts) + 1 }), scope);
      });
      const built = await deps.packages.build(ctx, Number(r.template_version_id));
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
        const privateKey = deps.secretBox.decrypt(String(keyRow.private_key_enc), keyAad(ctx.tenantId));
        const { wechatVersion } = await uploadCode({ appid: String(r.appid), privateKey, projectPath: dir, version: String(r.version), desc: String(r.description), robot: Number(r.robot) }, deps.ciBaseUrl);
        const took = wechatVersion ? said('UPLOADED_VERSION', { wechatVersion }) : said('UPLOADED');
        await finish(ctx.tenantId, id, { status: 'uploaded', wechat_version: wechatVersion, uploaded_at: now(), ...NO_ERROR }, took);
        return 'uploaded';
      } catch (err) {
        // -1 is WeChat's "system busy": retried like a network error; any other refusal stands.
        if (err instanceof CodeUploadError && err.errCode !== -1) throw new CodeUploadStopped(refusal(err), String(err.errCode));
        throw err;
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    },

    /** Ends an upload as failed, with the reason the merchant sees. */
    async stop(ctx: TenantContext, id: number, err: unknown): Promise<void> {
      const stopped = err instanceof CodeUploadStopped;
      const why = stopped ? err.said : said('UPLOAD_FAILED', { error: (err as Error).message.slice(0, 400) });
      await finish(ctx.tenantId, id, { status: 'failed', ...errorColumns(stopped ? err.code : 'upload_failed', why) }, why);
    },

    /** Records why an attempt failed before the queue tries again. */
    async noteRetry(ctx: TenantContext, id: number, err: unknown): Promise<void> {
      await note(ctx.tenantId, id, 'uploading', said('UPLOAD_ATTEMPT_FAILED', { error: (err as Error).message.slice(0, 400) }));
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
