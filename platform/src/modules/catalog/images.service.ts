import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { Knex } from 'knex';
import type { CatalogImage } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { IMAGE_INPUT, decodeImage } from '../../kernel/images';
import { TenantScope } from '../../kernel/db/tenant-scope';
import type { Storage } from '../../kernel/storage/s3';

const SIZES = { thumb: 240, medium: 750, large: 1500 } as const;
const ACCEPTED = new Set(['jpeg', 'png', 'webp']);
const LONG_CACHE = 'public, max-age=31536000, immutable';

export interface ImageRow {
  id: number;
  key_prefix: string | null;
  external_url: string | null;
  width: number;
  height: number;
}

/**
 * Catalog images: uploads are checked from their bytes, then stored once per content hash in three
 * sizes, each as JPEG and WebP, under immutable public URLs. Imported rows may instead keep an external
 * URL (the merchant's own CDN), served as is.
 */
export function imagesService(deps: { knex: Knex; storage: Storage }) {
  const scope = (ctx: TenantContext, trx?: Knex.Transaction) => new TenantScope(trx ?? deps.knex, ctx.tenantId);

  function view(row: ImageRow): CatalogImage {
    const pick = (size: keyof typeof SIZES) =>
      row.key_prefix
        ? { jpeg: deps.storage.publicUrl(`${row.key_prefix}/${size}.jpg`), webp: deps.storage.publicUrl(`${row.key_prefix}/${size}.webp`) }
        : { jpeg: row.external_url!, webp: row.external_url! };
    return { id: Number(row.id), width: row.width, height: row.height, thumb: pick('thumb'), medium: pick('medium'), large: pick('large') };
  }

  return {
    view,

    /** Stores an uploaded image (JPEG, PNG or WebP, proven by decoding) in its standard sizes. */
    async upload(ctx: TenantContext, bytes: Buffer): Promise<CatalogImage> {
      const meta = await decodeImage(bytes, ACCEPTED, 'Upload a JPEG, PNG or WebP image');
      const hash = createHash('sha256').update(bytes).digest('hex');
      const existing = (await scope(ctx).table('catalog_images').where({ hash }).first()) as ImageRow | undefined;
      if (existing) return view(existing);
      const prefix = `tenants/${ctx.tenantId}/images/${hash.slice(0, 32)}`;
      const base = sharp(bytes, IMAGE_INPUT).rotate();
      await Promise.all(
        (Object.entries(SIZES) as Array<[keyof typeof SIZES, number]>).flatMap(([size, px]) => {
          const resized = base.clone().resize(px, px, { fit: 'inside', withoutEnlargement: true }).flatten({ background: '#ffffff' });
          return [
            resized.clone().jpeg({ quality: 82, mozjpeg: true }).toBuffer().then((body) => deps.storage.put({ visibility: 'public', key: `${prefix}/${size}.jpg`, body, contentType: 'image/jpeg', cacheControl: LONG_CACHE })),
            resized.clone().webp({ quality: 80 }).toBuffer().then((body) => deps.storage.put({ visibility: 'public', key: `${prefix}/${size}.webp`, body, contentType: 'image/webp', cacheControl: LONG_CACHE })),
          ];
        }),
      );
      const id = await scope(ctx).insert('catalog_images', { hash, key_prefix: prefix, width: meta.width, height: meta.height });
      return view((await scope(ctx).table('catalog_images').where({ id }).first()) as ImageRow);
    },

    /** Marks an image as a shopper's own (a photo for a review), unless someone's already. */
    async claimForShopper(ctx: TenantContext, imageId: number, shopperId: number): Promise<void> {
      await scope(ctx).table('catalog_images').where({ id: imageId }).whereNull('shopper_id').update({ shopper_id: shopperId });
    },

    /** Which of these images the shopper uploaded. */
    async ownedByShopper(ctx: TenantContext, imageIds: number[], shopperId: number): Promise<number[]> {
      if (imageIds.length === 0) return [];
      const rows = (await scope(ctx).table('catalog_images').whereIn('id', imageIds).where({ shopper_id: shopperId }).select('id')) as Array<{ id: number }>;
      return rows.map((r) => Number(r.id));
    },

    /** The ids of images given by URL (an import), created once per URL. */
    async fromUrls(ctx: TenantContext, urls: string[], trx?: Knex.Transaction): Promise<number[]> {
      if (urls.length === 0) return [];
      const s = scope(ctx, trx);
      const found = (await s.table('catalog_images').whereIn('external_url', urls).select('id', 'external_url')) as Array<{ id: number; external_url: string }>;
      const byUrl = new Map(found.map((r) => [r.external_url, Number(r.id)]));
      const missing = [...new Set(urls.filter((u) => !byUrl.has(u)))];
      if (missing.length) {
        await s.table('catalog_images').insert(missing.map((u) => ({ external_url: u })));
        const created = (await s.table('catalog_images').whereIn('external_url', missing).select('id', 'external_url')) as Array<{ id: number; external_url: string }>;
        for (const r of created) byUrl.set(r.external_url, Number(r.id));
      }
      return urls.map((u) => byUrl.get(u)!);
    },

    /** Images of this tenant by id; ids of another tenant are simply not found. */
    async byIds(ctx: TenantContext, ids: number[], trx?: Knex.Transaction): Promise<Map<number, CatalogImage>> {
      if (ids.length === 0) return new Map();
      const rows = (await scope(ctx, trx).table('catalog_images').whereIn('id', [...new Set(ids)])) as ImageRow[];
      return new Map(rows.map((r) => [Number(r.id), view(r)]));
    },
  };
}

export type ImagesService = ReturnType<typeof imagesService>;
