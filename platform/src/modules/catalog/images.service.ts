import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { CatalogImage } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { IMAGE_INPUT, decodeImage } from '../../kernel/images';
import type { Storage } from '../../kernel/storage/s3';
import type { ImagesRepository, StoredImage } from './images.repository';

const SIZES = { thumb: 240, medium: 750, large: 1500 } as const;
const ACCEPTED = new Set(['jpeg', 'png', 'webp']);
const LONG_CACHE = 'public, max-age=31536000, immutable';

/**
 * Catalog images: uploads are checked from their bytes, then stored once per content hash in three
 * sizes, each as JPEG and WebP, under immutable public URLs. Imported rows may instead keep an external
 * URL (the merchant's own CDN), served as is.
 */
export function imagesService(deps: { repo: ImagesRepository; storage: Storage }) {
  function view(image: StoredImage): CatalogImage {
    const pick = (size: keyof typeof SIZES) =>
      image.keyPrefix
        ? {
            jpeg: deps.storage.publicUrl(`${image.keyPrefix}/${size}.jpg`),
            webp: deps.storage.publicUrl(`${image.keyPrefix}/${size}.webp`),
          }
        : { jpeg: image.externalUrl!, webp: image.externalUrl! };
    return {
      id: image.id,
      width: image.width,
      height: image.height,
      thumb: pick('thumb'),
      medium: pick('medium'),
      large: pick('large'),
    };
  }

  return {
    view,

    /** Stores an uploaded image (JPEG, PNG or WebP, proven by decoding) in its standard sizes. */
    async upload(ctx: TenantContext, bytes: Buffer): Promise<CatalogImage> {
      const meta = await decodeImage(bytes, ACCEPTED, 'Upload a JPEG, PNG or WebP image');
      const hash = createHash('sha256').update(bytes).digest('hex');
      const existing = await deps.repo.byHash(ctx, hash);
      if (existing) return view(existing);
      const prefix = `tenants/${ctx.tenantId}/images/${hash.slice(0, 32)}`;
      const base = sharp(bytes, IMAGE_INPUT).rotate();
      await Promise.all(
        (Object.entries(SIZES) as Array<[keyof typeof SIZES, number]>).flatMap(([size, px]) => {
          const resized = base
            .clone()
            .resize(px, px, { fit: 'inside', withoutEnlargement: true })
            .flatten({ background: '#ffffff' });
          return [
            resized
              .clone()
              .jpeg({ quality: 82, mozjpeg: true })
              .toBuffer()
              .then((body) =>
                deps.storage.put({
                  visibility: 'public',
                  key: `${prefix}/${size}.jpg`,
                  body,
                  contentType: 'image/jpeg',
                  cacheControl: LONG_CACHE,
                }),
              ),
            resized
              .clone()
              .webp({ quality: 80 })
              .toBuffer()
              .then((body) =>
                deps.storage.put({
                  visibility: 'public',
                  key: `${prefix}/${size}.webp`,
                  body,
                  contentType: 'image/webp',
                  cacheControl: LONG_CACHE,
                }),
              ),
          ];
        }),
      );
      return view(
        await deps.repo.insertStored(ctx, { hash, keyPrefix: prefix, width: meta.width, height: meta.height }),
      );
    },

    /** Marks an image as a shopper's own (a photo for a review), unless someone's already. */
    claimForShopper: (ctx: TenantContext, imageId: number, shopperId: number): Promise<void> =>
      deps.repo.claimForShopper(ctx, imageId, shopperId),

    /** A merge (in its transaction): the images `fromId` uploaded become `toId`'s, to attach as theirs. */
    absorbShopper: (tctx: TenantContext, fromId: number, toId: number): Promise<void> =>
      deps.repo.reassignShopper(tctx, fromId, toId),

    /** Which of these images the shopper uploaded. */
    ownedByShopper: (ctx: TenantContext, imageIds: number[], shopperId: number): Promise<number[]> =>
      deps.repo.ownedByShopper(ctx, imageIds, shopperId),

    /** The ids of images given by URL (an import), created once per URL. */
    async fromUrls(ctx: TenantContext, urls: string[]): Promise<number[]> {
      if (urls.length === 0) return [];
      const byUrl = await deps.repo.idsOfUrls(ctx, urls);
      return urls.map((u) => byUrl.get(u)!);
    },

    /** Images of this tenant by id; ids of another tenant are simply not found. */
    async byIds(ctx: TenantContext, ids: number[]): Promise<Map<number, CatalogImage>> {
      return new Map((await deps.repo.byIds(ctx, ids)).map((i) => [i.id, view(i)]));
    },

    /** The URL of every image of the shop in its large size (or its own URL): what an export names. */
    async largeUrls(ctx: TenantContext): Promise<Map<number, string>> {
      return new Map(
        (await deps.repo.all(ctx)).map((i) => [
          i.id,
          i.externalUrl ?? deps.storage.publicUrl(`${i.keyPrefix}/large.jpg`),
        ]),
      );
    },
  };
}

export type ImagesService = ReturnType<typeof imagesService>;
