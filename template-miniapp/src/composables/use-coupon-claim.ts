import { ref, type Ref } from 'vue';
import type { ClaimableCoupon } from '@shopfleet/contracts';
import { claimCoupon } from '../api/marketing';
import { t } from '../locales';
import { ApiError, describeError } from '../request';
import { cannotClaimText } from '../utils/marketing';

type CannotClaimReason = NonNullable<ClaimableCoupon['cannotClaimReason']>;
const CANNOT_CLAIM: readonly string[] = ['COUPON_SOLD_OUT', 'CLAIM_LIMIT_REACHED', 'COUPON_NEW_SHOPPERS_ONLY'];

/**
 * Claiming from a list of the coupon centre's templates (the centre, the product page's sheet): the card is updated in
 * place — one more claimed, and off once the shopper's limit is reached; a refusal that says the template cannot be
 * claimed (sold out, limit, new shoppers only) turns its button off with that reason.
 */
export function useCouponClaim(coupons: Ref<ClaimableCoupon[]>) {
  const claiming = ref<number[]>([]);

  function update(id: number, change: (c: ClaimableCoupon) => ClaimableCoupon) {
    coupons.value = coupons.value.map((c) => (c.id === id ? change(c) : c));
  }

  async function claim(coupon: ClaimableCoupon) {
    if (!coupon.canClaim || claiming.value.includes(coupon.id)) return;
    claiming.value = [...claiming.value, coupon.id];
    try {
      await claimCoupon(coupon.id);
      update(coupon.id, (c) => {
        const claimedByMe = c.claimedByMe + 1;
        const full = claimedByMe >= c.perShopperLimit;
        return {
          ...c,
          claimedByMe,
          canClaim: !full,
          cannotClaimReason: full ? 'CLAIM_LIMIT_REACHED' : c.cannotClaimReason,
        };
      });
      uni.showToast({ title: t('couponCentre.claimed'), icon: 'success' });
    } catch (e) {
      if (e instanceof ApiError && e.reason && CANNOT_CLAIM.includes(e.reason)) {
        const reason = e.reason as CannotClaimReason;
        update(coupon.id, (c) => ({ ...c, canClaim: false, cannotClaimReason: reason }));
      }
      uni.showToast({ title: describeError(e), icon: 'none' });
    } finally {
      claiming.value = claiming.value.filter((id) => id !== coupon.id);
    }
  }

  /** The button's words: claim (claim another, under a limit above one), else why not. */
  function claimText(coupon: ClaimableCoupon): string {
    if (coupon.canClaim) return coupon.claimedByMe > 0 ? t('couponCentre.claimAgain') : t('couponCentre.claim');
    return coupon.cannotClaimReason ? cannotClaimText(coupon.cannotClaimReason) : t('couponCentre.notClaimable');
  }

  return { claiming, claim, claimText, isClaiming: (c: ClaimableCoupon) => claiming.value.includes(c.id) };
}
