import { computed, reactive } from 'vue';
import { useI18n } from 'vue-i18n';
import { PROMOTION_LIMITS } from '@shopfleet/contracts/constants';
import { createPromotion, type TimedDiscountBody } from '@/api/marketing';
import { yuanToFen } from '@/utils/money';
import { periodBody, periodFromNow, promotionPeriodFieldOf, type PeriodValue } from '../common/form-parts';
import { useCampaignEditor } from '../common/use-campaign-editor';
import { useProductDetails } from '../common/use-product-details';
import { PROMOTION_ROUTES } from '../common/use-promotion-list';

/** How an item is discounted: a 限时价, or a percent off its price. */
export type TimedMode = 'price' | 'percent';

export interface TimedItemForm {
  /** A stable key for the row while items are added and removed. */
  key: number;
  productId: number;
  /** One SKU of the product, or every SKU ('whole': el-select shows null as nothing chosen). */
  skuId: number | 'whole';
  mode: TimedMode;
  /** Yuan as typed. */
  price: number | null;
  /** Percent taken off, 1–99. */
  discountPercent: number | null;
}

export interface TimedDiscountForm {
  name: string;
  period: PeriodValue;
  tag: string;
  items: TimedItemForm[];
}

let nextKey = 1;

/** The form field of a server issue's path (without `body.timedDiscount.`). */
function fieldOf([head, index, field]: string[]): string | null {
  if (head === 'name' || head === 'tag') return head;
  if (head === 'items') {
    if (index === undefined) return 'items';
    if (field === 'productId' || field === 'skuId') return `items.${index}.product`;
    if (field === 'priceFen' || field === 'discountPercent') return `items.${index}.benefit`;
    return `items.${index}`;
  }
  return promotionPeriodFieldOf(head);
}

/**
 * A new 限时折扣: its name, period and tag, and the products it prices — each picked from the catalog, as a whole or
 * one of its SKUs (read from the product's detail), at a 限时价 or a percent off. The form checks that each item is
 * filled in; the server checks the prices are below the SKUs' and that no product is in another 限时折扣 at once.
 */
export function useTimedDiscountForm() {
  const { t } = useI18n();
  const form = reactive<TimedDiscountForm>({ name: '', period: periodFromNow(3), tag: '', items: [] });
  const editor = useCampaignEditor({
    permission: 'marketing:promotion:manage',
    listRoute: PROMOTION_ROUTES.timed_discount.list,
    prefix: 'timedDiscount.',
    fieldOf,
    bodyOf,
    create: (body: TimedDiscountBody) => createPromotion({ kind: 'timed_discount', timedDiscount: body }),
    createdText: 'marketing.promotions.created',
  });
  const { errors, clear, set } = editor;
  const itemsFull = computed(() => form.items.length >= PROMOTION_LIMITS.itemsMax);

  // ---- products and their SKUs ----
  const { products, loadingProduct, readProduct } = useProductDetails();

  /** Add a row for a product (again, for another of its SKUs), its detail read once. */
  async function addProduct(productId: number | null): Promise<void> {
    if (productId === null || itemsFull.value) return;
    if (!(await readProduct(productId))) return;
    const taken = form.items.some((item) => item.productId === productId);
    form.items.push({
      key: nextKey++,
      productId,
      // A second row of a product is for one of its SKUs: the whole product is in a row already.
      skuId: taken ? (products.value.get(productId)?.skus[0]?.id ?? 'whole') : 'whole',
      mode: 'price',
      price: null,
      discountPercent: null,
    });
  }

  function removeItem(index: number): void {
    form.items.splice(index, 1);
    clear();
  }

  /** The prices an item applies to: its SKU's, or the product's range. */
  function pricesOf(item: TimedItemForm): { minFen: number; maxFen: number } | null {
    const product = products.value.get(item.productId);
    if (!product) return null;
    const sku = item.skuId === 'whole' ? null : product.skus.find((s) => s.id === item.skuId);
    return sku
      ? { minFen: sku.priceFen, maxFen: sku.priceFen }
      : { minFen: product.minPriceFen, maxFen: product.maxPriceFen };
  }

  /** The body to send, or null with the errors marked. */
  function bodyOf(): TimedDiscountBody | null {
    clear();
    const name = form.name.trim();
    if (!name) set('name', t('marketing.form.nameRequired'));
    if (!form.period) set('period', t('marketing.form.periodRequired'));
    if (form.items.length === 0) set('items', t('marketing.timedDiscounts.itemsRequired'));
    form.items.forEach((item, i) => {
      const value = item.mode === 'price' ? item.price : item.discountPercent;
      if (value === null) set(`items.${i}.benefit`, t('marketing.form.required'));
    });
    if (Object.keys(errors).length || !form.period) return null;

    const [startsAt, endsAt] = periodBody(form.period);
    return {
      name,
      startsAt,
      endsAt,
      tag: form.tag.trim(),
      items: form.items.map((item) => ({
        productId: item.productId,
        ...(item.skuId !== 'whole' ? { skuId: item.skuId } : {}),
        ...(item.mode === 'price'
          ? { priceFen: yuanToFen(item.price ?? 0) }
          : { discountPercent: item.discountPercent ?? 0 }),
      })),
    };
  }

  return {
    editor,
    form,
    errors,
    itemsFull,
    products,
    loadingProduct,
    limits: PROMOTION_LIMITS,
    addProduct,
    removeItem,
    pricesOf,
  };
}
