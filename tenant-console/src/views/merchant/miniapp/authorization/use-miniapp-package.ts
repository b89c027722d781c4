import { computed, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import type { TenantPackage } from '@shopfleet/contracts';
import { getMiniappPackage } from '@/api/miniapp';
import { isApiError, notifyError } from '@/api/request';
import { useMerchantSessionStore } from '@/stores/merchant-session';
import { webLink } from './use-wechat-authorization';

/**
 * The shop's mini-program package: the project of the newest template version made for the shop (the
 * server makes it when missing), a zip ready for WeChat's developer tools. Its download link is
 * short-lived, so a download asks for the package again and follows the fresh link. When no template
 * version is built yet the server answers 409, and its message is shown on the card.
 */
export function useMiniappPackage() {
  const { t } = useI18n();
  const session = useMerchantSessionStore();

  const canMake = computed(() => session.can('shop:settings:update'));
  const pkg = shallowRef<TenantPackage | null>(null);
  const making = ref(false);
  const downloading = ref(false);
  /** The server's message when there is no package to make (409: no template version built yet). */
  const unavailable = ref<string | null>(null);

  /** The download link of the package last shown, when it is a web address. */
  const downloadUrl = computed(() => (pkg.value ? webLink(pkg.value.downloadUrl) : null) ?? undefined);
  const sizeKb = computed(() => (pkg.value ? (pkg.value.sizeBytes / 1024).toFixed(1) : ''));

  /** Ask for the package; null when there is none (the reason is shown). */
  async function fetchPackage(): Promise<TenantPackage | null> {
    try {
      const fetched = await getMiniappPackage({ silent: true });
      pkg.value = fetched;
      unavailable.value = null;
      return fetched;
    } catch (error) {
      if (isApiError(error) && error.code === 'CONFLICT') {
        pkg.value = null;
        unavailable.value = error.message;
      } else {
        notifyError(error);
      }
      return null;
    }
  }

  async function make(): Promise<void> {
    if (!canMake.value || making.value) return;
    making.value = true;
    try {
      await fetchPackage();
    } finally {
      making.value = false;
    }
  }

  /** A fresh link (the one shown may have expired), then the browser downloads from it. */
  async function download(): Promise<void> {
    if (!canMake.value || downloading.value) return;
    downloading.value = true;
    try {
      const fresh = await fetchPackage();
      if (!fresh) return;
      const target = webLink(fresh.downloadUrl);
      if (!target) {
        ElMessage.error(t('miniapp.package.linkInvalid'));
        return;
      }
      window.location.assign(target);
    } finally {
      downloading.value = false;
    }
  }

  return { canMake, pkg, making, downloading, unavailable, downloadUrl, sizeKb, make, download };
}
