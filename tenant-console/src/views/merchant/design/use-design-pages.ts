import { computed, onMounted, reactive, ref } from 'vue';
import { useRouter } from 'vue-router';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox } from 'element-plus';
import type { DesignTabBar, PageSummary, TabBar } from '@shopfleet/contracts';
import { PAGE_KEY_PATTERN, TAB_PAGES, type TabPage } from '@shopfleet/contracts/constants';
import { createDesignPage, deleteDesignPage, getTabBar, listDesignPages, updateTabBar } from '@/api/storefront';
import { useMerchantSessionStore } from '@/stores/merchant-session';

/** A tab page in the tab bar editor: shown or not, its text and icons. */
export interface TabRow {
  page: TabPage;
  shown: boolean;
  text: string;
  iconId: number | null;
  selectedIconId: number | null;
  iconUrl: string | null;
  selectedIconUrl: string | null;
}

/** The tab bar as the editor holds it: its colours and a row for every tab page of the template, in its order. */
export interface TabBarForm {
  color: string;
  selectedColor: string;
  backgroundColor: string;
  rows: TabRow[];
}

/** The editor's form of a tab bar: the tabs it shows, and the template's other tab pages not shown. */
export function tabBarForm(bar: DesignTabBar, defaultText: (page: TabPage) => string): TabBarForm {
  return {
    color: bar.color,
    selectedColor: bar.selectedColor,
    backgroundColor: bar.backgroundColor,
    rows: TAB_PAGES.map((page) => {
      const item = bar.items.find((i) => i.page === page);
      return item
        ? { ...item, shown: true }
        : {
            page,
            shown: false,
            text: defaultText(page),
            iconId: null,
            selectedIconId: null,
            iconUrl: null,
            selectedIconUrl: null,
          };
    }),
  };
}

/** The tab bar to save: the tabs shown (the home page always), in the template's order. */
export function tabBarBody(form: TabBarForm): TabBar {
  return {
    color: form.color,
    selectedColor: form.selectedColor,
    backgroundColor: form.backgroundColor,
    items: form.rows
      .filter((r) => r.shown || r.page === 'home')
      .map(({ page, text, iconId, selectedIconId }) => ({ page, text, iconId, selectedIconId })),
  };
}

/** The shop designer's pages (the home page and custom pages) and the tab bar editor. */
export function useDesignPages() {
  const { t } = useI18n();
  const router = useRouter();
  const session = useMerchantSessionStore();
  const canManage = computed(() => session.can('shop:design:manage'));
  const pages = ref<PageSummary[]>([]);
  const loading = ref(false);
  const creating = reactive({ open: false, key: '', title: '', busy: false });
  const keyValid = computed(() => PAGE_KEY_PATTERN.test(creating.key) && creating.key !== 'home');
  const tabBar = ref<TabBarForm | null>(null);
  const defaultText = (page: TabPage) => t(`design.tabTexts.${page}`);
  const savingTabBar = ref(false);

  async function load() {
    loading.value = true;
    try {
      const [list, bar] = await Promise.all([listDesignPages(), getTabBar()]);
      pages.value = list;
      tabBar.value = tabBarForm(bar, defaultText);
    } finally {
      loading.value = false;
    }
  }

  function edit(page: PageSummary) {
    void router.push({ name: 'merchant-design-page', params: { id: page.id } });
  }

  async function create() {
    creating.busy = true;
    try {
      const page = await createDesignPage({ key: creating.key, title: creating.title });
      creating.open = false;
      creating.key = '';
      creating.title = '';
      void router.push({ name: 'merchant-design-page', params: { id: page.id } });
    } catch {
      // Shown by the request client.
    } finally {
      creating.busy = false;
    }
  }

  async function remove(page: PageSummary) {
    try {
      await ElMessageBox.confirm(t('design.deleteConfirm', { title: page.title }), t('design.delete'), {
        type: 'warning',
      });
    } catch {
      return;
    }
    await deleteDesignPage(page.id);
    ElMessage.success(t('design.deleted'));
    await load();
  }

  async function saveTabBar() {
    if (!tabBar.value) return;
    savingTabBar.value = true;
    try {
      tabBar.value = tabBarForm(await updateTabBar(tabBarBody(tabBar.value)), defaultText);
      ElMessage.success(t('design.tabBarSaved'));
    } catch {
      // Shown by the request client.
    } finally {
      savingTabBar.value = false;
    }
  }

  onMounted(load);
  return { canManage, pages, loading, creating, keyValid, tabBar, savingTabBar, edit, create, remove, saveTabBar };
}
