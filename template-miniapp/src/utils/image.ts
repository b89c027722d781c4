import type { CatalogImage } from '@shopfleet/contracts';

/** thumb in lists, medium in the detail gallery, large in the full-screen preview. */
export type ImageSize = 'thumb' | 'medium' | 'large';

/**
 * The URL to show for a catalog image. WebP on both targets: h5 browsers decode it, and the
 * mini-program does when the `<image>` carries the `webp` attribute (always set it).
 */
export function imageUrl(image: CatalogImage | null | undefined, size: ImageSize): string {
  return image ? image[size].webp : '';
}
