import { computed, onMounted, reactive, ref, useTemplateRef } from 'vue';
import { useI18n } from 'vue-i18n';
import {
  ElMessage,
  type FormInstance,
  type FormRules,
  type UploadRawFile,
  type UploadRequestOptions,
} from 'element-plus';
import type { ShopSettings, UpdateShopBody } from '@shopfleet/contracts';
import { HEX_COLOR, LOGO_MAX_BYTES } from '@shopfleet/contracts/constants';
import { getShop, LOGO_TYPES, updateShop, uploadShopLogo } from '@/api/shop';
import { useMerchantSessionStore } from '@/stores/merchant-session';

export interface ShopForm {
  name: string;
  description: string;
  themeColor: string;
}

const PRESET_COLORS = ['#e4393c', '#ff6a00', '#f5a623', '#07c160', '#1677ff', '#722ed1', '#eb2f96', '#222222'];

function formOf(shop: ShopSettings): ShopForm {
  return { name: shop.name, description: shop.description ?? '', themeColor: shop.themeColor };
}

/** Only what changed, in the shape PATCH /shop takes (an emptied description becomes null). */
function changesOf(shop: ShopSettings, form: ShopForm): UpdateShopBody {
  const body: UpdateShopBody = {};
  const name = form.name.trim();
  const description = form.description.trim();
  if (name !== shop.name) body.name = name;
  if (description !== (shop.description ?? '')) body.description = description || null;
  if (form.themeColor.toLowerCase() !== shop.themeColor.toLowerCase()) body.themeColor = form.themeColor;
  return body;
}

/** The shop settings page: load, edit (name, description, theme colour), upload a logo. */
export function useShopSettings() {
  const { t } = useI18n();
  const session = useMerchantSessionStore();

  const shop = ref<ShopSettings | null>(null);
  const form = reactive<ShopForm>({ name: '', description: '', themeColor: '#e4393c' });
  const formRef = useTemplateRef<FormInstance>('shopForm');
  const loading = ref(false);
  const saving = ref(false);
  const uploading = ref(false);

  const canEdit = computed(() => session.can('shop:settings:update'));
  const dirty = computed(() => (shop.value ? Object.keys(changesOf(shop.value, form)).length > 0 : false));

  const rules = computed<FormRules<ShopForm>>(() => ({
    name: [
      { required: true, message: t('shop.nameRequired'), trigger: 'blur' },
      { min: 2, max: 60, message: t('shop.nameLength'), trigger: 'blur' },
    ],
    description: [{ max: 500, message: t('shop.descriptionLength'), trigger: 'blur' }],
    themeColor: [
      { required: true, message: t('shop.themeColorRequired'), trigger: 'change' },
      { pattern: HEX_COLOR, message: t('shop.themeColorInvalid'), trigger: 'change' },
    ],
  }));

  function apply(next: ShopSettings): void {
    shop.value = next;
    Object.assign(form, formOf(next));
    session.applyShop(next);
  }

  async function load(): Promise<void> {
    loading.value = true;
    try {
      apply(await getShop());
    } catch {
      shop.value = null;
    } finally {
      loading.value = false;
    }
  }

  async function save(): Promise<void> {
    if (!shop.value) return;
    const valid = await formRef.value?.validate().catch(() => false);
    if (!valid) return;
    const body = changesOf(shop.value, form);
    if (Object.keys(body).length === 0) {
      ElMessage.info(t('shop.noChanges'));
      return;
    }
    saving.value = true;
    try {
      apply(await updateShop(body));
      ElMessage.success(t('shop.saved'));
    } catch {
      // The request client has shown the error; the form keeps the user's input.
    } finally {
      saving.value = false;
    }
  }

  function reset(): void {
    if (shop.value) Object.assign(form, formOf(shop.value));
    formRef.value?.clearValidate();
  }

  /** el-color-picker gives null when cleared; a theme colour is required, so fall back to the saved one. */
  function onColorChange(value: string | null): void {
    form.themeColor = value ? value.toLowerCase() : (shop.value?.themeColor ?? form.themeColor);
  }

  function checkLogo(file: UploadRawFile): boolean {
    if (!LOGO_TYPES.some((type) => type === file.type)) {
      ElMessage.error(t('shop.logoType'));
      return false;
    }
    if (file.size > LOGO_MAX_BYTES) {
      ElMessage.error(t('shop.logoSize'));
      return false;
    }
    return true;
  }

  async function uploadLogo(options: UploadRequestOptions): Promise<void> {
    uploading.value = true;
    try {
      apply(await uploadShopLogo(options.file));
      ElMessage.success(t('shop.logoUploaded'));
    } catch {
      // Shown by the request client.
    } finally {
      uploading.value = false;
    }
  }

  onMounted(load);

  return {
    shop,
    form,
    rules,
    loading,
    saving,
    uploading,
    canEdit,
    dirty,
    presetColors: PRESET_COLORS,
    logoAccept: LOGO_TYPES.join(','),
    load,
    save,
    reset,
    onColorChange,
    checkLogo,
    uploadLogo,
  };
}
