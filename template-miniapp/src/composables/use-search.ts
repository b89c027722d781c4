import { computed, ref } from 'vue';
import { onLoad, onShow } from '@dcloudio/uni-app';
import { SHOP_SEARCH_MAX_CHARS } from '@shopfleet/contracts/constants';
import { t } from '../locales';
import { pageQueryValue } from '../platform/page-query';
import { hotWords, loadHotWords } from '../stores/hot-words';
import { clearSearchHistory, loadSearchHistory, rememberSearch, searchHistory } from '../stores/search-history';
import { openProductList } from '../utils/routes';
import { useShopBars, useThemeVars } from './shop-theme';

/** The search page: keyword input, the shopper's history (per shop) and hot words; results open in the product list. */
export function useSearch() {
  const keyword = ref('');
  const history = computed(() => searchHistory.value);

  function search(word?: string) {
    const q = (word ?? keyword.value).trim().slice(0, SHOP_SEARCH_MAX_CHARS);
    if (!q) {
      uni.showToast({ title: t('search.empty'), icon: 'none' });
      return;
    }
    keyword.value = q;
    rememberSearch(q);
    openProductList({ q });
  }

  function clearHistory() {
    clearSearchHistory();
  }

  useShopBars({ tabPage: false, title: () => t('nav.search') });
  onLoad((query) => {
    keyword.value = pageQueryValue(query, 'q').trim().slice(0, SHOP_SEARCH_MAX_CHARS);
  });
  onShow(() => {
    loadSearchHistory();
    void loadHotWords();
  });

  return { ...useThemeVars(), keyword, history, hotWords, search, submit: () => search(), clearHistory };
}
