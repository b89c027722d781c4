import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { CatalogVideo } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { checkMp4 } from '../../kernel/mp4';
import type { Storage } from '../../kernel/storage/s3';
import type { StoredVideo, VideosRepository } from './videos.repository';

const LONG_CACHE = 'public, max-age=31536000, immutable';

/**
 * Product videos (主图视频): an upload kept on disk by the route is proven an MP4 from its boxes, then streamed to the
 * public bucket under a key of its own and an immutable URL. Memory stays bounded whatever the file's size.
 */
export function videosService(deps: { repo: VideosRepository; storage: Storage }) {
  const view = (video: StoredVideo): CatalogVideo => ({
    id: video.id,
    url: deps.storage.publicUrl(video.objectKey),
    bytes: video.bytes,
  });

  return {
    view,

    /** Stores the MP4 in the temporary file at `path` (the route removes the file once it has answered). */
    async upload(ctx: TenantContext, path: string, bytes: number): Promise<CatalogVideo> {
      await checkMp4(path);
      const objectKey = `tenants/${ctx.tenantId}/videos/${randomUUID()}.mp4`;
      await deps.storage.put({
        visibility: 'public',
        key: objectKey,
        body: createReadStream(path),
        contentType: 'video/mp4',
        cacheControl: LONG_CACHE,
      });
      return view(await deps.repo.insert(ctx, { objectKey, bytes }));
    },

    /** This shop's videos among `ids`; another shop's ids are absent. */
    async byIds(ctx: TenantContext, ids: number[]): Promise<Map<number, CatalogVideo>> {
      const found = await deps.repo.byIds(ctx, ids);
      return new Map([...found].map(([id, v]) => [id, view(v)]));
    },
  };
}

export type VideosService = ReturnType<typeof videosService>;
