import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';

/** An image as stored: our own sizes under a key prefix, or an imported image's URL. */
export interface StoredImage {
  id: number;
  keyPrefix: string | null;
  externalUrl: string | null;
  width: number;
  height: number;
}

interface ImageRow {
  id: number;
  key_prefix: string | null;
  external_url: string | null;
  width: number;
  height: number;
}

const toImage = (r: ImageRow): StoredImage => ({
  id: Number(r.id),
  keyPrefix: r.key_prefix ?? null,
  externalUrl: r.external_url ?? null,
  width: Number(r.width),
  height: Number(r.height),
});

const COLUMNS = ['id', 'key_prefix', 'external_url', 'width', 'height'];

/** `catalog_images`: the shop's product, category and banner images, and shoppers' review photos. */
export function imagesRepository(db: Database) {
  const images = (ctx: TenantContext) => db.scope(ctx).table('catalog_images');
  return {
    async byHash(ctx: TenantContext, hash: string): Promise<StoredImage | null> {
      const r = (await images(ctx).where({ hash }).first(COLUMNS)) as ImageRow | undefined;
      return r ? toImage(r) : null;
    },

    /** Records an image stored in our sizes; returns it. */
    async insertStored(
      ctx: TenantContext,
      image: { hash: string; keyPrefix: string; width: number; height: number },
    ): Promise<StoredImage> {
      const id = await db.scope(ctx).insert('catalog_images', {
        hash: image.hash,
        key_prefix: image.keyPrefix,
        width: image.width,
        height: image.height,
      });
      return toImage((await images(ctx).where({ id }).first(COLUMNS)) as ImageRow);
    },

    /** Images of this tenant by id; ids of another tenant are simply not found. */
    async byIds(ctx: TenantContext, ids: number[]): Promise<StoredImage[]> {
      if (ids.length === 0) return [];
      return (
        (await images(ctx)
          .whereIn('id', [...new Set(ids)])
          .select(COLUMNS)) as ImageRow[]
      ).map(toImage);
    },

    /** Every image of the shop. */
    async all(ctx: TenantContext): Promise<StoredImage[]> {
      return ((await images(ctx).select(COLUMNS)) as ImageRow[]).map(toImage);
    },

    /** The ids of images by external URL, those missing created first. */
    async idsOfUrls(ctx: TenantContext, urls: string[]): Promise<Map<string, number>> {
      const found = (await images(ctx).whereIn('external_url', urls).select('id', 'external_url')) as Array<{
        id: number;
        external_url: string;
      }>;
      const byUrl = new Map(found.map((r) => [r.external_url, Number(r.id)]));
      const missing = [...new Set(urls.filter((u) => !byUrl.has(u)))];
      if (missing.length) {
        await images(ctx).insert(missing.map((u) => ({ external_url: u })));
        const created = (await images(ctx).whereIn('external_url', missing).select('id', 'external_url')) as Array<{
          id: number;
          external_url: string;
        }>;
        for (const r of created) byUrl.set(r.external_url, Number(r.id));
      }
      return byUrl;
    },

    /** Marks an image as a shopper's own, unless it is someone's already. */
    async claimForShopper(ctx: TenantContext, imageId: number, shopperId: number): Promise<void> {
      await images(ctx).where({ id: imageId }).whereNull('shopper_id').update({ shopper_id: shopperId });
    },

    /** Which of these images the shopper uploaded. */
    async ownedByShopper(ctx: TenantContext, imageIds: number[], shopperId: number): Promise<number[]> {
      if (imageIds.length === 0) return [];
      const rows = (await images(ctx).whereIn('id', imageIds).where({ shopper_id: shopperId }).select('id')) as Array<{
        id: number;
      }>;
      return rows.map((r) => Number(r.id));
    },

    /** Gives the images one shopper uploaded (review photos, chat images, avatars) to another (a merge). */
    async reassignShopper(ctx: TenantContext, fromId: number, toId: number): Promise<void> {
      await images(ctx).where({ shopper_id: fromId }).update({ shopper_id: toId });
    },
  };
}

export type ImagesRepository = ReturnType<typeof imagesRepository>;
