import { computed, onMounted, reactive, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox } from 'element-plus';
import type { CodeUpload, CodeUploadKey } from '@shopfleet/contracts';
import {
  CODE_UPLOAD_KEY_LENGTH,
  WECHAT_APP_SECRET_PATTERN,
  WECHAT_APPID_PATTERN,
} from '@shopfleet/contracts/constants';
import {
  getCodeUploadKey,
  listCodeUploads,
  removeCodeUploadKey,
  setCodeUploadKey,
  startCodeUpload,
} from '@/api/miniapp';
import { usePagedList } from '@/composables/use-paged-list';
import { useListPolling } from '@/composables/use-list-polling';
import { useMerchantSessionStore } from '@/stores/merchant-session';

const APPID = WECHAT_APPID_PATTERN;
const APP_SECRET = WECHAT_APP_SECRET_PATTERN;
/** A key file is a few kB; anything larger than the contract takes is not one. */
const MAX_KEY_BYTES = CODE_UPLOAD_KEY_LENGTH.max;

/**
 * The direct path on the release page: the shop's own code-upload key (AppID, key file, AppSecret) and
 * the uploads made with it, followed every few seconds while one is queued or uploading.
 */
export function useCodeUploads() {
  const { t } = useI18n();
  const session = useMerchantSessionStore();
  const canManage = computed(() => session.can('miniapp:release:manage'));

  const key = ref<CodeUploadKey | null>(null);
  const keyLoaded = ref(false);
  const uploads = usePagedList<CodeUpload>(listCodeUploads, { pageSize: 10 });
  const { following } = useListPolling(uploads, (u) => u.status === 'queued' || u.status === 'uploading');

  const editing = ref(false);
  const saving = ref(false);
  const starting = ref(false);
  const description = ref('');
  const form = reactive({ appid: '', privateKey: '', keyFileName: '', appSecret: '' });
  const formError = computed(() => {
    if (!APPID.test(form.appid.trim())) return t('miniapp.codeUpload.badAppid');
    if (!form.privateKey.includes('PRIVATE KEY')) return t('miniapp.codeUpload.pickKey');
    if (form.appSecret.trim() && !APP_SECRET.test(form.appSecret.trim())) return t('miniapp.codeUpload.badSecret');
    return null;
  });

  async function load(): Promise<void> {
    try {
      key.value = await getCodeUploadKey();
      keyLoaded.value = true;
    } catch {
      // shown by the request client
    }
    await uploads.load();
  }

  function edit(): void {
    Object.assign(form, { appid: key.value?.appid ?? '', privateKey: '', keyFileName: '', appSecret: '' });
    editing.value = true;
  }

  /** Reads the chosen private.<appid>.key file as text; it is sent once and never shown again. */
  async function pickKeyFile(file: File): Promise<void> {
    if (file.size > MAX_KEY_BYTES) {
      ElMessage.error(t('miniapp.codeUpload.keyTooLarge'));
      return;
    }
    form.privateKey = await file.text();
    form.keyFileName = file.name;
    const fromName = /private\.(wx[0-9a-f]{16})\.key$/.exec(file.name)?.[1];
    if (fromName && !form.appid) form.appid = fromName;
  }

  async function save(): Promise<void> {
    if (formError.value) return;
    saving.value = true;
    try {
      key.value = await setCodeUploadKey({
        appid: form.appid.trim(),
        privateKey: form.privateKey,
        ...(form.appSecret.trim() ? { appSecret: form.appSecret.trim() } : {}),
      });
      editing.value = false;
      form.privateKey = '';
      form.appSecret = '';
      ElMessage.success(t('miniapp.codeUpload.saved'));
    } catch {
      // shown by the request client
    } finally {
      saving.value = false;
    }
  }

  async function remove(): Promise<void> {
    try {
      await ElMessageBox.confirm(t('miniapp.codeUpload.removeConfirm'), t('miniapp.codeUpload.remove'), {
        type: 'warning',
      });
    } catch {
      return;
    }
    try {
      await removeCodeUploadKey();
      key.value = null;
    } catch {
      // shown by the request client
    }
  }

  async function upload(): Promise<void> {
    starting.value = true;
    try {
      await startCodeUpload({ description: description.value.trim() });
      description.value = '';
      uploads.page.value = 1;
      await uploads.load();
    } catch {
      // shown by the request client
    } finally {
      starting.value = false;
    }
  }

  onMounted(load);
  return {
    canManage,
    key,
    keyLoaded,
    uploads,
    following,
    editing,
    saving,
    starting,
    description,
    form,
    formError,
    edit,
    pickKeyFile,
    save,
    remove,
    upload,
  };
}
