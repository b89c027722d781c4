import { computed, ref } from 'vue';
import type { Address } from '@shopfleet/contracts';
import { listAddresses } from '../api/addresses';
import { ApiError, describeError } from '../request';
import { takeChosenAddress } from '../stores/checkout';
import { fullAddress, maskPhone } from '../utils/address';
import { openAddressEdit, openAddresses } from '../utils/routes';

/**
 * Where an order goes, as checkout chooses it: the shopper's addresses, the one handed back by the address list (in
 * select mode) or the one chosen before, else the default, else the first; changing it opens the address list (or the
 * form, with none yet). `onSignedOut` runs when the answer says the sign-in ran out.
 */
export function useAddressChoice(onSignedOut: () => void) {
  const addresses = ref<Address[]>([]);
  const addressesLoaded = ref(false);
  const addressId = ref<number | null>(null);
  const addressError = ref<string | null>(null);

  const address = computed(() => addresses.value.find((a) => a.id === addressId.value) ?? null);
  const addressText = computed(() => (address.value ? fullAddress(address.value) : ''));
  const addressPhone = computed(() => (address.value ? maskPhone(address.value.phone) : ''));

  async function loadAddresses() {
    addressError.value = null;
    try {
      addresses.value = await listAddresses();
      addressesLoaded.value = true;
      const handed = takeChosenAddress();
      const keep = [handed, addressId.value].find((id) => id !== null && addresses.value.some((a) => a.id === id));
      addressId.value = keep ?? addresses.value.find((a) => a.isDefault)?.id ?? addresses.value[0]?.id ?? null;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) onSignedOut();
      else addressError.value = describeError(e);
    }
  }

  function changeAddress() {
    if (addresses.value.length) openAddresses(true);
    else openAddressEdit({ select: true });
  }

  return {
    addresses,
    addressesLoaded,
    addressId,
    addressError,
    address,
    addressText,
    addressPhone,
    loadAddresses,
    changeAddress,
  };
}
