import { reactive, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import type { ReturnAddress, ReturnAddressInput } from '@shopfleet/contracts';
import { createReturnAddress, updateReturnAddress } from '@/api/after-sales';
import { loadRegionTree, type Region, type RegionTree } from '@/utils/region-tree';

/**
 * The fields' limits as returnAddressInputSchema has them (the contracts export no constants for them; the server
 * checks again and its answer is shown field by field).
 */
export const RETURN_ADDRESS_FIELDS = {
  nameMax: 30,
  phoneMax: 20,
  phonePattern: /^[0-9+\-() ]{5,20}$/,
  detailMax: 120,
} as const;

export interface ReturnAddressForm {
  name: string;
  phone: string;
  /** The cascader's path: province, city, district. */
  regionPath: string[];
  detail: string;
  isDefault: boolean;
}

type Field = 'name' | 'phone' | 'region' | 'detail';

/**
 * A return address as the merchant types it: who receives the goods, their phone, the district picked from China's
 * province → city → district list (sent as its 6-digit code and names), the street, and whether it is the default.
 */
export function useReturnAddressForm(onSaved: (address: ReturnAddress) => void) {
  const { t } = useI18n();

  const editing = shallowRef<ReturnAddress | null>(null);
  const form = reactive<ReturnAddressForm>({ name: '', phone: '', regionPath: [], detail: '', isDefault: false });
  const errors = reactive<Partial<Record<Field, string>>>({});
  const saving = ref(false);
  const tree = shallowRef<RegionTree | null>(null);
  const treeLoading = ref(false);
  /** The district of the address being edited when the list does not have its code (set through the API): kept as is. */
  const keptRegion = shallowRef<Region | null>(null);

  function clearErrors(): void {
    for (const key of Object.keys(errors) as Field[]) delete errors[key];
  }

  /** Start editing `source`, or a new address (the default when it is the shop's first). */
  async function reset(source: ReturnAddress | null, first: boolean): Promise<void> {
    editing.value = source;
    Object.assign(form, {
      name: source?.name ?? '',
      phone: source?.phone ?? '',
      regionPath: [],
      detail: source?.detail ?? '',
      isDefault: source ? source.isDefault : first,
    });
    keptRegion.value = source
      ? { regionCode: source.regionCode, province: source.province, city: source.city, district: source.district }
      : null;
    clearErrors();
    await ensureTree();
    const known = source ? tree.value?.byCode.get(source.regionCode) : undefined;
    if (known && editing.value === source) {
      form.regionPath = [...known.path];
      keptRegion.value = null;
    }
  }

  async function ensureTree(): Promise<void> {
    if (tree.value) return;
    treeLoading.value = true;
    try {
      tree.value = await loadRegionTree();
    } catch {
      ElMessage.error(t('afterSales.addresses.regionsFailed'));
    } finally {
      treeLoading.value = false;
    }
  }

  /** The district chosen: from the cascader, or the edited address's own when none was chosen. */
  function region(): Region | null {
    const code = form.regionPath.at(-1);
    return (code ? tree.value?.byCode.get(code)?.region : undefined) ?? keptRegion.value;
  }

  function onRegionChange(): void {
    if (form.regionPath.length) keptRegion.value = null;
    delete errors.region;
  }

  function validate(): ReturnAddressInput | null {
    clearErrors();
    const name = form.name.trim();
    const phone = form.phone.trim();
    const detail = form.detail.trim();
    const picked = region();
    if (!name) errors.name = t('afterSales.addresses.nameRequired');
    if (!RETURN_ADDRESS_FIELDS.phonePattern.test(phone)) errors.phone = t('afterSales.addresses.phoneInvalid');
    if (!picked) errors.region = t('afterSales.addresses.regionRequired');
    if (!detail) errors.detail = t('afterSales.addresses.detailRequired');
    if (Object.keys(errors).length > 0 || !picked) return null;
    return { name, phone, ...picked, detail, isDefault: form.isDefault };
  }

  async function save(): Promise<void> {
    const body = validate();
    if (!body) return;
    saving.value = true;
    try {
      const saved = editing.value ? await updateReturnAddress(editing.value.id, body) : await createReturnAddress(body);
      ElMessage.success(t('afterSales.addresses.saved'));
      onSaved(saved);
    } catch {
      // Shown by the request client; the dialog keeps the input.
    } finally {
      saving.value = false;
    }
  }

  return {
    editing,
    form,
    errors,
    saving,
    tree,
    treeLoading,
    keptRegion,
    limits: RETURN_ADDRESS_FIELDS,
    reset,
    onRegionChange,
    save,
  };
}
