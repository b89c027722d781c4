import { computed, ref } from 'vue';
import { onLoad, onShow } from '@dcloudio/uni-app';
import type { Address } from '@shopfleet/contracts';
import { ADDRESSES_MAX } from '@shopfleet/contracts/constants';
import { deleteAddress, listAddresses, updateAddress } from '../api/addresses';
import { t } from '../locales';
import { pageQueryValue } from '../platform/page-query';
import { ApiError, describeError } from '../request';
import { chooseCheckoutAddress } from '../stores/checkout';
import { isSignedIn } from '../stores/session';
import { addressInputOf } from '../utils/address';
import { openAddressEdit, openLogin } from '../utils/routes';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';
import { useLoginRedirect } from './use-login-redirect';

/** The address book; in select mode (`?select=1`, from checkout) a tap chooses the address and goes back. */
export function useAddressList() {
  const selectMode = ref(false);
  const signedIn = ref(false);
  const sendToLogin = useLoginRedirect();
  const addresses = ref<Address[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const deleting = ref<Address | null>(null);
  const busy = ref(false);

  const full = computed(() => addresses.value.length >= ADDRESSES_MAX);

  async function load() {
    signedIn.value = isSignedIn();
    if (!signedIn.value) {
      sendToLogin();
      return;
    }
    loading.value = true;
    error.value = null;
    try {
      addresses.value = await listAddresses();
      loaded.value = true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) signedIn.value = isSignedIn();
      else error.value = describeError(e);
    } finally {
      loading.value = false;
    }
  }

  function choose(address: Address) {
    if (!selectMode.value) return;
    chooseCheckoutAddress(address.id);
    uni.navigateBack();
  }

  function add() {
    if (full.value) {
      uni.showToast({ title: t('addressList.full', { max: ADDRESSES_MAX }), icon: 'none' });
      return;
    }
    openAddressEdit({ select: selectMode.value });
  }

  function edit(address: Address) {
    openAddressEdit({ id: address.id });
  }

  async function makeDefault(address: Address) {
    if (address.isDefault || busy.value) return;
    busy.value = true;
    try {
      await updateAddress(address.id, addressInputOf(address, true));
      await load();
      uni.showToast({ title: t('addressList.madeDefault'), icon: 'none' });
    } catch (e) {
      uni.showToast({ title: describeError(e), icon: 'none' });
    } finally {
      busy.value = false;
    }
  }

  function askDelete(address: Address) {
    deleting.value = address;
  }

  function cancelDelete() {
    deleting.value = null;
  }

  async function confirmDelete() {
    const address = deleting.value;
    if (!address || busy.value) return;
    busy.value = true;
    try {
      await deleteAddress(address.id);
      deleting.value = null;
      await load();
      uni.showToast({ title: t('common.deleted'), icon: 'none' });
    } catch (e) {
      uni.showToast({ title: describeError(e), icon: 'none' });
    } finally {
      busy.value = false;
    }
  }

  useShopBars({ tabPage: false, title: () => (selectMode.value ? t('addressList.selectTitle') : t('nav.addresses')) });
  onLoad((query) => {
    selectMode.value = pageQueryValue(query, 'select') === '1';
  });
  onShow(() => {
    void load();
  });

  return {
    ...useThemeVars(),
    primaryStyle: usePrimaryButtonStyle(),
    selectMode,
    signedIn,
    addresses,
    loaded,
    loading,
    error,
    deleting,
    busy,
    full,
    choose,
    add,
    edit,
    makeDefault,
    askDelete,
    cancelDelete,
    confirmDelete,
    goSignIn: openLogin,
    retry: load,
  };
}
