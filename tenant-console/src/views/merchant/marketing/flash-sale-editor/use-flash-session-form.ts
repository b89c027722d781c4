import { computed, reactive } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import type { Product } from '@shopfleet/contracts';
import { FLASH_LIMITS } from '@shopfleet/contracts/constants';
import { createFlashSession, type FlashSessionBody } from '@/api/flash-sales';
import { isApiError } from '@/api/request';
import { yuanToFen } from '@/utils/money';
import { periodBody, periodFromNextHour, promotionPeriodFieldOf, type PeriodValue } from '../common/form-parts';
import { useCampaignEditor } from '../common/use-campaign-editor';
import { useProductDetails } from '../common/use-product-details';
import { FLASH_ROUTES } from '../flash-sales/use-flash-session-list';

export interface FlashItemForm {
  /** A stable key for the row while items are added and removed. */
  key: number;
  productId: number;
  /** One SKU of the product; null while none is left to choose. */
  skuId: number | null;
  /** Yuan as typed. */
  flashPrice: number | null;
  stock: number | null;
  perShopperLimit: number | null;
}

export interface FlashSessionForm {
  name: string;
  period: PeriodValue;
  paymentWindowMinutes: number | null;
  items: FlashItemForm[];
}

type Sku = Product['skus'][number];

const DEFAULT_WINDOW_MINUTES = 5;
let nextKey = 1;

/** The form field of a server issue's path (without `body.`). */
function fieldOf([head, index, field]: string[]): string | null {
  if (head === 'name' || head === 'paymentWindowMinutes') return head;
  if (head === 'items') {
    if (index === undefined) return 'items';
    if (field === 'skuId') return `items.${index}.sku`;
    if (field === 'flashPriceFen') return `items.${index}.price`;
    if (field === 'stock') return `items.${index}.stock`;
    if (field === 'perShopperLimit') return `items.${index}.limit`;
    return `items.${index}`;
  }
  return promotionPeriodFieldOf(head);
}

/** The field of an item that a refusal naming one SKU is about (its reason says which). */
const SKU_REFUSALS: Record<string, 'sku' | 'price' | 'stock'> = {
  FLASH_PRICE_NOT_BELOW: 'price',
  FLASH_STOCK_SHORT: 'stock',
  FLASH_SKU_BUSY: 'sku',
  FLASH_SKU_UNKNOWN: 'sku',
};

/**
 * A new 秒杀 session: its name, period and payment window, and its SKUs — each picked from a product of the catalog
 * (read from the product's detail, a SKU once), at a 秒杀价 in yuan, with the stock set aside for it and a
 * per-shopper limit. The form checks that each item is filled in; the server checks the prices are below the SKUs',
 * that the SKUs have the stock, and that no SKU is in another session at once, and its refusals go next to the item.
 */
export function useFlashSessionForm() {
  const { t } = useI18n();
  const form = reactive<FlashSessionForm>({
    name: '',
    period: periodFromNextHour(1),
    paymentWindowMinutes: DEFAULT_WINDOW_MINUTES,
    items: [],
  });
  const editor = useCampaignEditor({
    permission: 'marketing:promotion:manage',
    listRoute: FLASH_ROUTES.list,
    fieldOf,
    bodyOf,
    create,
    createdText: 'marketing.flashSales.created',
  });
  const { errors, clear, set } = editor;
  const itemsFull = computed(() => form.items.length >= FLASH_LIMITS.itemsMax);

  // ---- products and their SKUs ----
  const { products, loadingProduct, readProduct } = useProductDetails();

  const takenSkus = computed(() => new Set(form.items.map((item) => item.skuId)));

  /** Add a row for a product's first SKU not in the session yet, its detail read once. */
  async function addProduct(productId: number | null): Promise<void> {
    if (productId === null || itemsFull.value) return;
    if (!(await readProduct(productId))) return;
    const sku = products.value.get(productId)?.skus.find((s) => !takenSkus.value.has(s.id));
    if (!sku) {
      ElMessage.info(t('marketing.flashSales.allSkusAdded'));
      return;
    }
    form.items.push({ key: nextKey++, productId, skuId: sku.id, flashPrice: null, stock: null, perShopperLimit: 1 });
  }

  function removeItem(index: number): void {
    form.items.splice(index, 1);
    clear();
  }

  function skusOf(item: FlashItemForm): Sku[] {
    return products.value.get(item.productId)?.skus ?? [];
  }

  /** The SKU a row is for, as read with its product. */
  function skuOf(item: FlashItemForm): Sku | null {
    return skusOf(item).find((sku) => sku.id === item.skuId) ?? null;
  }

  /** A SKU another row has: each SKU is in a session once. */
  function skuTakenElsewhere(item: FlashItemForm, skuId: number): boolean {
    return form.items.some((other) => other !== item && other.skuId === skuId);
  }

  /** The body to send, or null with the errors marked. */
  function bodyOf(): FlashSessionBody | null {
    clear();
    const name = form.name.trim();
    if (!name) set('name', t('marketing.form.nameRequired'));
    if (!form.period) set('period', t('marketing.form.periodRequired'));
    if (form.paymentWindowMinutes === null) set('paymentWindowMinutes', t('marketing.form.required'));
    if (form.items.length === 0) set('items', t('marketing.flashSales.itemsRequired'));
    form.items.forEach((item, i) => {
      if (item.skuId === null) set(`items.${i}.sku`, t('marketing.flashSales.skuRequired'));
      if (item.flashPrice === null) set(`items.${i}.price`, t('marketing.form.required'));
      if (item.stock === null) set(`items.${i}.stock`, t('marketing.form.required'));
      if (item.perShopperLimit === null) set(`items.${i}.limit`, t('marketing.form.required'));
    });
    if (Object.keys(errors).length || !form.period || form.paymentWindowMinutes === null) return null;

    const [startsAt, endsAt] = periodBody(form.period);
    return {
      name,
      startsAt,
      endsAt,
      paymentWindowMinutes: form.paymentWindowMinutes,
      items: form.items.map((item) => ({
        skuId: item.skuId ?? 0,
        flashPriceFen: yuanToFen(item.flashPrice ?? 0),
        stock: item.stock ?? 0,
        perShopperLimit: item.perShopperLimit ?? 0,
      })),
    };
  }

  /**
   * Creates the session. A refusal that names a SKU (its price is not below the SKU's, the SKU is short of stock or
   * in another session) is put next to that SKU's row as well as shown.
   */
  async function create(body: FlashSessionBody) {
    try {
      return await createFlashSession(body);
    } catch (error) {
      if (isApiError(error) && error.reason && error.reason in SKU_REFUSALS) {
        const index = form.items.findIndex((item) => item.skuId === Number(error.params?.skuId));
        if (index >= 0) set(`items.${index}.${SKU_REFUSALS[error.reason]}`, error.message);
      }
      throw error;
    }
  }

  return {
    editor,
    form,
    errors,
    itemsFull,
    products,
    loadingProduct,
    limits: FLASH_LIMITS,
    addProduct,
    removeItem,
    skusOf,
    skuOf,
    skuTakenElsewhere,
  };
}
