import { computed, ref, shallowRef, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import type { MerchantReview } from '@shopfleet/contracts';
import { REVIEW_LIMITS } from '@shopfleet/contracts/constants';
import { hideReview, replyReview } from '@/api/product-reviews';

/**
 * Answering a review (the shop's public reply, replacing an earlier one) and hiding an abusive one from
 * the shop, or showing it again, with a reason. Each ends with `changed`, so the list can reload.
 */
export function useProductReviewActions(changed: () => Promise<void>) {
  const { t } = useI18n();

  // ---- reply ----
  const replying = shallowRef<MerchantReview | null>(null);
  const replyText = ref('');
  const replyError = ref('');
  const replySaving = ref(false);
  const replyOpen = computed({
    get: () => replying.value !== null,
    set: (open: boolean) => {
      if (!open) replying.value = null;
    },
  });

  function openReply(review: MerchantReview): void {
    replying.value = review;
    replyText.value = review.reply?.content ?? '';
    replyError.value = '';
  }

  async function confirmReply(): Promise<void> {
    const review = replying.value;
    if (!review) return;
    const content = replyText.value.trim();
    if (!content || content.length > REVIEW_LIMITS.replyMax) {
      replyError.value = t('productReviews.replyRequired', { max: REVIEW_LIMITS.replyMax });
      return;
    }
    replySaving.value = true;
    try {
      await replyReview(review.id, { content });
      replying.value = null;
      ElMessage.success(t('productReviews.replied'));
      await changed();
    } catch {
      // Shown by the request client; the dialog keeps the text.
    } finally {
      replySaving.value = false;
    }
  }

  watch(replyText, () => (replyError.value = ''));

  // ---- hide / show ----
  const toggling = shallowRef<MerchantReview | null>(null);
  const reason = ref('');
  const reasonError = ref('');
  const visibilitySaving = ref(false);
  const visibilityOpen = computed({
    get: () => toggling.value !== null,
    set: (open: boolean) => {
      if (!open) toggling.value = null;
    },
  });
  /** The dialog hides a visible review, or shows a hidden one again. */
  const hiding = computed(() => toggling.value !== null && !toggling.value.hidden);

  function openVisibility(review: MerchantReview): void {
    toggling.value = review;
    reason.value = '';
    reasonError.value = '';
  }

  async function confirmVisibility(): Promise<void> {
    const review = toggling.value;
    if (!review) return;
    const text = reason.value.trim();
    // Hiding says why (the server keeps it with the review); showing again may.
    if ((!review.hidden && !text) || text.length > REVIEW_LIMITS.hideReasonMax) {
      reasonError.value = t('productReviews.reasonRequired', { max: REVIEW_LIMITS.hideReasonMax });
      return;
    }
    visibilitySaving.value = true;
    try {
      const next = await hideReview(review.id, { hidden: !review.hidden, reason: text });
      toggling.value = null;
      ElMessage.success(t(next.hidden ? 'productReviews.hidden' : 'productReviews.shown'));
      await changed();
    } catch {
      // Shown by the request client; the dialog keeps the reason.
    } finally {
      visibilitySaving.value = false;
    }
  }

  watch(reason, () => (reasonError.value = ''));

  return {
    replying,
    replyOpen,
    replyText,
    replyError,
    replyMax: REVIEW_LIMITS.replyMax,
    replySaving,
    openReply,
    confirmReply,
    toggling,
    visibilityOpen,
    hiding,
    reason,
    reasonError,
    reasonMax: REVIEW_LIMITS.hideReasonMax,
    visibilitySaving,
    openVisibility,
    confirmVisibility,
  };
}
