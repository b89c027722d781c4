import { computed, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, type UploadRawFile, type UploadRequestOptions } from 'element-plus';
import type { CatalogImage } from '@shopfleet/contracts';
import { uploadCatalogImage } from '@/api/catalog';
import { useCatalogImageCheck } from '@/composables/use-catalog-image-check';

/** A place in the list: reserved when a file is chosen, filled when its upload ends. */
interface PhotoSlot {
  uid: number;
  image: CatalogImage | null;
}

/**
 * Photos the merchant attaches to a refusal (up to `max`): each uploaded as soon as it is chosen, through the
 * console's catalog image upload (the server takes the shop's own images as a step's photos), in the order chosen.
 */
export function usePhotoPicker(max: number) {
  const { t } = useI18n();
  const { imageAccept, checkImage } = useCatalogImageCheck();
  const slots = ref<PhotoSlot[]>([]);

  const photoIds = computed(() => slots.value.flatMap((slot) => (slot.image ? [slot.image.id] : [])));
  const uploading = computed(() => slots.value.some((slot) => slot.image === null));
  const full = computed(() => slots.value.length >= max);

  function beforeUpload(file: UploadRawFile): boolean {
    if (!checkImage(file)) return false;
    if (full.value) {
      ElMessage.warning(t('afterSales.photos.full', { max }));
      return false;
    }
    slots.value.push({ uid: file.uid, image: null });
    return true;
  }

  async function upload(options: UploadRequestOptions): Promise<void> {
    const uid = options.file.uid;
    try {
      const image = await uploadCatalogImage(options.file);
      const slot = slots.value.find((item) => item.uid === uid);
      if (slot) slot.image = image;
    } catch {
      // Shown by the request client; give the place back.
      slots.value = slots.value.filter((item) => item.uid !== uid);
    }
  }

  function remove(index: number): void {
    slots.value.splice(index, 1);
  }

  function clear(): void {
    slots.value = [];
  }

  return { slots, photoIds, uploading, full, max, imageAccept, beforeUpload, upload, remove, clear };
}

export type PhotoPicker = ReturnType<typeof usePhotoPicker>;
