import { computed, reactive } from 'vue';
import { useI18n } from 'vue-i18n';
import type { TierBasis } from '@shopfleet/contracts';
import { PROMOTION_LIMITS } from '@shopfleet/contracts/constants';
import { createPromotion, type FullReductionBody } from '@/api/marketing';
import { yuanToFen } from '@/utils/money';
import {
  emptyScope,
  periodBody,
  periodFromNow,
  promotionPeriodFieldOf,
  scopeBody,
  scopeFieldOf,
  scopeProblem,
  type PeriodValue,
  type ScopeForm,
} from '../common/form-parts';
import { PROMOTION_ROUTES } from '../common/use-promotion-list';
import { useCampaignEditor } from '../common/use-campaign-editor';

/** What every tier takes off: an amount (满减) or a percent (满折). */
export type TierBenefit = 'amount' | 'percent';

export interface TierForm {
  /** A stable key for the row while tiers are added and removed. */
  key: number;
  /** Yuan as typed (order amount), or an item count. */
  threshold: number | null;
  /** Yuan as typed. */
  amountOff: number | null;
  /** Percent taken off, 1–99. */
  discountPercent: number | null;
}

export interface FullReductionForm extends ScopeForm {
  name: string;
  period: PeriodValue;
  basis: TierBasis;
  benefit: TierBenefit;
  tiers: TierForm[];
}

let nextKey = 1;
const blankTier = (): TierForm => ({ key: nextKey++, threshold: null, amountOff: null, discountPercent: null });

/** The form field of a server issue's path (without `body.fullReduction.`). */
function fieldOf([head, index, field]: string[]): string | null {
  if (head === 'name' || head === 'basis') return head;
  if (head === 'tiers') {
    if (index === undefined) return 'tiers';
    if (field === 'threshold') return `tiers.${index}.threshold`;
    if (field === 'amountOffFen' || field === 'discountPercent') return `tiers.${index}.benefit`;
    return `tiers.${index}`;
  }
  return promotionPeriodFieldOf(head) ?? scopeFieldOf(head);
}

/**
 * A new 满减/满折: its name and period, what the tiers count (the order amount or the items), 1–5 tiers that all take
 * an amount or all a percent off, and the products it covers. The form checks that each tier is filled in; that the
 * tiers rise (TIERS_OVERLAP) and an amount stays below its threshold are the server's rules, shown at the tier.
 */
export function useFullReductionForm() {
  const { t } = useI18n();
  const form = reactive<FullReductionForm>({
    name: '',
    period: periodFromNow(7),
    basis: 'amount',
    benefit: 'amount',
    tiers: [blankTier()],
    ...emptyScope(),
  });
  const editor = useCampaignEditor({
    permission: 'marketing:promotion:manage',
    listRoute: PROMOTION_ROUTES.full_reduction.list,
    prefix: 'fullReduction.',
    fieldOf,
    bodyOf,
    create: (body: FullReductionBody) => createPromotion({ kind: 'full_reduction', fullReduction: body }),
    createdText: 'marketing.promotions.created',
  });
  const { errors, clear, set } = editor;
  const tiersFull = computed(() => form.tiers.length >= PROMOTION_LIMITS.tiersMax);

  function addTier(): void {
    if (!tiersFull.value) form.tiers.push(blankTier());
  }

  function removeTier(index: number): void {
    if (form.tiers.length > 1) form.tiers.splice(index, 1);
    clear();
  }

  /** The body to send, or null with the errors marked. */
  function bodyOf(): FullReductionBody | null {
    clear();
    const name = form.name.trim();
    if (!name) set('name', t('marketing.form.nameRequired'));
    if (!form.period) set('period', t('marketing.form.periodRequired'));
    form.tiers.forEach((tier, i) => {
      if (tier.threshold === null) set(`tiers.${i}.threshold`, t('marketing.form.required'));
      const benefit = form.benefit === 'amount' ? tier.amountOff : tier.discountPercent;
      if (benefit === null) set(`tiers.${i}.benefit`, t('marketing.form.required'));
    });
    const scope = scopeProblem(form);
    if (scope) set('scopeIds', t(scope));
    if (Object.keys(errors).length || !form.period) return null;

    const [startsAt, endsAt] = periodBody(form.period);
    return {
      name,
      startsAt,
      endsAt,
      basis: form.basis,
      tiers: form.tiers.map((tier) => ({
        threshold: form.basis === 'amount' ? yuanToFen(tier.threshold ?? 0) : (tier.threshold ?? 0),
        ...(form.benefit === 'amount'
          ? { amountOffFen: yuanToFen(tier.amountOff ?? 0) }
          : { discountPercent: tier.discountPercent ?? 0 }),
      })),
      ...scopeBody(form),
    };
  }

  return {
    editor,
    canManage: editor.canManage,
    form,
    errors,
    tiersFull,
    limits: PROMOTION_LIMITS,
    addTier,
    removeTier,
  };
}
