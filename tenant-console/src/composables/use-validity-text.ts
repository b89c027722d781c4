import { useI18n } from 'vue-i18n';
import { formatDate } from '@/utils/format';

interface Validity {
  validFrom: string | null;
  validTo: string | null;
  longTerm: boolean;
}

/** A document's validity for people: "2024-01-01 – 2034-01-01", "2024-01-01 – 长期", "至 2030-05-01". */
export function useValidityText() {
  const { t } = useI18n();
  return function validityText(doc: Validity): string {
    const longTerm = t('onboarding.longTerm');
    if (doc.longTerm) return doc.validFrom ? `${formatDate(doc.validFrom)} – ${longTerm}` : longTerm;
    if (doc.validFrom && doc.validTo) return `${formatDate(doc.validFrom)} – ${formatDate(doc.validTo)}`;
    if (doc.validTo) return t('onboarding.validUntil', { date: formatDate(doc.validTo) });
    if (doc.validFrom) return t('onboarding.validSince', { date: formatDate(doc.validFrom) });
    return '—';
  };
}
