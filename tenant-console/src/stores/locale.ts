import { computed, ref, watch } from 'vue';
import { defineStore } from 'pinia';
import en from 'element-plus/es/locale/lang/en';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import { i18n, persistLocale, storedLocale, type AppLocale } from '@/locales';

/** The console's language; Element Plus's own texts follow it through el-config-provider. */
export const useLocaleStore = defineStore('locale', () => {
  const locale = ref<AppLocale>(storedLocale());

  const elementLocale = computed(() => (locale.value === 'zh-CN' ? zhCn : en));

  watch(
    locale,
    (value) => {
      i18n.global.locale.value = value;
      persistLocale(value);
      document.documentElement.lang = value;
    },
    { immediate: true },
  );

  function setLocale(value: AppLocale): void {
    locale.value = value;
  }

  return { locale, elementLocale, setLocale };
});
