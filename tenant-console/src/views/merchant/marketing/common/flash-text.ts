import { useI18n } from 'vue-i18n';
import type { FlashItem } from '@shopfleet/contracts';

/**
 * How the 秒杀 pages say a session's SKU: its product's title and spec values (默认规格 for a product without specs),
 * and its per-shopper limit.
 */
export function useFlashText() {
  const { t } = useI18n();

  function skuText(item: Pick<FlashItem, 'specValues'>): string {
    return item.specValues.join(' / ') || t('marketing.flashSales.defaultSku');
  }

  function limitText(limit: number): string {
    return t('marketing.flashSales.limitText', { count: limit });
  }

  function windowText(minutes: number): string {
    return t('marketing.flashSales.windowText', { minutes });
  }

  return { skuText, limitText, windowText };
}
