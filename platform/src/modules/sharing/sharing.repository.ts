import type { ShareChannel, SharePage } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { isDuplicateKey } from '../../kernel/db/rows';

/** A share code as stored: who shared which target. */
export interface StoredShareCode {
  id: number;
  code: string;
  page: SharePage;
  targetId: number;
  /** The shopper who shared; null for the shop's own code. */
  sharerId: number | null;
  createdAt: Date;
}

/** A generated image kept in object storage, by the key of what it shows. */
export interface StoredShareImage {
  shareCodeId: number;
  kind: 'code' | 'poster';
  channel: ShareChannel;
  cacheKey: string;
  objectKey: string;
}

interface ShareCodeRow {
  id: number | string;
  code: string;
  page: SharePage;
  target_id: number | string;
  sharer_id: number | string | null;
  created_at: Date;
}

const toShareCode = (r: ShareCodeRow): StoredShareCode => ({
  id: Number(r.id),
  code: r.code,
  page: r.page,
  targetId: Number(r.target_id),
  sharerId: r.sharer_id === null ? null : Number(r.sharer_id),
  createdAt: r.created_at,
});

const CODE_COLUMNS = ['id', 'code', 'page', 'target_id', 'sharer_id', 'created_at'];

/** The only code touching `share_codes` and `share_images`. */
export function sharingRepository(db: Database) {
  return {
    /** The share of this target by this sharer (null: the shop's own), if made before. */
    async findByTarget(
      ctx: TenantContext,
      page: SharePage,
      targetId: number,
      sharerId: number | null,
    ): Promise<StoredShareCode | null> {
      const row = (await db
        .scope(ctx)
        .table('share_codes')
        .where({ page, target_id: targetId, sharer_key: sharerId ?? 0 })
        .first(CODE_COLUMNS)) as ShareCodeRow | undefined;
      return row ? toShareCode(row) : null;
    },

    async findByCode(ctx: TenantContext, code: string): Promise<StoredShareCode | null> {
      const row = (await db.scope(ctx).table('share_codes').where({ code }).first(CODE_COLUMNS)) as
        ShareCodeRow | undefined;
      return row ? toShareCode(row) : null;
    },

    /**
     * Inserts a share; answers `target` when this sharer's share of the target exists already (a concurrent create won:
     * read it then) and `code` when the code is another share's (draw another).
     */
    async insert(
      ctx: TenantContext,
      share: { code: string; page: SharePage; targetId: number; sharerId: number | null },
    ): Promise<'inserted' | 'target' | 'code'> {
      try {
        await db.scope(ctx).insert('share_codes', {
          code: share.code,
          page: share.page,
          target_id: share.targetId,
          sharer_id: share.sharerId,
        });
        return 'inserted';
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        return /share_codes_target/.test(String((err as { sqlMessage?: string }).sqlMessage ?? (err as Error).message))
          ? 'target'
          : 'code';
      }
    },

    /**
     * Gives a merged shopper's shares to the survivor (in the caller's transaction): each becomes the survivor's, except
     * where the survivor has its own share of the same target — that one stays the share of it and the merged one's is
     * retired (it still resolves, to the survivor).
     */
    async absorb(ctx: TenantContext, fromId: number, toId: number): Promise<void> {
      const scope = db.scope(ctx);
      const rows = (await scope
        .table('share_codes')
        .whereIn('sharer_id', [fromId, toId])
        .orderBy('id')
        .forUpdate()
        .select('id', 'page', 'target_id', 'sharer_id', 'retired')) as Array<{
        id: number | string;
        page: SharePage;
        target_id: number | string;
        sharer_id: number | string;
        retired: number | boolean;
      }>;
      const kept = new Set(
        rows.filter((r) => Number(r.sharer_id) === toId && !r.retired).map((r) => `${r.page}:${r.target_id}`),
      );
      const from = rows.filter((r) => Number(r.sharer_id) === fromId);
      const retire = from.filter((r) => kept.has(`${r.page}:${r.target_id}`)).map((r) => Number(r.id));
      const move = from.filter((r) => !kept.has(`${r.page}:${r.target_id}`)).map((r) => Number(r.id));
      if (retire.length)
        await db.scope(ctx).table('share_codes').whereIn('id', retire).update({ sharer_id: toId, retired: true });
      if (move.length) await db.scope(ctx).table('share_codes').whereIn('id', move).update({ sharer_id: toId });
    },

    async image(ctx: TenantContext, cacheKey: string): Promise<StoredShareImage | null> {
      const row = (await db
        .scope(ctx)
        .table('share_images')
        .where({ cache_key: cacheKey })
        .first('share_code_id', 'kind', 'channel', 'cache_key', 'object_key')) as
        | {
            share_code_id: number | string;
            kind: 'code' | 'poster';
            channel: ShareChannel;
            cache_key: string;
            object_key: string;
          }
        | undefined;
      return row
        ? {
            shareCodeId: Number(row.share_code_id),
            kind: row.kind,
            channel: row.channel,
            cacheKey: row.cache_key,
            objectKey: row.object_key,
          }
        : null;
    },

    /** Remembers a stored image; a second write of the same key (a concurrent draw of the same poster) keeps the first. */
    async saveImage(ctx: TenantContext, image: StoredShareImage): Promise<void> {
      try {
        await db.scope(ctx).insert('share_images', {
          share_code_id: image.shareCodeId,
          kind: image.kind,
          channel: image.channel,
          cache_key: image.cacheKey,
          object_key: image.objectKey,
        });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    },
  };
}

export type SharingRepository = ReturnType<typeof sharingRepository>;
