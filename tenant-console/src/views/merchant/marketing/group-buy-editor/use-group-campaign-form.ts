import { computed, reactive, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Product } from '@shopfleet/contracts';
import { GROUP_LIMITS } from '@shopfleet/contracts/constants';
import { getProduct } from '@/api/catalog';
import { createGroupCampaign, type GroupCampaignBody } from '@/api/group-buys';
import { isApiError } from '@/api/request';
import { yuanToFen } from '@/utils/money';
import { periodBody, periodFromNow, promotionPeriodFieldOf, type PeriodValue } from '../common/form-parts';
import { useCampaignEditor } from '../common/use-campaign-editor';
import { GROUP_ROUTES } from '../group-buys/use-group-campaign-list';

type Sku = Product['skus'][number];

/** One SKU of the product as the form holds it: whether it is in the campaign, and its 拼团价 in yuan as typed. */
export interface GroupSkuForm {
  sku: Sku;
  included: boolean;
  groupPrice: number | null;
}

export interface GroupCampaignForm {
  name: string;
  productId: number | null;
  period: PeriodValue;
  groupSize: number | null;
  /** How long a group has to fill, typed as hours and minutes; sent as minutes. */
  durationHours: number | null;
  durationMinutes: number | null;
  perShopperLimit: number | null;
  virtualFill: boolean;
  /** Yuan as typed; empty is none. */
  leaderDiscount: number | null;
}

const DEFAULTS = { groupSize: 3, durationHours: 24, durationMinutes: 0, perShopperLimit: 1, days: 7 } as const;

/** The form field of an item's refusal that names a SKU (its reason says which). */
const SKU_REFUSALS = new Set([
  'GROUP_PRICE_NOT_BELOW',
  'GROUP_PRICE_NOT_ABOVE_LEADER_DISCOUNT',
  'GROUP_SKU_NOT_IN_CAMPAIGN',
]);

/**
 * A new 拼团 campaign: its name and period, one product picked from the catalog (its SKUs read from the product's
 * detail), the group's size, how long a group has to fill (hours and minutes), the per-shopper limit, whether a group
 * short at its end is filled with virtual members, the leader's discount in yuan, and each SKU taking part at a 拼团价 in
 * yuan. The form checks that what it needs is filled in and within the limits; the server checks each 拼团价 is below
 * its SKU's price (and above the leader's discount) and that the product is in no other campaign at once, and its
 * refusals go next to the SKU or the product.
 */
