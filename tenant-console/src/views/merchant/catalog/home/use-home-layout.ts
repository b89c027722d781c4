import { computed, onMounted, reactive, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, type UploadRawFile, type UploadRequestOptions } from 'element-plus';
import type { CatalogImage, HomeLayoutInput } from '@shopfleet/contracts';
import { HOME_LIMITS } from '@shopfleet/contracts/constants';
import {
  getHomeLayout,
  getProduct,
  listProducts,
  updateHomeLayout,
  uploadCatalogImage,
  type ProductSummary,
} from '@/api/catalog';
import { useCatalogImageCheck } from '@/composables/use-catalog-image-check';
import { useCatalogCategoriesStore } from '@/stores/catalog-categories';
import { useMerchantSessionStore } from '@/stores/merchant-session';

export type BannerLink = 'none' | 'product' | 'category';

export interface BannerDraft {
  uid: number;
  imageId: number;
  /** Known for images uploaded here; the layout itself only names image ids. */
  image: CatalogImage | null;
  link: BannerLink;
  productId: number | null;
  categoryId: number | null;
}

/** A product as the selects show it. */
export interface ProductOption {
  id: number;
  title: string;
  image: CatalogImage | null;
  /** The layout names it but the shop no longer has it. */
  missing?: boolean;
}

export const PRODUCT_LISTS = ['newProductIds', 'hotProductIds', 'recommendedProductIds'] as const;
export type ProductListKey = (typeof PRODUCT_LISTS)[number];

const SEARCH_PAGE_SIZE = 20;
/** Products loaded up front to name the ones the layout already holds. */
const SEED_PAGE_SIZE = 100;

function optionOf(product: ProductSummary): ProductOption {
  return { id: product.id, title: product.title, image: product.mainImage };
}

/**
 * The shop's home layout: banners (an uploaded image, optionally opening a product or a category),
 * category shortcuts, and the new / hot / recommended product lists chosen by searching products.
 */
