import { computed, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, type UploadRawFile, type UploadRequestOptions } from 'element-plus';
import type { CatalogImage } from '@shopfleet/contracts';
import { PRODUCT_LIMITS } from '@shopfleet/contracts/constants';
import { uploadCatalogImage } from '@/api/catalog';
import { useCatalogImageCheck } from '@/composables/use-catalog-image-check';

/** A place in the product's image list: reserved when a file is chosen, filled when its upload ends. */
export interface ImageSlot {
  uid: number;
  image: CatalogImage | null;
}

/**
 * The product's images, in display order (the first is the main image): several files uploaded at once
 * keep the order they were chosen in; images move by drag and drop or arrows, and can be removed.
 */
export function useProductImages(onRemoved: (imageId: number) => void) {
  const { t } = useI18n();
  const { imageAccept, checkImage } = useCatalogImageCheck();
  const slots = ref<ImageSlot[]>([]);

  const images = computed(() => slots.value.flatMap((slot) => (slot.image ? [slot.image] : [])));
  const uploading = computed(() => slots.value.some((slot) => slot.image === null));
  const full = computed(() => slots.value.length >= PRODUCT_LIMITS.imagesMax);

  /** Checks the file and reserves its place, so uploads that finish out of order still land in order. */
  function beforeUpload(file: UploadRawFile): boolean {
    if (!checkImage(file)) return false;
    if (full.value) {
      ElMessage.warning(t('catalog.editor.imagesFull', { max: PRODUCT_LIMITS.imagesMax }));
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

  function move(from: number, to: number): void {
    const list = slots.value;
    const slot = list[from];
    if (!slot || to < 0 || to >= list.length || from === to) return;
    list.splice(from, 1);
    list.splice(to, 0, slot);
  }

  function remove(index: number): void {
    const [slot] = slots.value.splice(index, 1);
    if (slot?.image) onRemoved(slot.image.id);
  }

  // ---- drag and drop (HTML5) ----
  const dragging = ref<number | null>(null);

  function onDragStart(index: number, event: DragEvent): void {
    dragging.value = index;
    if (event.dataTransfer) {
      event.dataTransfer.effectAllowed = 'move';
      event.dataTransfer.setData('text/plain', String(index));
    }
  }

  function onDrop(index: number): void {
    if (dragging.value !== null) move(dragging.value, index);
    dragging.value = null;
  }

  function onDragEnd(): void {
    dragging.value = null;
  }

  function loadFrom(loaded: CatalogImage[]): void {
    slots.value = loaded.map((image, index) => ({ uid: -(index + 1), image }));
  }

  return {
    slots,
    images,
    uploading,
    full,
    imageAccept,
    beforeUpload,
    upload,
    move,
    remove,
    dragging,
    onDragStart,
    onDrop,
    onDragEnd,
    loadFrom,
  };
}

export type ProductImages = ReturnType<typeof useProductImages>;
