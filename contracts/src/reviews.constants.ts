/** Most photos of one review. */
export const REVIEW_IMAGES_MAX = 6;

/** Limits of reviewInputSchema (a review's text), replyReviewBodySchema and hideReviewBodySchema. */
export const REVIEW_LIMITS = { contentMax: 500, replyMax: 500, hideReasonMax: 200 } as const;
