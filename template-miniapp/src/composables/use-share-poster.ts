import { computed, ref } from 'vue';
import type { Share, SharePoster } from '@shopfleet/contracts';
import { createShare, createSharePoster } from '../api/sharing';
import { t } from '../locales';
import { copyPageLink } from '../platform/share';
import { savePoster, shareChannel } from '../platform/share-code';
import { describeError } from '../request';
import { isSignedIn } from '../stores/session';
import { openLogin } from '../utils/routes';

/**
 * A product's share for the signed-in shopper: the share code that the chat share's path carries (asked for quietly,
 * no image is made), and the poster sheet — the poster with its code, saved to the album (mini-program) or opened by
 * the browser (h5), and the link to copy on h5.
 */
export function useSharePoster(productId: () => number | null) {
  const share = ref<Share | null>(null);
  const poster = ref<SharePoster | null>(null);
  const open = ref(false);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const isH5 = shareChannel() === 'h5';

  /** The shopper's share code of the product, for the chat share's path; nothing when signed out or on failure. */
  async function prepare(): Promise<void> {
    const id = productId();
    if (id === null || !isSignedIn() || share.value?.targetId === id) return;
    try {
      share.value = await createShare(id);
    } catch {
      // A chat share without the code still opens the product.
    }
  }

  async function load(): Promise<void> {
    const id = productId();
    if (id === null) return;
    loading.value = true;
    error.value = null;
    try {
      poster.value = await createSharePoster(id, shareChannel());
      share.value = poster.value.share;
    } catch (e) {
      error.value = describeError(e);
    } finally {
      loading.value = false;
    }
  }

  /** The share button: the sheet with the poster (signing in first: a share is the shopper's own). */
  function openShare(): void {
    if (!isSignedIn()) {
      openLogin();
      return;
    }
    open.value = true;
    if (!poster.value || poster.value.share.targetId !== productId()) void load();
  }

  function save(): void {
    const url = poster.value?.posterUrl;
    if (!url) return;
    savePoster(url, (saved) => {
      if (!isH5) uni.showToast({ title: saved ? t('share.saved') : t('share.saveFailed'), icon: 'none' });
    });
  }

  function preview(): void {
    const url = poster.value?.posterUrl;
    if (url) uni.previewImage({ urls: [url] });
  }

  return {
    share,
    poster,
    shareOpen: open,
    shareLoading: loading,
    shareError: error,
    shareIsH5: isH5,
    shareLink: computed(() => share.value?.link ?? ''),
    prepareShare: prepare,
    openShare,
    closeShare: () => {
      open.value = false;
    },
    retryShare: load,
    savePosterImage: save,
    previewPoster: preview,
    copyShareLink: () => copyPageLink(share.value?.link ?? '', t('share.linkCopied')),
  };
}
