import { useI18n } from 'vue-i18n';
import { ElMessage, type UploadRawFile } from 'element-plus';
import { CATALOG_IMAGE_MAX_BYTES } from '@shopfleet/contracts/constants';
import { formatBytes } from '@/utils/format';

/** The images the server takes for products, categories and banners (JPEG, PNG or WebP). */
const CATALOG_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
const CATALOG_IMAGE_ACCEPT = '.jpg,.jpeg,.png,.webp';

/** What POST /catalog/images takes (JPEG, PNG or WebP of at most 10 MB), checked before uploading. */
export function useCatalogImageCheck() {
  const { t } = useI18n();

  function checkImage(file: UploadRawFile): boolean {
    if (!CATALOG_IMAGE_TYPES.some((type) => type === file.type)) {
      ElMessage.error(t('catalog.images.typeInvalid'));
      return false;
    }
    if (file.size > CATALOG_IMAGE_MAX_BYTES) {
      ElMessage.error(t('catalog.images.tooLarge', { max: formatBytes(CATALOG_IMAGE_MAX_BYTES) }));
      return false;
    }
    return true;
  }

  return { imageAccept: CATALOG_IMAGE_ACCEPT, checkImage };
}
