import { useI18n } from 'vue-i18n';
import { ElMessage, type UploadRawFile } from 'element-plus';
import { CATALOG_IMAGE_ACCEPT, CATALOG_IMAGE_MAX_BYTES, CATALOG_IMAGE_TYPES } from '@/utils/contract-constants';
import { formatBytes } from '@/utils/format';

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
