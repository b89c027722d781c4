import { computed, onMounted, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox } from 'element-plus';
import type { ReturnAddress, ReturnAddressInput } from '@shopfleet/contracts';
import { AFTER_SALES_LIMITS } from '@shopfleet/contracts/constants';
import { deleteReturnAddress, listReturnAddresses, updateReturnAddress } from '@/api/after-sales';
import { useMerchantSessionStore } from '@/stores/merchant-session';

/** The body that writes an address back unchanged (but for what `changes` says). */
export function inputOf(address: ReturnAddress, changes: Partial<ReturnAddressInput> = {}): ReturnAddressInput {
  return {
    name: address.name,
    phone: address.phone,
    regionCode: address.regionCode,
    province: address.province,
    city: address.city,
    district: address.district,
    detail: address.detail,
    isDefault: address.isDefault,
    ...changes,
  };
}

/** The shop's return addresses (default first): making one the default, deleting one, and the editor dialog's state. */
export function useReturnAddresses() {
  const { t } = useI18n();
  const session = useMerchantSessionStore();
  const canManage = computed(() => session.can('aftersale:case:manage'));

  const addresses = shallowRef<ReturnAddress[]>([]);
  const loading = ref(false);
  const busyId = ref<number | null>(null);
  const full = computed(() => addresses.value.length >= AFTER_SALES_LIMITS.returnAddressesMax);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      addresses.value = await listReturnAddresses();
    } catch {
      addresses.value = [];
    } finally {
      loading.value = false;
    }
  }

  // ---- the editor dialog ----
  const dialogOpen = ref(false);
  /** The address being edited; null for a new one. */
  const editing = shallowRef<ReturnAddress | null>(null);

  function openNew(): void {
    editing.value = null;
    dialogOpen.value = true;
  }

  function openEdit(address: ReturnAddress): void {
    editing.value = address;
    dialogOpen.value = true;
  }

  async function onSaved(): Promise<void> {
    dialogOpen.value = false;
    await load();
  }

  async function makeDefault(address: ReturnAddress): Promise<void> {
    busyId.value = address.id;
    try {
      await updateReturnAddress(address.id, inputOf(address, { isDefault: true }));
      ElMessage.success(t('afterSales.addresses.defaultSet', { name: address.name }));
      await load();
    } catch {
      // Shown by the request client.
    } finally {
      busyId.value = null;
    }
  }

  async function remove(address: ReturnAddress): Promise<void> {
    try {
      await ElMessageBox.confirm(
        t(address.isDefault ? 'afterSales.addresses.deleteDefaultConfirm' : 'afterSales.addresses.deleteConfirm', {
          name: address.name,
        }),
        t('afterSales.addresses.delete'),
        { type: 'warning', confirmButtonText: t('common.delete'), cancelButtonText: t('common.cancel') },
      );
    } catch {
      return;
    }
    busyId.value = address.id;
    try {
      await deleteReturnAddress(address.id);
      ElMessage.success(t('afterSales.addresses.deleted'));
      await load();
    } catch {
      // Shown by the request client.
    } finally {
      busyId.value = null;
    }
  }

  onMounted(load);

  return {
    canManage,
    addresses,
    loading,
    busyId,
    full,
    max: AFTER_SALES_LIMITS.returnAddressesMax,
    load,
    dialogOpen,
    editing,
    openNew,
    openEdit,
    onSaved,
    makeDefault,
    remove,
  };
}
