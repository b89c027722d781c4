import { computed, reactive } from 'vue';
import { useI18n } from 'vue-i18n';
import type { CouponAudience, CouponIssueMode, CouponKind, PromotionKind } from '@shopfleet/contracts';
import { COUPON_LIMITS } from '@shopfleet/contracts/constants';
import { createCouponTemplate, type CouponTemplateBody } from '@/api/marketing';
import { yuanToFen } from '@/utils/money';
import { useCampaignText } from '../common/campaign-text';
import {
  couponPeriodFieldOf,
  emptyScope,
  periodBody,
  periodFromNow,
  scopeBody,
  scopeFieldOf,
  scopeProblem,
  validityBody,
  type PeriodValue,
  type ScopeForm,
  type ValidityForm,
} from '../common/form-parts';
import { useCampaignEditor } from '../common/use-campaign-editor';

export interface CouponForm extends ScopeForm, ValidityForm {
  name: string;
  kind: CouponKind;
  /** Yuan as typed; 满减 needs one, 折扣 may have one, 无门槛 has none. */
  threshold: number | null;
  /** Yuan as typed (满减, 无门槛). */
  amountOff: number | null;
  /** Percent taken off, 1–99 (折扣): 15 is 8.5折. */
  discountPercent: number | null;
  /** Yuan as typed; the most a 折扣 coupon takes off, or none. */
  maxOff: number | null;
  claimPeriod: PeriodValue;
  totalQuantity: number | null;
  perShopperLimit: number;
  audience: CouponAudience;
  issueMode: CouponIssueMode;
  combinesWith: PromotionKind[];
}

/** The body fields a server issue can name, and the form field it is shown at. */
const FIELDS: Record<string, string> = {
  name: 'name',
  kind: 'kind',
  thresholdFen: 'threshold',
  amountOffFen: 'amountOff',
  discountPercent: 'discountPercent',
  maxOffFen: 'maxOff',
  totalQuantity: 'totalQuantity',
  perShopperLimit: 'perShopperLimit',
  audience: 'audience',
  issueMode: 'issueMode',
  combinesWith: 'combinesWith',
};

function blankForm(): CouponForm {
  return {
    name: '',
    kind: 'amount_off',
    threshold: null,
    amountOff: null,
    discountPercent: null,
    maxOff: null,
    ...emptyScope(),
    claimPeriod: periodFromNow(7),
    validityMode: 'days',
    validDays: 7,
    validPeriod: null,
    totalQuantity: null,
    perShopperLimit: 1,
    audience: 'everyone',
    issueMode: 'claim',
    combinesWith: [],
  };
}

/**
 * A new coupon template: 满减券, 折扣券 or 无门槛券 (the kind decides the discount fields), where it applies, when it is
 * claimed and how long it is valid, how many there are and for whom, how shoppers get it, and which promotions it
 * combines with. Money is typed in yuan and sent in fen. The form checks that what it needs is filled in; the rules
 * between fields (a threshold above the amount off, periods in order) are the server's, and its answers are shown
 * next to their fields.
 */
export function useCouponForm() {
  const { t } = useI18n();
  const { offOf } = useCampaignText();
  const form = reactive<CouponForm>(blankForm());
  const editor = useCampaignEditor({
    permission: 'marketing:coupon:manage',
    listRoute: 'merchant-marketing-coupons',
    fieldOf: ([head]) => (head ? (FIELDS[head] ?? scopeFieldOf(head) ?? couponPeriodFieldOf(head)) : null),
    bodyOf,
    create: createCouponTemplate,
    createdText: 'marketing.coupons.created',
  });
  const { errors, clear, set } = editor;

  /** "打 8.5 折" under the percent, as the shopper will read it. */
  const foldHint = computed(() =>
    form.discountPercent !== null && form.discountPercent >= 1 && form.discountPercent <= 99
      ? t('marketing.form.foldHint', { off: offOf(form.discountPercent), paid: 100 - form.discountPercent })
      : '',
  );

  function required(key: string, value: unknown): void {
    if (value === null || value === undefined || value === '') set(key, t('marketing.form.required'));
  }

  /** The body to send, or null with the errors marked. */
  function bodyOf(): CouponTemplateBody | null {
    clear();
    const name = form.name.trim();
    if (!name) set('name', t('marketing.form.nameRequired'));
    if (form.kind === 'amount_off') required('threshold', form.threshold);
    if (form.kind === 'percent_off') required('discountPercent', form.discountPercent);
    else required('amountOff', form.amountOff);
    const scope = scopeProblem(form);
    if (scope) set('scopeIds', t(scope));
    if (!form.claimPeriod) set('claimPeriod', t('marketing.form.periodRequired'));
    const validity = validityBody(form);
    if (!validity) set('validity', t('marketing.form.validityRequired'));
    required('totalQuantity', form.totalQuantity);
    if (Object.keys(errors).length || !form.claimPeriod || !validity || form.totalQuantity === null) return null;

    const [claimFrom, claimTo] = periodBody(form.claimPeriod);
    const discount =
      form.kind === 'percent_off'
        ? {
            discountPercent: form.discountPercent ?? 0,
            ...(form.maxOff !== null ? { maxOffFen: yuanToFen(form.maxOff) } : {}),
          }
        : { amountOffFen: yuanToFen(form.amountOff ?? 0) };
    return {
      name,
      kind: form.kind,
      thresholdFen: form.kind === 'no_threshold' ? 0 : yuanToFen(form.threshold ?? 0),
      ...discount,
      ...scopeBody(form),
      claimFrom,
      claimTo,
      ...validity,
      totalQuantity: form.totalQuantity,
      perShopperLimit: form.perShopperLimit,
      audience: form.audience,
      issueMode: form.issueMode,
      combinesWith: [...form.combinesWith],
    };
  }

  return { editor, form, errors, foldHint, limits: COUPON_LIMITS };
}
