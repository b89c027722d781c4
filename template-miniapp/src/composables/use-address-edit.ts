import { computed, reactive, ref, watch } from 'vue';
import { onLoad, onShow } from '@dcloudio/uni-app';
import type { AddressInput } from '@shopfleet/contracts';
import { ADDRESS_LIMITS, PHONE_PATTERN } from '@shopfleet/contracts/constants';
import { createAddress, deleteAddress, listAddresses, updateAddress } from '../api/addresses';
import { chooseWechatAddress, wechatAddressAvailable } from '../platform/address';
import { t } from '../locales';
import { pageQueryId, pageQueryValue } from '../platform/page-query';
import { ApiError, describeError } from '../request';
import { chooseCheckoutAddress } from '../stores/checkout';
import { isSignedIn } from '../stores/session';
import {
  cityOptions,
  districtOptions,
  findRegionByNames,
  isRegionCode,
  locateRegionCode,
  provinceOptions,
  resolveRegionCode,
  wholeProvinceRegion,
  type Region,
  type RegionOption,
} from '../utils/regions';
import { regionText } from '../utils/address';
import { switchValue } from '../utils/events';
import { openLogin } from '../utils/routes';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';
import { useLoginRedirect } from './use-login-redirect';

const NAME_MAX = ADDRESS_LIMITS.nameMax;
const DETAIL_MAX = ADDRESS_LIMITS.detailMax;

type PickerStep = 'province' | 'city' | 'district';

/**
 * The address form (`?id=` edits one; `?select=1` hands the saved address to the checkout). The region
 * is a 6-digit district code (GB/T 2260), chosen in a province → city → district picker over the built-in
 * table (src/data/regions.ts), or typed as the code itself; on mp-weixin a WeChat address can fill the form.
 */
