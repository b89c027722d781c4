import { computed, inject, nextTick, onMounted, provide, reactive, ref, shallowRef, type InjectionKey } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import { ElMessage } from 'element-plus';
import type { CatalogImage, CatalogVideo, Product, ProductStatus, ShippingTemplate } from '@shopfleet/contracts';
import {
  CATALOG_VIDEO_MAX_BYTES,
  DESCRIPTION_MAX_CHARS,
  PRODUCT_LIMITS,
  PRODUCT_STATUSES,
  type ChargeMode,
} from '@shopfleet/contracts/constants';
import {
  createProduct,
  getProduct,
  updateProduct,
  uploadCatalogImage,
  uploadCatalogVideo,
  type ProductBody,
  type SkuBody,
} from '@/api/catalog';
import { listShippingTemplates } from '@/api/freight-templates';
import { isApiError } from '@/api/request';
import { translator } from '@/locales';
import { issueText, issuesOf as serverIssues } from '@/utils/error-text';
import { useCatalogCategoriesStore } from '@/stores/catalog-categories';
import { useMerchantSessionStore } from '@/stores/merchant-session';
import { toServerUnits } from '@/utils/freight-units';
import { yuanToFen } from '@/utils/money';
import { cleanValues, useSkuMatrix } from './use-sku-matrix';
import { useProductImages } from './use-product-images';

/** One facet row: colour = red. */
export interface AttributeRow {
  uid: number;
  key: string;
  value: string;
}

export interface ProductForm {
  title: string;
  subtitle: string;
  brand: string;
  tags: string[];
  categoryId: number | null;
  attributes: AttributeRow[];
  descriptionHtml: string;
  status: ProductStatus;
  /** 限购: units per order and per shopper; null, no limit. */
  limitPerOrder: number | null;
  limitPerShopper: number | null;
  /** 定时上下架: when it goes on and off sale by itself. */
  onSaleAt: Date | null;
  offSaleAt: Date | null;
  /** 运费模板: the shop's template it ships by; null: the shop's default. */
  freightTemplateId: number | null;
}

/** The fields of a SKU that an error can be shown next to. */
const SKU_FIELDS = [
  'priceFen',
  'originalPriceFen',
  'stock',
  'code',
  'specValues',
  'imageId',
  'weightGrams',
  'volumeCm3',
] as const;
const TOP_FIELDS = [
  'title',
  'subtitle',
  'brand',
  'tags',
  'categoryId',
  'imageIds',
  'videoId',
  'descriptionHtml',
  'status',
  'freightTemplateId',
] as const;
/** The sales rules' fields, as server paths name them (`limits.perOrder`) and as the form keys their errors. */
const RULE_FIELDS: Record<string, string> = {
  'limits.perOrder': 'limitPerOrder',
  'limits.perShopper': 'limitPerShopper',
  'schedule.onSaleAt': 'onSaleAt',
  'schedule.offSaleAt': 'offSaleAt',
};

function isOneOf<T extends string>(list: readonly T[], value: string | undefined): value is T {
  return value !== undefined && list.some((item) => item === value);
}

/** Issues of a VALIDATION_FAILED answer: `{ path: 'body.skus.3.priceFen', message }`. */
function issuesOf(error: unknown): { path: string; message: string }[] {
  if (!isApiError(error) || error.code !== 'VALIDATION_FAILED') return [];
  // Each said from its reason or schema code in the reader's language, never the server's English.
  return serverIssues(error.details).map((issue) => ({ path: issue.path, message: issueText(translator, issue) }));
}

function emptyForm(): ProductForm {
  return {
    title: '',
    subtitle: '',
    brand: '',
    tags: [],
    categoryId: null,
    attributes: [],
    descriptionHtml: '',
    status: 'draft',
    limitPerOrder: null,
    limitPerShopper: null,
    onSaleAt: null,
    offSaleAt: null,
    freightTemplateId: null,
  };
}

/**
 * The product editor (new and existing): the product's fields, its images, facets, description, and the
 * spec / SKU matrix. Checks what the server checks before sending; errors the server still finds
 * (VALIDATION_FAILED issues such as `body.skus.3.priceFen`) are shown next to their fields. Saving goes
 * back to the product list.
 */