export function useHomeLayout() {
  const { t } = useI18n();
  const session = useMerchantSessionStore();
  const categories = useCatalogCategoriesStore();
  const { imageAccept, checkImage } = useCatalogImageCheck();
  const canManage = computed(() => session.can('catalog:product:manage'));

  let nextUid = 1;
  const banners = ref<BannerDraft[]>([]);
  const shortcutCategoryIds = ref<number[]>([]);
  const lists = reactive<Record<ProductListKey, number[]>>({
    newProductIds: [],
    hotProductIds: [],
    recommendedProductIds: [],
  });
  const loading = ref(false);
  const loadFailed = ref(false);
  const saving = ref(false);
  const uploading = ref(false);
  const errors = reactive<Record<string, string>>({});

  // ---- products for the selects ----
  const known = shallowRef(new Map<number, ProductOption>());
  const searchResults = shallowRef<ProductOption[]>([]);
  const searching = ref(false);
  let searchTicket = 0;

  function remember(options: ProductOption[]): void {
    const next = new Map(known.value);
    for (const option of options) next.set(option.id, option);
    known.value = next;
  }

  async function searchProducts(query: string): Promise<void> {
    const ticket = ++searchTicket;
    searching.value = true;
    try {
      const page = await listProducts(
        { page: 1, pageSize: SEARCH_PAGE_SIZE, q: query.trim() || undefined },
        { silent: true },
      );
      if (ticket !== searchTicket) return;
      const options = page.items.map(optionOf);
      remember(options);
      searchResults.value = options;
    } catch {
      if (ticket === searchTicket) searchResults.value = [];
    } finally {
      if (ticket === searchTicket) searching.value = false;
    }
  }

  /** The select's options: the search results plus what it already holds (so each shows its title). */
  function optionsFor(ids: readonly (number | null)[]): ProductOption[] {
    const options = [...searchResults.value];
    for (const id of ids) {
      if (id === null || options.some((option) => option.id === id)) continue;
      options.push(known.value.get(id) ?? { id, title: `#${id}`, image: null });
    }
    return options;
  }

  /** Name the products the layout holds: a first page, then one by one for any still unknown. */
  async function nameProducts(ids: number[]): Promise<void> {
    try {
      const page = await listProducts({ page: 1, pageSize: SEED_PAGE_SIZE }, { silent: true });
      remember(page.items.map(optionOf));
      searchResults.value = page.items.slice(0, SEARCH_PAGE_SIZE).map(optionOf);
    } catch {
      // The selects then show ids until searched.
    }
    const unknown = [...new Set(ids)].filter((id) => !known.value.has(id));
    const found = await Promise.all(
      unknown.map((id) =>
        getProduct(id, { silent: true })
          .then((product): ProductOption => ({ id, title: product.title, image: product.images[0] ?? null }))
          .catch((): ProductOption => ({ id, title: `#${id}`, image: null, missing: true })),
      ),
    );
    remember(found);
  }

  // ---- loading ----

  function apply(layout: HomeLayoutInput): void {
    // Keep the previews of images uploaded on this page (the layout names only their ids).
    const images = new Map(
      banners.value.flatMap((banner) => (banner.image ? [[banner.imageId, banner.image] as const] : [])),
    );
    banners.value = layout.banners.map((banner) => ({
      uid: nextUid++,
      imageId: banner.imageId,
      image: images.get(banner.imageId) ?? null,
      link: banner.productId !== null ? 'product' : banner.categoryId !== null ? 'category' : 'none',
      productId: banner.productId,
      categoryId: banner.categoryId,
    }));
    shortcutCategoryIds.value = [...layout.shortcutCategoryIds];
    for (const key of PRODUCT_LISTS) lists[key] = [...layout[key]];
  }

  async function load(): Promise<void> {
    loading.value = true;
    loadFailed.value = false;
    void categories.reload();
    try {
      const layout = await getHomeLayout();
      apply(layout);
      await nameProducts([
        ...PRODUCT_LISTS.flatMap((key) => layout[key]),
        ...layout.banners.flatMap((banner) => (banner.productId ? [banner.productId] : [])),
      ]);
    } catch {
      loadFailed.value = true;
    } finally {
      loading.value = false;
    }
  }

  // ---- banners ----

  const bannersFull = computed(() => banners.value.length >= HOME_LIMITS.banners);

  function beforeBannerUpload(file: UploadRawFile): boolean {
    if (bannersFull.value) {
      ElMessage.warning(t('catalog.home.bannersFull', { max: HOME_LIMITS.banners }));
      return false;
    }
    return checkImage(file);
  }

  async function addBanner(options: UploadRequestOptions): Promise<void> {
    uploading.value = true;
    try {
      const image = await uploadCatalogImage(options.file);
      if (bannersFull.value) return;
      banners.value.push({ uid: nextUid++, imageId: image.id, image, link: 'none', productId: null, categoryId: null });
    } catch {
      // Shown by the request client.
    } finally {
      uploading.value = false;
    }
  }

  /** A new picture for an existing banner, keeping its link. */
  async function replaceBannerImage(index: number, options: UploadRequestOptions): Promise<void> {
    uploading.value = true;
    try {
      const image = await uploadCatalogImage(options.file);
      const banner = banners.value[index];
      if (banner) Object.assign(banner, { imageId: image.id, image });
    } catch {
      // Shown by the request client.
    } finally {
      uploading.value = false;
    }
  }

  function moveBanner(index: number, delta: -1 | 1): void {
    const list = banners.value;
    const banner = list[index];
    const target = index + delta;
    if (!banner || target < 0 || target >= list.length) return;
    list.splice(index, 1);
    list.splice(target, 0, banner);
  }

  function removeBanner(index: number): void {
    banners.value.splice(index, 1);
  }

  // ---- saving ----

  function validate(): boolean {
    for (const key of Object.keys(errors)) delete errors[key];
    banners.value.forEach((banner, index) => {
      if (banner.link === 'product' && banner.productId === null)
        errors[`banners.${index}`] = t('catalog.home.bannerProductRequired');
      if (banner.link === 'category' && banner.categoryId === null)
        errors[`banners.${index}`] = t('catalog.home.bannerCategoryRequired');
    });
    return Object.keys(errors).length === 0;
  }

  function bodyOf(): HomeLayoutInput {
    return {
      banners: banners.value.map((banner) => ({
        imageId: banner.imageId,
        productId: banner.link === 'product' ? banner.productId : null,
        categoryId: banner.link === 'category' ? banner.categoryId : null,
      })),
      shortcutCategoryIds: [...shortcutCategoryIds.value],
      newProductIds: [...lists.newProductIds],
      hotProductIds: [...lists.hotProductIds],
      recommendedProductIds: [...lists.recommendedProductIds],
    };
  }

  async function save(): Promise<void> {
    if (!canManage.value) return;
    if (!validate()) {
      ElMessage.error(t('catalog.home.fixErrors'));
      return;
    }
    saving.value = true;
    try {
      apply(await updateHomeLayout(bodyOf()));
      ElMessage.success(t('catalog.home.saved'));
    } catch {
      // Shown by the request client (e.g. a product or category that no longer exists).
    } finally {
      saving.value = false;
    }
  }

  onMounted(load);

  return {
    canManage,
    banners,
    shortcutCategoryIds,
    lists,
    loading,
    loadFailed,
    saving,
    uploading,
    errors,
    categoryTree: computed(() => categories.tree),
    categoryName: (id: number | null) => categories.pathName(id),
    limits: HOME_LIMITS,
    imageAccept,
    bannersFull,
    searching,
    searchProducts,
    optionsFor,
    load,
    beforeBannerUpload,
    checkImage,
    addBanner,
    replaceBannerImage,
    moveBanner,
    removeBanner,
    save,
  };
}
