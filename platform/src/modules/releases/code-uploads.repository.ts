import type { CodeUploadStatus } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { totalOf } from '../../kernel/db/rows';
import { toStoredError, type StoredError, type StoredEvent } from './mp-releases.repository';
import { NO_ERROR, errorColumns, eventColumns, storedSaid, type Said } from './release-texts';

/** A shop's code-upload key, as stored (the private key encrypted). */
export interface StoredUploadKey {
  appid: string;
  privateKeyEnc: string;
  fingerprint: string;
  updatedAt: Date;
}

/** An upload of a template version with the shop's own key, as stored. */
export interface StoredUpload {
  id: number;
  templateVersionId: number;
  appid: string;
  version: string;
  description: string;
  robot: number;
  status: CodeUploadStatus;
  /** Until it ends: one at a time per shop. */
  inFlight: boolean;
  attempts: number;
  wechatVersion: string | null;
  error: StoredError | null;
  createdAt: Date;
  uploadedAt: Date | null;
}

export interface NewUpload {
  templateVersionId: number;
  appid: string;
  version: string;
  description: string;
  robot: number;
  requestedBy: number | null;
  at: Date;
}

/** How an upload ends: uploaded (with WeChat's version), or failed with the reason. */
export type UploadEnd =
  | { status: 'uploaded'; wechatVersion: string | null; uploadedAt: Date }
  | { status: 'failed'; error: { code: string; said: Said } };

interface KeyRow {
  appid: string;
  private_key_enc: string;
  fingerprint: string;
  updated_at: Date;
}

interface UploadRow {
  id: number;
  template_version_id: number;
  appid: string;
  version: string;
  description: string;
  robot: number;
  status: CodeUploadStatus;
  in_flight: number | null;
  attempts: number;
  wechat_version: string | null;
  error_code: string | null;
  error_message: string | null;
  error_reason: string | null;
  error_params: unknown;
  created_at: Date;
  uploaded_at: Date | null;
}

interface EventRow {
  upload_id: number;
  status: CodeUploadStatus;
  code: string | null;
  params: unknown;
  message: string;
  created_at: Date;
}

const toKey = (r: KeyRow): StoredUploadKey => ({
  appid: String(r.appid),
  privateKeyEnc: String(r.private_key_enc),
  fingerprint: String(r.fingerprint),
  updatedAt: r.updated_at,
});

const toUpload = (r: UploadRow): StoredUpload => ({
  id: Number(r.id),
  templateVersionId: Number(r.template_version_id),
  appid: String(r.appid),
  version: String(r.version),
  description: String(r.description),
  robot: Number(r.robot),
  status: r.status,
  inFlight: r.in_flight !== null,
  attempts: Number(r.attempts),
  wechatVersion: r.wechat_version ?? null,
  error: toStoredError(r),
  createdAt: r.created_at,
  uploadedAt: r.uploaded_at,
});

const toEvent = (e: EventRow): StoredEvent<CodeUploadStatus> & { uploadId: number } => ({
  uploadId: Number(e.upload_id),
  status: e.status,
  ...storedSaid(e.code, e.params),
  message: String(e.message),
  createdAt: e.created_at,
});

/** `mp_upload_keys`, `mp_code_uploads` and `mp_code_upload_events`: a shop's own code-upload key, its uploads, and every change of each. */
export function codeUploadsRepository(db: Database) {
  const keys = (ctx: TenantContext) => db.scope(ctx).table('mp_upload_keys');
  const uploads = (ctx: TenantContext) => db.scope(ctx).table('mp_code_uploads');

  return {
    async key(ctx: TenantContext): Promise<StoredUploadKey | null> {
      const r = (await keys(ctx).first()) as KeyRow | undefined;
      return r ? toKey(r) : null;
    },

    /** Keeps the shop's key, replacing the one it had. */
    async setKey(
      ctx: TenantContext,
      k: { appid: string; privateKeyEnc: string; fingerprint: string; updatedBy: number | null; at: Date },
    ): Promise<void> {
      await db.scope(ctx).upsert(
        'mp_upload_keys',
        {
          appid: k.appid,
          private_key_enc: k.privateKeyEnc,
          fingerprint: k.fingerprint,
          updated_by: k.updatedBy,
          created_at: k.at,
          updated_at: k.at,
        },
        ['appid', 'private_key_enc', 'fingerprint', 'updated_by', 'updated_at'],
      );
    },

    /** Forgets the shop's key; false when it had none. */
    async removeKey(ctx: TenantContext): Promise<boolean> {
      return (await keys(ctx).delete()) > 0;
    },

    async byId(ctx: TenantContext, id: number): Promise<StoredUpload | null> {
      const r = (await uploads(ctx).where({ id }).first()) as UploadRow | undefined;
      return r ? toUpload(r) : null;
    },

    /** The shop's uploads, newest first, a page. */
    async list(ctx: TenantContext, page: number, pageSize: number): Promise<{ rows: StoredUpload[]; total: number }> {
      const [rows, counted] = await Promise.all([
        uploads(ctx)
          .orderBy('id', 'desc')
          .limit(pageSize)
          .offset((page - 1) * pageSize) as Promise<UploadRow[]>,
        uploads(ctx).count({ total: '*' }),
      ]);
      return { rows: rows.map(toUpload), total: totalOf(counted) };
    },

    /** The events of some uploads, oldest first. */
    async events(
      ctx: TenantContext,
      uploadIds: number[],
    ): Promise<Array<StoredEvent<CodeUploadStatus> & { uploadId: number }>> {
      if (uploadIds.length === 0) return [];
      return (
        (await db.scope(ctx).table('mp_code_upload_events').whereIn('upload_id', uploadIds).orderBy('id')) as EventRow[]
      ).map(toEvent);
    },

    /** Inserts a queued upload, in flight: a second one in flight for the shop is a duplicate key (the unique index). */
    async insert(ctx: TenantContext, u: NewUpload): Promise<number> {
      return db.scope(ctx).insert('mp_code_uploads', {
        template_version_id: u.templateVersionId,
        in_flight: 1,
        status: 'queued',
        appid: u.appid,
        version: u.version,
        description: u.description,
        robot: u.robot,
        requested_by: u.requestedBy,
        created_at: u.at,
        updated_at: u.at,
      });
    },

    /** An attempt begins: the upload is uploading, one attempt more. */
    async beginAttempt(ctx: TenantContext, id: number, at: Date): Promise<void> {
      await uploads(ctx).where({ id }).update({ status: 'uploading', updated_at: at }).increment('attempts', 1);
    },

    /** Ends an upload in flight; false when it had ended already. */
    async end(ctx: TenantContext, id: number, end: UploadEnd, at: Date): Promise<boolean> {
      const columns =
        end.status === 'uploaded'
          ? { status: end.status, wechat_version: end.wechatVersion, uploaded_at: end.uploadedAt, ...NO_ERROR }
          : { status: end.status, ...errorColumns(end.error.code, end.error.said) };
      return (
        (await uploads(ctx)
          .where({ id })
          .whereNotNull('in_flight')
          .update({ ...columns, in_flight: null, updated_at: at })) > 0
      );
    },

    async addEvent(
      ctx: TenantContext,
      uploadId: number,
      status: CodeUploadStatus,
      what: Said,
      at: Date,
    ): Promise<void> {
      await db
        .scope(ctx)
        .insert('mp_code_upload_events', { upload_id: uploadId, status, ...eventColumns(what), created_at: at });
    },
  };
}

export type CodeUploadsRepository = ReturnType<typeof codeUploadsRepository>;
