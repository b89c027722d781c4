import { useI18n } from 'vue-i18n';

interface Named {
  nameZh: string;
  nameEn: string;
}

interface Labelled {
  labelZh: string;
  labelEn: string;
}

/** Reference data carries both languages (categories, document types, their fields); pick the console's. */
export function useLocalized() {
  const { locale } = useI18n();
  const zh = (): boolean => locale.value.startsWith('zh');
  return {
    nameOf: (item: Named): string => (zh() ? item.nameZh : item.nameEn),
    labelOf: (item: Labelled): string => (zh() ? item.labelZh : item.labelEn),
  };
}