export function useProductEditor(id: number | null) {
  const { t } = useI18n();
  const router = useRouter();
  const session = useMerchantSessionStore();
  const categories = useCatalogCategoriesStore();
  const canManage = computed(() => session.can('catalog:product:manage'));
  const isNew = id === null;

  let nextUid = 1;
  const form = reactive<ProductForm>(emptyForm());
  const matrix = useSkuMatrix();
  const images = useProductImages(matrix.forgetImage);
  const product = shallowRef<Product | null>(null);
  /** The video shown before the images (主图视频). */
  const video = shallowRef<CatalogVideo | null>(null);
  const videoUploading = ref(false);
  const loading = ref(false);
  const loadFailed = ref(false);
  const saving = ref(false);

  /** Errors by field, keyed like the server's issue paths without `body.` (`title`, `skus.3.priceFen`). */
  const errors = reactive<Record<string, string>>({});
  /** Server issues that belong to no field shown here. */
  const otherIssues = ref<string[]>([]);

  function clearErrors(): void {
    for (const key of Object.keys(errors)) delete errors[key];
    otherIssues.value = [];
  }

  function setError(key: string, message: string): void {
    errors[key] ??= message;
  }

  /** The user changed the field: its error goes until the next save. */
  function clearError(key: string): void {
    delete errors[key];
  }

  // ---- images a SKU can show: the product's, and any a stored SKU already shows ----
  const skuImageChoices = computed<CatalogImage[]>(() => {
    const choices = [...images.images.value];
    for (const sku of product.value?.skus ?? []) {
      if (sku.image && !choices.some((image) => image.id === sku.image?.id)) choices.push(sku.image);
    }
    return choices;
  });

  // ---- tags and attributes ----

  function setTags(values: string[] | undefined): void {
    const cleaned = cleanValues(values);
    const fitting = cleaned.filter((tag) => tag.length <= PRODUCT_LIMITS.tagMax);
    if (fitting.length < cleaned.length)
      ElMessage.warning(t('catalog.editor.tagTooLong', { max: PRODUCT_LIMITS.tagMax }));
    form.tags = fitting.slice(0, PRODUCT_LIMITS.tagsMax);
  }

  function addAttribute(): void {
    form.attributes.push({ uid: nextUid++, key: '', value: '' });
  }

  function removeAttribute(index: number): void {
    form.attributes.splice(index, 1);
  }

  function setSpecValues(index: number, values: string[] | undefined): void {
    const { tooLong } = matrix.setSpecValues(index, values);
    if (tooLong > 0) ElMessage.warning(t('catalog.editor.specValueTooLong', { max: PRODUCT_LIMITS.specValueMax }));
  }

  // ---- loading ----

  function apply(loaded: Product): void {
    product.value = loaded;
    Object.assign(form, {
      title: loaded.title,
      subtitle: loaded.subtitle,
      brand: loaded.brand,
      tags: [...loaded.tags],
      categoryId: loaded.categoryId,
      attributes: Object.entries(loaded.attributes).map(([key, value]) => ({ uid: nextUid++, key, value })),
      descriptionHtml: loaded.descriptionHtml,
      status: loaded.status,
      limitPerOrder: loaded.limits.perOrder,
      limitPerShopper: loaded.limits.perShopper,
      onSaleAt: loaded.schedule.onSaleAt ? new Date(loaded.schedule.onSaleAt) : null,
      offSaleAt: loaded.schedule.offSaleAt ? new Date(loaded.schedule.offSaleAt) : null,
      freightTemplateId: loaded.freightTemplateId,
    });
    images.loadFrom(loaded.images);
    video.value = loaded.video;
    matrix.loadFrom(loaded);
  }

  // ---- freight templates (orders' settings): read only by those who may see them ----
  const freightTemplates = shallowRef<ShippingTemplate[]>([]);
  const canSeeFreight = computed(() => session.can('order:order:read'));

  async function loadFreightTemplates(): Promise<void> {
    if (!canSeeFreight.value) return;
    try {
      freightTemplates.value = await listShippingTemplates();
    } catch {
      freightTemplates.value = [];
    }
  }

  /** The chosen template's mode: a template by weight or volume needs the SKUs' weights or volumes. */
  const freightMode = computed<ChargeMode>(() => {
    const chosen =
      form.freightTemplateId === null
        ? freightTemplates.value.find((tpl) => tpl.isDefault)
        : freightTemplates.value.find((tpl) => tpl.id === form.freightTemplateId);
    return chosen?.chargeMode ?? 'piece';
  });

  async function load(): Promise<void> {
    void categories.reload();
    void loadFreightTemplates();
    if (id === null) return;
    loading.value = true;
    loadFailed.value = false;
    try {
      apply(await getProduct(id));
    } catch {
      loadFailed.value = true;
    } finally {
      loading.value = false;
    }
  }

  // ---- checks (the server's rules, so most mistakes never leave the page) ----

  function checkMoney(key: string, yuan: number | null, required: boolean): number | null {
    if (yuan === null || yuan === undefined) {
      if (required) setError(key, t('catalog.editor.priceRequired'));
      return null;
    }
    const fen = yuanToFen(yuan);
    if (!Number.isFinite(fen) || fen < PRODUCT_LIMITS.priceFenMin) setError(key, t('catalog.editor.priceMin'));
    else if (fen > PRODUCT_LIMITS.priceFenMax) setError(key, t('catalog.editor.priceMax'));
    return fen;
  }

  /** The sales rules, as the server judges them. */
  function checkRules(): void {
    const now = Date.now();
    if (form.onSaleAt && form.onSaleAt.getTime() <= now) setError('onSaleAt', t('catalog.editor.scheduleInPast'));
    else if (form.onSaleAt && form.status === 'on_sale') setError('onSaleAt', t('catalog.editor.scheduleOnSale'));
    if (form.offSaleAt && form.offSaleAt.getTime() <= now) setError('offSaleAt', t('catalog.editor.scheduleInPast'));
    else if (form.offSaleAt && form.onSaleAt && form.offSaleAt <= form.onSaleAt)
      setError('offSaleAt', t('catalog.editor.offBeforeOn'));
    if (form.limitPerOrder !== null && form.limitPerShopper !== null && form.limitPerOrder > form.limitPerShopper)
      setError('limitPerOrder', t('catalog.editor.limitOrderAboveShopper'));
  }

  function validate(): boolean {
    clearErrors();
    const title = form.title.trim();
    if (!title) setError('title', t('catalog.editor.titleRequired'));
    else if (title.length > PRODUCT_LIMITS.titleMax)
      setError('title', t('catalog.editor.tooLong', { max: PRODUCT_LIMITS.titleMax }));
    if (form.subtitle.trim().length > PRODUCT_LIMITS.subtitleMax)
      setError('subtitle', t('catalog.editor.tooLong', { max: PRODUCT_LIMITS.subtitleMax }));
    if (form.brand.trim().length > PRODUCT_LIMITS.brandMax)
      setError('brand', t('catalog.editor.tooLong', { max: PRODUCT_LIMITS.brandMax }));
    if (form.categoryId === null) setError('categoryId', t('catalog.editor.categoryRequired'));
    if (form.descriptionHtml.length > DESCRIPTION_MAX_CHARS)
      setError('descriptionHtml', t('catalog.editor.tooLong', { max: DESCRIPTION_MAX_CHARS }));
    if (images.uploading.value) setError('imageIds', t('catalog.editor.imagesUploading'));
    if (videoUploading.value) setError('videoId', t('catalog.editor.videoUploading'));
    checkRules();

    const attributeKeys = new Set<string>();
    form.attributes.forEach((row, index) => {
      const key = row.key.trim();
      const value = row.value.trim();
      if (!key && !value) return;
      const at = `attributes.${index}`;
      if (!key || !value) setError(at, t('catalog.editor.attributeIncomplete'));
      else if (key.length > PRODUCT_LIMITS.attributeNameMax)
        setError(at, t('catalog.editor.attributeKeyLength', { max: PRODUCT_LIMITS.attributeNameMax }));
      else if (value.length > PRODUCT_LIMITS.attributeValueMax)
        setError(at, t('catalog.editor.attributeValueLength', { max: PRODUCT_LIMITS.attributeValueMax }));
      else if (attributeKeys.has(key)) setError(at, t('catalog.editor.attributeDuplicate', { key }));
      attributeKeys.add(key);
    });

    const specNames = new Set<string>();
    matrix.specs.value.forEach((spec, index) => {
      const name = spec.name.trim();
      if (!name) setError(`specs.${index}.name`, t('catalog.editor.specNameRequired'));
      else if (name.length > PRODUCT_LIMITS.specNameMax)
        setError(`specs.${index}.name`, t('catalog.editor.tooLong', { max: PRODUCT_LIMITS.specNameMax }));
      else if (specNames.has(name)) setError(`specs.${index}.name`, t('catalog.editor.specNameDuplicate', { name }));
      specNames.add(name);
      if (spec.values.length === 0) setError(`specs.${index}.values`, t('catalog.editor.specValuesRequired'));
    });
    if (matrix.tooMany.value)
      setError(
        'skus',
        t('catalog.editor.tooManySkus', { count: matrix.combinationCount.value, max: PRODUCT_LIMITS.skusMax }),
      );

    matrix.rows.value.forEach((row, index) => {
      const at = `skus.${index}`;
      const priceFen = checkMoney(`${at}.priceFen`, row.price, true);
      const originalFen = checkMoney(`${at}.originalPriceFen`, row.originalPrice, false);
      if (priceFen !== null && originalFen !== null && originalFen < priceFen)
        setError(`${at}.originalPriceFen`, t('catalog.editor.originalBelowPrice'));
      if (row.stock === null || row.stock === undefined) setError(`${at}.stock`, t('catalog.editor.stockRequired'));
      else if (!Number.isInteger(row.stock) || row.stock < 0) setError(`${at}.stock`, t('catalog.editor.stockInvalid'));
      else if (row.stock > PRODUCT_LIMITS.stockMax)
        setError(`${at}.stock`, t('catalog.editor.stockMax', { max: PRODUCT_LIMITS.stockMax }));
      if (row.code.trim().length > PRODUCT_LIMITS.skuCodeMax)
        setError(`${at}.code`, t('catalog.editor.tooLong', { max: PRODUCT_LIMITS.skuCodeMax }));
      const grams = toServerUnits('weight', row.weight) ?? 0;
      if (grams < 0 || grams > PRODUCT_LIMITS.weightGramsMax)
        setError(`${at}.weightGrams`, t('catalog.editor.weightMax', { max: PRODUCT_LIMITS.weightGramsMax / 1000 }));
      else if (freightMode.value === 'weight' && grams === 0)
        setError(`${at}.weightGrams`, t('catalog.editor.weightRequired'));
      const cm3 = toServerUnits('volume', row.volume) ?? 0;
      if (cm3 < 0 || cm3 > PRODUCT_LIMITS.volumeCm3Max)
        setError(`${at}.volumeCm3`, t('catalog.editor.volumeMax', { max: PRODUCT_LIMITS.volumeCm3Max / 1_000_000 }));
      else if (freightMode.value === 'volume' && cm3 === 0)
        setError(`${at}.volumeCm3`, t('catalog.editor.volumeRequired'));
    });
    return Object.keys(errors).length === 0;
  }

  /** The body of POST / PUT: money in whole fen (Math.round of yuan × 100), never a float. */
  function bodyOf(): ProductBody {
    const attributes: Record<string, string> = {};
    for (const row of form.attributes) {
      const key = row.key.trim();
      const value = row.value.trim();
      if (key && value) attributes[key] = value;
    }
    const skus: SkuBody[] = matrix.rows.value.map((row) => {
      const code = row.code.trim();
      return {
        specValues: [...row.specValues],
        ...(code ? { code } : {}),
        priceFen: yuanToFen(row.price ?? 0),
        originalPriceFen: row.originalPrice === null ? null : yuanToFen(row.originalPrice),
        stock: row.stock ?? 0,
        imageId: row.imageId,
        weightGrams: toServerUnits('weight', row.weight) ?? 0,
        volumeCm3: toServerUnits('volume', row.volume) ?? 0,
      };
    });
    return {
      title: form.title.trim(),
      subtitle: form.subtitle.trim(),
      brand: form.brand.trim(),
      tags: [...form.tags],
      descriptionHtml: form.descriptionHtml,
      categoryId: form.categoryId ?? 0,
      imageIds: images.images.value.map((image) => image.id),
      videoId: video.value?.id ?? null,
      attributes,
      specs: matrix.specs.value.map((spec) => ({ name: spec.name.trim(), values: [...spec.values] })),
      skus,
      status: form.status,
      freightTemplateId: form.freightTemplateId,
      limits: { perOrder: form.limitPerOrder ?? null, perShopper: form.limitPerShopper ?? null },
      schedule: {
        onSaleAt: form.onSaleAt?.toISOString() ?? null,
        offSaleAt: form.offSaleAt?.toISOString() ?? null,
      },
    };
  }

  /** Where a server issue is shown: its field's key, or null (listed above the form). */
  function errorKeyOf(path: string): string | null {
    const parts = path.split('.');
    if (parts[0] === 'body') parts.shift();
    const [head, index, field] = parts;
    const rule = RULE_FIELDS[`${head}.${index}`];
    if (rule) return rule;
    if (head === 'skus') {
      if (index === undefined) return 'skus';
      return isOneOf(SKU_FIELDS, field) ? `skus.${index}.${field}` : `skus.${index}.specValues`;
    }
    if (head === 'specs') {
      if (index === undefined) return 'specs';
      return field === 'name' ? `specs.${index}.name` : `specs.${index}.values`;
    }
    if (head === 'attributes') {
      const row = form.attributes.findIndex((item) => item.key.trim() === index);
      return row >= 0 ? `attributes.${row}` : 'attributes';
    }
    return isOneOf(TOP_FIELDS, head) ? head : null;
  }

  /** Uploads the product's video (an MP4 of at most 50 MB, checked here before it is sent). */
  async function uploadVideo(file: File): Promise<void> {
    if (file.type !== 'video/mp4') {
      ElMessage.error(t('catalog.editor.videoType'));
      return;
    }
    if (file.size > CATALOG_VIDEO_MAX_BYTES) {
      ElMessage.error(t('catalog.editor.videoTooLarge', { max: Math.round(CATALOG_VIDEO_MAX_BYTES / 1024 / 1024) }));
      return;
    }
    videoUploading.value = true;
    clearError('videoId');
    try {
      video.value = await uploadCatalogVideo(file);
    } catch {
      // The request client has said why.
    } finally {
      videoUploading.value = false;
    }
  }

  function removeVideo(): void {
    video.value = null;
  }

  /** Stores an image the description shows, in the catalog's storage; answers its URL. */
  async function uploadDescriptionImage(file: File): Promise<string> {
    return (await uploadCatalogImage(file)).large.jpeg;
  }

  function showServerIssues(error: unknown): void {
    for (const issue of issuesOf(error)) {
      const key = errorKeyOf(issue.path);
      const message = issue.message || t('errors.VALIDATION_FAILED');
      if (key) setError(key, message);
      else otherIssues.value.push(`${issue.path}: ${message}`);
    }
  }

  function scrollToFirstError(): void {
    void nextTick(() => {
      document
        .querySelector('.sf-field-error, .el-form-item.is-error')
        ?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    });
  }

  async function save(): Promise<void> {
    if (!canManage.value) return;
    if (!validate()) {
      ElMessage.error(t('catalog.editor.fixErrors'));
      scrollToFirstError();
      return;
    }
    saving.value = true;
    try {
      const body = bodyOf();
      if (id === null) await createProduct(body);
      else await updateProduct(id, body);
      ElMessage.success(t(isNew ? 'catalog.editor.created' : 'catalog.editor.saved', { title: body.title }));
      await router.push({ name: 'merchant-catalog-products' });
    } catch (error) {
      // The request client has shown the server's message; put its issues next to their fields.
      showServerIssues(error);
      scrollToFirstError();
    } finally {
      saving.value = false;
    }
  }

  function cancel(): void {
    void router.push({ name: 'merchant-catalog-products' });
  }

  onMounted(load);

  return {
    isNew,
    canManage,
    form,
    matrix,
    images,
    product,
    loading,
    loadFailed,
    saving,
    errors,
    otherIssues,
    clearError,
    statuses: PRODUCT_STATUSES,
    categoryTree: computed(() => categories.tree),
    skuImageChoices,
    limits: PRODUCT_LIMITS,
    descriptionMax: DESCRIPTION_MAX_CHARS,
    purchaseLimitMax: PRODUCT_LIMITS.purchaseLimitMax,
    freightTemplates,
    canSeeFreight,
    freightMode,
    video,
    videoUploading,
    uploadVideo,
    removeVideo,
    uploadDescriptionImage,
    setTags,
    addAttribute,
    removeAttribute,
    setSpecValues,
    load,
    validate,
    bodyOf,
    save,
    cancel,
  };
}

export type ProductEditor = ReturnType<typeof useProductEditor>;

const PRODUCT_EDITOR: InjectionKey<ProductEditor> = Symbol('product-editor');

/** The page's editor for its parts (images, SKU matrix), which would otherwise need it all as props. */
export function provideProductEditor(editor: ProductEditor): void {
  provide(PRODUCT_EDITOR, editor);
}

export function useInjectedProductEditor(): ProductEditor {
  const editor = inject(PRODUCT_EDITOR);
  if (!editor) throw new Error('useInjectedProductEditor() outside the product editor');
  return editor;
}
