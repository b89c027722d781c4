import { computed, reactive, ref } from 'vue';
import { t } from '../locales';
import { describeError } from '../request';

export interface PhotoUpload {
  /** The local file (a blob: URL on h5), shown before and after upload. */
  path: string;
  id: number | null;
  state: 'uploading' | 'done' | 'failed';
}

function chooseImages(count: number): Promise<string[]> {
  return new Promise((resolve) => {
    uni.chooseImage({
      count,
      sizeType: ['compressed'],
      sourceType: ['album', 'camera'],
      success(res) {
        const paths = res.tempFilePaths;
        resolve(Array.isArray(paths) ? paths : [paths]);
      },
      fail() {
        resolve([]);
      },
    });
  });
}

/**
 * Photos a shopper adds to a form, as the review page takes them: chosen with uni.chooseImage (at most `max` in all),
 * each uploaded at once through `upload`, one at a time; a failed one can be retried or removed.
 */
export function usePhotoUploads(max: number, upload: (path: string) => Promise<{ id: number }>) {
  const photos = ref<PhotoUpload[]>([]);
  const uploading = computed(() => photos.value.some((p) => p.state === 'uploading'));
  const failed = computed(() => photos.value.some((p) => p.state === 'failed'));
  const ids = computed(() => photos.value.map((p) => p.id).filter((id): id is number => id !== null));

  async function send(photo: PhotoUpload) {
    photo.state = 'uploading';
    try {
      photo.id = (await upload(photo.path)).id;
      photo.state = 'done';
    } catch (e) {
      photo.state = 'failed';
      uni.showToast({ title: describeError(e), icon: 'none' });
    }
  }

  async function add() {
    const room = max - photos.value.length;
    if (room <= 0) {
      uni.showToast({ title: t('afterSales.apply.tooManyPhotos', { max }), icon: 'none' });
      return;
    }
    const added = (await chooseImages(room))
      .slice(0, room)
      .map((path) => reactive<PhotoUpload>({ path, id: null, state: 'uploading' }));
    photos.value.push(...added);
    // One at a time: a phone on a slow network does better than with nine parallel uploads.
    for (const photo of added) await send(photo);
  }

  function retry(photo: PhotoUpload) {
    if (photo.state === 'failed') void send(photo);
  }

  /** The photo at `index` again (a component hands back an index: its props are copies on a mini-program). */
  function retryAt(index: number) {
    const photo = photos.value[index];
    if (photo) retry(photo);
  }

  function remove(index: number) {
    photos.value.splice(index, 1);
  }

  /** None again (the form was sent). */
  function clear() {
    photos.value = [];
  }

  function preview(index: number) {
    const urls = photos.value.map((p) => p.path);
    uni.previewImage({ urls, current: urls[index] ?? urls[0] });
  }

  return { photos, uploading, failed, ids, add, retry, retryAt, remove, clear, preview };
}
