import type { CatalogImage, ImageSize } from '@shopfleet/contracts';

/**
 * The URL to show for a catalog image at a size: thumb in lists, medium in the detail gallery, large in the full-screen
 * preview (a designer page's images carry only the size their block shows). WebP on both targets: h5 browsers decode it, and the
 * mini-program does when the `<image>` carries the `webp` attribute (always set it).
 */
export function imageUrl<S extends ImageSize>(image: Pick<CatalogImage, S> | null | undefined, size: S): string {
  return image ? image[size].webp : '';
}