export function useGroupCampaignForm() {
  const { t } = useI18n();
  const form = reactive<GroupCampaignForm>({
    name: '',
    productId: null,
    period: periodFromNow(DEFAULTS.days),
    groupSize: DEFAULTS.groupSize,
    durationHours: DEFAULTS.durationHours,
    durationMinutes: DEFAULTS.durationMinutes,
    perShopperLimit: DEFAULTS.perShopperLimit,
    virtualFill: false,
    leaderDiscount: null,
  });
  const skus = ref<GroupSkuForm[]>([]);
  const product = shallowRef<Product | null>(null);
  const loadingProduct = ref(false);
  /** The rows sent, in the order of the body's items: a server issue on `items.2` is about the third of them. */
  let sentRows: number[] = [];

  /** The form field of a server issue's path (without `body.`). */
  function fieldOf([head, index, field]: string[]): string | null {
    if (head === 'name' || head === 'groupSize' || head === 'perShopperLimit' || head === 'virtualFill') return head;
    if (head === 'productId') return 'product';
    if (head === 'durationMinutes') return 'duration';
    if (head === 'leaderDiscountFen') return 'leaderDiscount';
    if (head === 'items') {
      const row = index === undefined ? undefined : sentRows[Number(index)];
      if (row === undefined) return 'items';
      return field === 'groupPriceFen' ? `items.${row}.price` : `items.${row}`;
    }
    return promotionPeriodFieldOf(head);
  }

  const editor = useCampaignEditor({
    permission: 'marketing:promotion:manage',
    listRoute: GROUP_ROUTES.list,
    fieldOf,
    bodyOf,
    create,
    createdText: 'marketing.groupBuys.created',
  });
  const { errors, clear, set } = editor;

  /** The duration in minutes as typed, or null while either part is empty. */
  const durationTotal = computed(() =>
    form.durationHours === null || form.durationMinutes === null
      ? null
      : form.durationHours * 60 + form.durationMinutes,
  );

  /** The product picked: its SKUs read from its detail, each taking part until unticked. */
  async function pickProduct(productId: number | null): Promise<void> {
    form.productId = productId;
    clear();
    if (productId === null) {
      product.value = null;
      skus.value = [];
      return;
    }
    loadingProduct.value = true;
    try {
      const picked = await getProduct(productId);
      if (form.productId !== productId) return;
      product.value = picked;
      skus.value = picked.skus.map((sku) => ({ sku, included: true, groupPrice: null }));
    } catch {
      // Shown by the request client.
      form.productId = null;
    } finally {
      loadingProduct.value = false;
    }
  }

  /** The body to send, or null with the errors marked. */
  function bodyOf(): GroupCampaignBody | null {
    clear();
    const name = form.name.trim();
    if (!name) set('name', t('marketing.form.nameRequired'));
    if (form.productId === null) set('product', t('marketing.groupBuys.productRequired'));
    if (!form.period) set('period', t('marketing.form.periodRequired'));
    if (form.groupSize === null) set('groupSize', t('marketing.form.required'));
    if (form.perShopperLimit === null) set('perShopperLimit', t('marketing.form.required'));
    const duration = durationTotal.value;
    if (duration === null) set('duration', t('marketing.form.required'));
    else if (duration < GROUP_LIMITS.durationMinutesMin || duration > GROUP_LIMITS.durationMinutesMax)
      set(
        'duration',
        t('marketing.groupBuys.durationRange', {
          min: GROUP_LIMITS.durationMinutesMin,
          max: GROUP_LIMITS.durationMinutesMax / 60,
        }),
      );
    const rows = skus.value.flatMap((row, index) => (row.included ? [index] : []));
    if (form.productId !== null && rows.length === 0) set('items', t('marketing.groupBuys.skusRequired'));
    for (const index of rows)
      if (skus.value[index]!.groupPrice === null) set(`items.${index}.price`, t('marketing.form.required'));
    if (
      Object.keys(errors).length ||
      !form.period ||
      form.productId === null ||
      form.groupSize === null ||
      form.perShopperLimit === null ||
      duration === null
    )
      return null;

    sentRows = rows;
    const [startsAt, endsAt] = periodBody(form.period);
    return {
      name,
      productId: form.productId,
      startsAt,
      endsAt,
      groupSize: form.groupSize,
      durationMinutes: duration,
      perShopperLimit: form.perShopperLimit,
      virtualFill: form.virtualFill,
      leaderDiscountFen: yuanToFen(form.leaderDiscount ?? 0),
      items: rows.map((index) => ({
        skuId: skus.value[index]!.sku.id,
        groupPriceFen: yuanToFen(skus.value[index]!.groupPrice ?? 0),
      })),
    };
  }

  /**
   * Creates the campaign. A refusal that names a SKU (its 拼团价 is not below its price) goes next to that SKU's row,
   * one about the product (in another campaign at once) next to the product, as well as shown.
   */
  async function create(body: GroupCampaignBody) {
    try {
      return await createGroupCampaign(body);
    } catch (error) {
      if (isApiError(error) && error.reason && SKU_REFUSALS.has(error.reason)) {
        const index = skus.value.findIndex((row) => row.sku.id === Number(error.params?.skuId));
        if (index >= 0) set(`items.${index}.price`, error.message);
      } else if (isApiError(error) && error.reason === 'GROUP_PRODUCT_BUSY') {
        set('product', error.message);
      }
      throw error;
    }
  }

  return { editor, form, errors, skus, product, loadingProduct, durationTotal, limits: GROUP_LIMITS, pickProduct };
}
