import { computed, onMounted, reactive, ref } from 'vue';
import { useRouter } from 'vue-router';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox } from 'element-plus';
import type { PageSummary, TabBar } from '@shopfleet/contracts';
import { PAGE_KEY_PATTERN } from '@shopfleet/contracts/constants';
import { createDesignPage, deleteDesignPage, getTabBar, listDesignPages, updateTabBar } from '@/api/storefront';
import { useMerchantSessionStore } from '@/stores/merchant-session';

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
  const tabBar = ref<TabBar | null>(null);
  const savingTabBar = ref(false);

  async function load() {
    loading.value = true;
    try {
      [pages.value, tabBar.value] = await Promise.all([listDesignPages(), getTabBar()]);
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
      tabBar.value = await updateTabBar(tabBar.value);
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
