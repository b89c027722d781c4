import { computed, onMounted, reactive, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRoute, useRouter, type LocationQuery, type LocationQueryValue } from 'vue-router';
import { ElMessage, ElMessageBox } from 'element-plus';
import type { ProductStatus } from '@shopfleet/contracts';
import { PRODUCT_STATUSES, type BatchProductAction } from '@shopfleet/contracts/constants';
import { batchProducts, deleteProduct, listProducts, type ProductSummary } from '@/api/catalog';
import { PAGE_SIZES, usePagedList } from '@/composables/use-paged-list';
import { useCatalogCategoriesStore } from '@/stores/catalog-categories';
import { useMerchantSessionStore } from '@/stores/merchant-session';

export interface ProductFilters {
  q: string;
  categoryId: number | null;
  status: ProductStatus | '';
}

function first(value: LocationQueryValue | LocationQueryValue[] | undefined): string {
  const single = Array.isArray(value) ? value[0] : value;
  return typeof single === 'string' ? single : '';
}

function positiveInt(raw: string, fallback: number, max = 10_000): number {
  const value = Number(raw);
  return Number.isInteger(value) && value >= 1 && value <= max ? value : fallback;
}

function filtersFrom(query: LocationQuery): ProductFilters {
  const status = first(query.status);
  const categoryId = positiveInt(first(query.categoryId), 0, Number.MAX_SAFE_INTEGER);
  return {
    q: first(query.q).slice(0, 60),
    categoryId: categoryId || null,
    status: PRODUCT_STATUSES.find((known) => known === status) ?? '',
  };
}

/**
 * The product list: search, category and status filters (kept in the URL, so coming back from the
 * editor shows the same page), server paging, and batch on sale / off sale / delete of the selected rows.
 */
export function useProductList() {
  const { t } = useI18n();
  const route = useRoute();
  const router = useRouter();
  const session = useMerchantSessionStore();
  const categories = useCatalogCategoriesStore();
  const canManage = computed(() => session.can('catalog:product:manage'));

  const filters = reactive<ProductFilters>(filtersFrom(route.query));
  let applied: ProductFilters = { ...filters };
  const requestedSize = positiveInt(first(route.query.pageSize), 20);

  const list = usePagedList<ProductSummary>(
    (paging) =>
      listProducts({
        ...paging,
        q: applied.q.trim() || undefined,
        categoryId: applied.categoryId ?? undefined,
        status: applied.status || undefined,
      }),
    {
      page: positiveInt(first(route.query.page), 1),
      pageSize: PAGE_SIZES.includes(requestedSize) ? requestedSize : 20,
    },
  );

  function syncUrl(): void {
    void router.replace({
      query: {
        ...(applied.q.trim() ? { q: applied.q.trim() } : {}),
        ...(applied.categoryId ? { categoryId: String(applied.categoryId) } : {}),
        ...(applied.status ? { status: applied.status } : {}),
        ...(list.page.value > 1 ? { page: String(list.page.value) } : {}),
        ...(list.pageSize.value !== 20 ? { pageSize: String(list.pageSize.value) } : {}),
      },
    });
  }

  async function search(): Promise<void> {
    applied = { ...filters };
    list.page.value = 1;
    syncUrl();
    await list.load();
  }

  async function resetFilters(): Promise<void> {
    Object.assign(filters, { q: '', categoryId: null, status: '' });
    await search();
  }

  async function changePage(page: number): Promise<void> {
    list.page.value = page;
    syncUrl();
    await list.load();
  }

  async function changePageSize(pageSize: number): Promise<void> {
    list.pageSize.value = pageSize;
    list.page.value = 1;
    syncUrl();
    await list.load();
  }

  // ---- selection and batch actions ----

  const selected = shallowRef<ProductSummary[]>([]);
  const batchRunning = shallowRef<BatchProductAction | null>(null);

  function onSelectionChange(rows: ProductSummary[]): void {
    selected.value = rows;
  }

  async function confirmDelete(message: string): Promise<boolean> {
    try {
      await ElMessageBox.confirm(message, t('catalog.products.deleteTitle'), {
        type: 'warning',
        confirmButtonText: t('common.delete'),
        cancelButtonText: t('common.cancel'),
      });
      return true;
    } catch {
      return false;
    }
  }

  async function runBatch(action: BatchProductAction): Promise<void> {
    const ids = selected.value.map((product) => product.id);
    if (ids.length === 0) return;
    if (action === 'delete' && !(await confirmDelete(t('catalog.products.batchDeleteConfirm', { count: ids.length }))))
      return;
    batchRunning.value = action;
    try {
      const { updated } = await batchProducts({ ids, action });
      ElMessage.success(t(`catalog.products.batchDone.${action}`, { count: updated }));
      selected.value = [];
      await list.load();
    } catch {
      // Shown by the request client.
    } finally {
      batchRunning.value = null;
    }
  }

  async function remove(product: ProductSummary): Promise<void> {
    if (!(await confirmDelete(t('catalog.products.deleteConfirm', { title: product.title })))) return;
    try {
      await deleteProduct(product.id);
      ElMessage.success(t('catalog.products.deleted'));
      await list.load();
    } catch {
      // Shown by the request client.
    }
  }

  function openNew(): void {
    void router.push({ name: 'merchant-catalog-product-new' });
  }

  function openEdit(product: ProductSummary): void {
    void router.push({ name: 'merchant-catalog-product-edit', params: { id: String(product.id) } });
  }

  onMounted(() => {
    void categories.reload();
    void list.load();
  });

  return {
    canManage,
    filters,
    statuses: PRODUCT_STATUSES,
    categoryTree: computed(() => categories.tree),
    categoryName: (id: number) => categories.pathName(id) ?? `#${id}`,
    items: list.items,
    total: list.total,
    page: list.page,
    pageSize: list.pageSize,
    loading: list.loading,
    load: list.load,
    search,
    resetFilters,
    changePage,
    changePageSize,
    selected,
    batchRunning,
    onSelectionChange,
    runBatch,
    remove,
    openNew,
    openEdit,
  };
}
