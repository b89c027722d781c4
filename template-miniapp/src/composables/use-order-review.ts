import { computed, reactive, ref } from 'vue';
import { onLoad, onShow } from '@dcloudio/uni-app';
import type { Order } from '@shopfleet/contracts';
import { REVIEW_IMAGES_MAX, REVIEW_LIMITS } from '@shopfleet/contracts/constants';
import { getOrder } from '../api/orders';
import { reviewOrder, uploadReviewImage } from '../api/reviews';
import { t } from '../locales';
import { pageQueryId } from '../platform/page-query';
import { ApiError, describeError } from '../request';
import { isSignedIn } from '../stores/session';
import { switchValue } from '../utils/events';
import { openLogin, openOrder } from '../utils/routes';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';
import { useLoginRedirect } from './use-login-redirect';

/** The words for 1 to 5 stars, by rating (index 0 unused). */
function ratingTexts(): readonly string[] {
  return ['', ...([1, 2, 3, 4, 5] as const).map((stars) => t(`orderReview.rating.${stars}`))];
}

interface Photo {
  /** The local file (a blob: URL on h5), shown until and after upload. */
  path: string;
  id: number | null;
  state: 'uploading' | 'done' | 'failed';
}

interface LineDraft {
  skuId: number;
  title: string;
  specValues: string[];
  imageUrl: string | null;
  rating: number;
  content: string;
  photos: Photo[];
  anonymous: boolean;
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

/** Rating a completed order: per line 1–5 stars, text, up to 6 photos and anonymity; sent once for all lines. */
export function useOrderReview() {
  let orderId: number | null = null;
  const signedIn = ref(false);
  const sendToLogin = useLoginRedirect();
  const order = ref<Order | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const drafts = ref<LineDraft[]>([]);
  const submitting = ref(false);
  const submitError = ref<string | null>(null);

  const closedReason = computed(() => {
    const o = order.value;
    if (!o) return null;
    if (o.reviewed) return t('orderReview.alreadyReviewed');
    if (o.status !== 'completed') return t('orderReview.notYet');
    return null;
  });
  const uploading = computed(() => drafts.value.some((d) => d.photos.some((p) => p.state === 'uploading')));

  async function load() {
    signedIn.value = isSignedIn();
    if (!signedIn.value) sendToLogin();
    if (!signedIn.value || order.value) return;
    if (orderId === null) {
      error.value = t('common.orderNotFound');
      return;
    }
    loading.value = true;
    error.value = null;
    try {
      const o = await getOrder(orderId);
      order.value = o;
      drafts.value = o.lines.map((line) =>
        reactive<LineDraft>({
          skuId: line.skuId,
          title: line.title,
          specValues: line.specValues,
          imageUrl: line.imageUrl,
          rating: 5,
          content: '',
          photos: [],
          anonymous: false,
        }),
      );
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) signedIn.value = isSignedIn();
      else error.value = describeError(e);
    } finally {
      loading.value = false;
    }
  }

  function rate(draft: LineDraft, stars: number) {
    draft.rating = Math.min(5, Math.max(1, stars));
  }

  async function upload(photo: Photo) {
    photo.state = 'uploading';
    try {
      photo.id = (await uploadReviewImage(photo.path)).id;
      photo.state = 'done';
    } catch (e) {
      photo.state = 'failed';
      uni.showToast({ title: describeError(e), icon: 'none' });
    }
  }

  async function addPhotos(draft: LineDraft) {
    const room = REVIEW_IMAGES_MAX - draft.photos.length;
    if (room <= 0) {
      uni.showToast({ title: t('orderReview.tooManyPhotos', { max: REVIEW_IMAGES_MAX }), icon: 'none' });
      return;
    }
    const paths = (await chooseImages(room)).slice(0, room);
    const added = paths.map((path) => reactive<Photo>({ path, id: null, state: 'uploading' }));
    draft.photos.push(...added);
    // One at a time: a phone on a slow network does better than with six parallel uploads.
    for (const photo of added) await upload(photo);
  }

  function retryPhoto(photo: Photo) {
    if (photo.state === 'failed') void upload(photo);
  }

  function removePhoto(draft: LineDraft, index: number) {
    draft.photos.splice(index, 1);
  }

  function previewPhoto(draft: LineDraft, index: number) {
    const urls = draft.photos.map((p) => p.path);
    uni.previewImage({ urls, current: urls[index] ?? urls[0] });
  }

  function onAnonymousChange(draft: LineDraft, event: Event) {
    draft.anonymous = switchValue(event);
  }

  function leave() {
    if (orderId === null) return;
    const pages = getCurrentPages();
    const previous = pages[pages.length - 2];
    if (previous?.route === 'pages/order/detail') uni.navigateBack();
    else openOrder(orderId, true);
  }

  async function submit() {
    if (orderId === null || submitting.value || !drafts.value.length) return;
    if (uploading.value) {
      uni.showToast({ title: t('orderReview.waitUploads'), icon: 'none' });
      return;
    }
    if (drafts.value.some((d) => d.photos.some((p) => p.state === 'failed'))) {
      uni.showToast({ title: t('orderReview.failedUploads'), icon: 'none' });
      return;
    }
    submitting.value = true;
    submitError.value = null;
    try {
      await reviewOrder(orderId, {
        items: drafts.value.map((d) => ({
          skuId: d.skuId,
          rating: d.rating,
          content: d.content.trim().slice(0, REVIEW_LIMITS.contentMax),
          imageIds: d.photos.map((p) => p.id).filter((id): id is number => id !== null),
          anonymous: d.anonymous,
        })),
      });
      uni.showToast({ title: t('orderReview.thanks'), icon: 'none' });
      setTimeout(leave, 800);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        uni.showToast({ title: t('orderReview.alreadyReviewed'), icon: 'none' });
        setTimeout(leave, 800);
      } else {
        submitError.value = describeError(e);
      }
    } finally {
      submitting.value = false;
    }
  }

  useShopBars({ tabPage: false, title: () => t('nav.orderReview') });
  onLoad((query) => {
    orderId = pageQueryId(query, 'orderId');
  });
  onShow(() => {
    void load();
  });

  return {
    ...useThemeVars(),
    primaryStyle: usePrimaryButtonStyle(),
    ratingText: ratingTexts(),
    imagesMax: REVIEW_IMAGES_MAX,
    contentMax: REVIEW_LIMITS.contentMax,
    signedIn,
    order,
    loading,
    error,
    closedReason,
    drafts,
    uploading,
    submitting,
    submitError,
    rate,
    addPhotos,
    retryPhoto,
    removePhoto,
    previewPhoto,
    onAnonymousChange,
    submit,
    leave,
    goSignIn: openLogin,
    retry: load,
  };
}