export function useAddressEdit() {
  const addressId = ref<number | null>(null);
  const selectMode = ref(false);
  const signedIn = ref(false);
  const sendToLogin = useLoginRedirect();
  const loading = ref(false);
  const loaded = ref(false);
  const loadError = ref<string | null>(null);
  const saving = ref(false);
  const deleteOpen = ref(false);
  const deleting = ref(false);

  const form = reactive({ name: '', phone: '', detail: '', isDefault: false });
  const region = ref<Region | null>(null);
  /** What is typed in the code field; kept in step with the picker. */
  const codeInput = ref('');
  const codeError = ref<string | null>(null);
  const submitted = ref(false);

  const editing = computed(() => addressId.value !== null);
  const regionLabel = computed(() => (region.value ? regionText(region.value) : ''));

  const errors = computed(() => {
    const name = form.name.trim();
    const detail = form.detail.trim();
    return {
      name: name
        ? name.length > NAME_MAX
          ? t('addressEdit.error.nameLong', { max: NAME_MAX })
          : null
        : t('addressEdit.error.name'),
      phone: PHONE_PATTERN.test(form.phone.trim()) ? null : t('addressEdit.error.phone'),
      region: region.value ? null : t('addressEdit.error.region'),
      detail:
        detail.length >= 2
          ? detail.length > DETAIL_MAX
            ? t('addressEdit.error.detailLong', { max: DETAIL_MAX })
            : null
          : t('addressEdit.error.detail'),
    };
  });
  const firstError = computed(() => Object.values(errors.value).find((e) => e !== null) ?? null);

  function setRegion(next: Region | null) {
    region.value = next;
    codeInput.value = next?.regionCode ?? '';
    codeError.value = null;
  }

  /** The code field: six digits pick the district from the table; fewer clear the region. */
  watch(codeInput, (value) => {
    const code = value.replace(/\D/g, '').slice(0, 6);
    if (code !== value) {
      codeInput.value = code;
      return;
    }
    codeError.value = null;
    if (region.value?.regionCode === code) return;
    region.value = null;
    if (code.length < 6) return;
    const found = resolveRegionCode(code);
    if (found) region.value = found;
    else codeError.value = isRegionCode(code) ? t('addressEdit.error.codeUnknown') : t('addressEdit.error.codeFormat');
  });

  // ---- the province → city → district picker ----

  const picker = reactive({ open: false, step: 'province' as PickerStep, provinceCode: '', cityIndex: -1 });
  const pickerOptions = computed<RegionOption[]>(() => {
    if (picker.step === 'province') return provinceOptions();
    if (picker.step === 'city') return cityOptions(picker.provinceCode);
    return districtOptions(picker.provinceCode, picker.cityIndex);
  });
  const pickerProvinceName = computed(() => provinceOptions().find((p) => p.key === picker.provinceCode)?.name ?? '');
  const pickerCityName = computed(() => cityOptions(picker.provinceCode)[picker.cityIndex]?.name ?? '');

  function openPicker() {
    const at = region.value ? locateRegionCode(region.value.regionCode) : null;
    if (at && at.cityIndex >= 0) {
      picker.provinceCode = at.provinceCode;
      picker.cityIndex = at.cityIndex;
      picker.step = 'district';
    } else {
      picker.provinceCode = '';
      picker.cityIndex = -1;
      picker.step = 'province';
    }
    picker.open = true;
  }

  function closePicker() {
    picker.open = false;
  }

  function pickerBack(step: PickerStep) {
    if (step === 'province') picker.step = 'province';
    else if (step === 'city' && picker.provinceCode) picker.step = 'city';
  }

  function isPicked(option: RegionOption): boolean {
    if (picker.step === 'province') return option.key === picker.provinceCode;
    if (picker.step === 'city') return Number(option.key) === picker.cityIndex;
    return option.key === region.value?.regionCode;
  }

  function pick(option: RegionOption) {
    if (picker.step === 'province') {
      picker.provinceCode = option.key;
      picker.cityIndex = -1;
      const whole = wholeProvinceRegion(option.key);
      if (whole) {
        setRegion(whole);
        picker.open = false;
      } else {
        picker.step = 'city';
      }
      return;
    }
    if (picker.step === 'city') {
      picker.cityIndex = Number(option.key);
      const districts = districtOptions(picker.provinceCode, picker.cityIndex);
      const only = districts.length === 1 ? districts[0] : undefined;
      if (only) {
        setRegion(resolveRegionCode(only.key));
        picker.open = false;
      } else {
        picker.step = 'district';
      }
      return;
    }
    setRegion(resolveRegionCode(option.key));
    picker.open = false;
  }

  function onDefaultChange(event: Event) {
    form.isDefault = switchValue(event);
  }

  // ---- WeChat address (mp-weixin) ----

  async function importWechat() {
    const picked = await chooseWechatAddress();
    if (!picked) return;
    form.name = picked.name.slice(0, NAME_MAX);
    const digits = picked.phone.replace(/\D/g, '');
    form.phone = PHONE_PATTERN.test(digits) ? digits : form.phone;
    form.detail = picked.detail.slice(0, DETAIL_MAX);
    const byCode = resolveRegionCode(picked.nationalCode);
    if (byCode) {
      setRegion(byCode);
    } else if (isRegionCode(picked.nationalCode) && picked.province && picked.city && picked.district) {
      // A code newer than the built-in table: WeChat's own code and names are the honest answer.
      setRegion({
        regionCode: picked.nationalCode,
        province: picked.province.slice(0, 20),
        city: picked.city.slice(0, 20),
        district: picked.district.slice(0, 20),
      });
    } else {
      const byNames = findRegionByNames(picked.province, picked.city, picked.district);
      setRegion(byNames);
      if (!byNames) uni.showToast({ title: t('addressEdit.pickRegionByHand'), icon: 'none' });
    }
    if (!PHONE_PATTERN.test(digits)) uni.showToast({ title: t('addressEdit.error.phone'), icon: 'none' });
  }

  // ---- load, save, delete ----

  async function load() {
    signedIn.value = isSignedIn();
    if (!signedIn.value) sendToLogin();
    if (!signedIn.value || addressId.value === null) return;
    loading.value = true;
    loadError.value = null;
    try {
      const found = (await listAddresses()).find((a) => a.id === addressId.value);
      if (!found) {
        loadError.value = t('addressEdit.missing');
        return;
      }
      form.name = found.name;
      form.phone = found.phone;
      form.detail = found.detail;
      form.isDefault = found.isDefault;
      loaded.value = true;
      // The saved names stay as they are, even when the table spells them differently.
      setRegion({ regionCode: found.regionCode, province: found.province, city: found.city, district: found.district });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) signedIn.value = isSignedIn();
      else loadError.value = describeError(e);
    } finally {
      loading.value = false;
    }
  }

  function leave(savedId: number | null) {
    const pages = getCurrentPages();
    if (selectMode.value && savedId !== null) {
      chooseCheckoutAddress(savedId);
      // Opened from the address list in select mode: back past it, to the checkout.
      const previous = pages[pages.length - 2];
      if (previous?.route === 'pages/address/list' && pages.length > 2) {
        uni.navigateBack({ delta: 2 });
        return;
      }
    }
    if (pages.length > 1) uni.navigateBack();
    else uni.redirectTo({ url: '/pages/address/list' });
  }

  async function save() {
    submitted.value = true;
    if (saving.value) return;
    if (firstError.value || !region.value) {
      uni.showToast({ title: firstError.value ?? t('addressEdit.error.region'), icon: 'none' });
      return;
    }
    const input: AddressInput = {
      name: form.name.trim(),
      phone: form.phone.trim(),
      regionCode: region.value.regionCode,
      province: region.value.province,
      city: region.value.city,
      district: region.value.district,
      detail: form.detail.trim(),
      isDefault: form.isDefault,
    };
    saving.value = true;
    try {
      const saved = addressId.value !== null ? await updateAddress(addressId.value, input) : await createAddress(input);
      uni.showToast({ title: t('addressEdit.saved'), icon: 'success' });
      leave(saved.id);
    } catch (e) {
      const tooMany = e instanceof ApiError && e.status === 409;
      uni.showToast({ title: tooMany ? t('addressEdit.full') : describeError(e), icon: 'none' });
    } finally {
      saving.value = false;
    }
  }

  async function confirmDelete() {
    if (addressId.value === null || deleting.value) return;
    deleting.value = true;
    try {
      await deleteAddress(addressId.value);
      deleteOpen.value = false;
      uni.showToast({ title: t('common.deleted'), icon: 'none' });
      leave(null);
    } catch (e) {
      uni.showToast({ title: describeError(e), icon: 'none' });
    } finally {
      deleting.value = false;
    }
  }

  useShopBars({
    tabPage: false,
    title: () => (addressId.value !== null ? t('addressEdit.titleEdit') : t('addressEdit.titleNew')),
  });
  onLoad((query) => {
    addressId.value = pageQueryId(query, 'id');
    selectMode.value = pageQueryValue(query, 'select') === '1';
    void load();
  });
  onShow(() => {
    signedIn.value = isSignedIn();
    // Back from signing in: the address to edit was not loaded yet.
    if (signedIn.value && addressId.value !== null && !loaded.value && !loading.value) void load();
  });

  return {
    ...useThemeVars(),
    primaryStyle: usePrimaryButtonStyle(),
    wechatAddressAvailable,
    signedIn,
    editing,
    loading,
    loadError,
    form,
    region,
    regionLabel,
    codeInput,
    codeError,
    errors,
    submitted,
    saving,
    picker,
    pickerOptions,
    pickerProvinceName,
    pickerCityName,
    openPicker,
    closePicker,
    pickerBack,
    isPicked,
    pick,
    importWechat,
    onDefaultChange,
    save,
    deleteOpen,
    deleting,
    askDelete: () => {
      deleteOpen.value = true;
    },
    cancelDelete: () => {
      deleteOpen.value = false;
    },
    confirmDelete,
    goSignIn: openLogin,
    retry: load,
  };
}
