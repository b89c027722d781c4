import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';

/** A product video as stored: its object in the public bucket and its size. */
export interface StoredVideo {
  id: number;
  objectKey: string;
  bytes: number;
}

interface VideoRow {
  id: number;
  object_key: string;
  bytes: number | string;
}

const toVideo = (r: VideoRow): StoredVideo => ({ id: Number(r.id), objectKey: r.object_key, bytes: Number(r.bytes) });

/** `catalog_videos`: the shop's product videos. */
export function videosRepository(db: Database) {
  const videos = (ctx: TenantContext) => db.scope(ctx).table('catalog_videos');
  return {
    async insert(ctx: TenantContext, video: { objectKey: string; bytes: number }): Promise<StoredVideo> {
      const id = await db.scope(ctx).insert('catalog_videos', { object_key: video.objectKey, bytes: video.bytes });
      return { id, ...video };
    },

    async byIds(ctx: TenantContext, ids: number[]): Promise<Map<number, StoredVideo>> {
      if (ids.length === 0) return new Map();
      const rows = (await videos(ctx)
        .whereIn('id', [...new Set(ids)])
        .select('id', 'object_key', 'bytes')) as VideoRow[];
      return new Map(rows.map((r) => [Number(r.id), toVideo(r)]));
    },
  };
}

export type VideosRepository = ReturnType<typeof videosRepository>;
