import { computed, ref } from 'vue';
import { onShow } from '@dcloudio/uni-app';
import type { CategoryNode } from '@shopfleet/contracts';
import { getCategories } from '../api/catalog';
import { t } from '../locales';
import { describeError } from '../request';
import { openProductList } from '../utils/routes';
import { useShopBars, useThemeVars } from './shop-theme';

/** The category tab: top-level categories on the left, the chosen one's subtree on the right. */
export function useCategories() {
  const tree = ref<CategoryNode[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const selectedId = ref<number | null>(null);

  const selected = computed(() => tree.value.find((node) => node.id === selectedId.value) ?? tree.value[0] ?? null);
  /** Children without children of their own, shown together as one grid. */
  const leafChildren = computed(() => selected.value?.children.filter((child) => child.children.length === 0) ?? []);
  /** Children with a subtree, each shown as a heading over its own children. */
  const groupChildren = computed(() => selected.value?.children.filter((child) => child.children.length > 0) ?? []);

  async function load() {
    if (loading.value) return;
    loading.value = true;
    error.value = null;
    try {
      tree.value = await getCategories();
      loaded.value = true;
      if (!tree.value.some((node) => node.id === selectedId.value)) selectedId.value = tree.value[0]?.id ?? null;
    } catch (e) {
      error.value = describeError(e);
    } finally {
      loading.value = false;
    }
  }

  function select(node: CategoryNode) {
    selectedId.value = node.id;
  }

  function open(node: CategoryNode) {
    openProductList({ categoryId: node.id, title: node.name });
  }

  useShopBars({ tabPage: true, title: () => t('nav.category') });
  onShow(() => {
    if (!loaded.value) void load();
  });

  return {
    ...useThemeVars(),
    tree,
    loaded,
    loading,
    error,
    selected,
    leafChildren,
    groupChildren,
    select,
    open,
    retry: load,
  };
}
