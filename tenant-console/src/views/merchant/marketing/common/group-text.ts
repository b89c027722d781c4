import { useI18n } from 'vue-i18n';
import type { GroupCampaign, GroupStatus } from '@shopfleet/contracts';
import { formatFen } from '@/utils/money';

/** A group's status as its tag shows it. */
export const GROUP_STATUS_TAGS: Record<GroupStatus, 'primary' | 'info' | 'success' | 'warning' | 'danger'> = {
  pending: 'info',
  forming: 'warning',
  succeeded: 'success',
  failed: 'danger',
  cancelled: 'info',
};

/** Minutes as whole hours and the minutes left over: 150 → { hours: 2, minutes: 30 }. */
export function splitMinutes(total: number): { hours: number; minutes: number } {
  return { hours: Math.floor(total / 60), minutes: total % 60 };
}

/**
 * How the 拼团 pages say a campaign's rules: 3 人团, 24 小时内成团, 每人限购 2 件, 团长优惠 ¥5.00, 模拟成团; a SKU's spec
 * values (默认规格 for a product without specs).
 */
export function useGroupText() {
  const { t } = useI18n();

  function durationText(total: number): string {
    const { hours, minutes } = splitMinutes(total);
    if (hours && minutes) return t('marketing.groupBuys.hoursMinutes', { hours, minutes });
    return hours ? t('marketing.groupBuys.hoursOnly', { hours }) : t('marketing.groupBuys.minutesOnly', { minutes });
  }

  /** The campaign's rules in one line. */
  function rulesText(
    c: Pick<GroupCampaign, 'groupSize' | 'durationMinutes' | 'perShopperLimit' | 'leaderDiscountFen' | 'virtualFill'>,
  ): string {
    const parts = [
      t('marketing.groupBuys.sizeText', { count: c.groupSize }),
      t('marketing.groupBuys.durationText', { duration: durationText(c.durationMinutes) }),
      t('marketing.groupBuys.limitText', { count: c.perShopperLimit }),
    ];
    if (c.leaderDiscountFen > 0)
      parts.push(t('marketing.groupBuys.leaderText', { amount: formatFen(c.leaderDiscountFen) }));
    if (c.virtualFill) parts.push(t('marketing.groupBuys.virtualFillText'));
    return parts.join(' · ');
  }

  function skuText(specValues: readonly string[]): string {
    return specValues.join(' / ') || t('marketing.groupBuys.defaultSku');
  }

  return { durationText, rulesText, skuText };
}
