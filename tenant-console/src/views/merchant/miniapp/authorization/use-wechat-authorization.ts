import { computed, onBeforeUnmount, onMounted, ref, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRoute, useRouter, type LocationQuery, type LocationQueryValue } from 'vue-router';
import { ElMessage } from 'element-plus';
import type { WechatAuthorization } from '@shopfleet/contracts';
import { RELEASE_FUNC_SETS } from '@shopfleet/contracts/constants';
import { createWechatAuthorizationLink, getWechatAuthorization } from '@/api/miniapp';
import { useMerchantSessionStore } from '@/stores/merchant-session';

/** What WeChat's page reported when it sent the merchant back (`?result=authorized` or `?result=failed&reason=…`). */
export type AuthorizationResult = { kind: 'authorized' } | { kind: 'failed'; reason: string | null };

const AUTHORIZATION_ROUTE = 'merchant-miniapp-authorization';
/** The query keys of the return from WeChat; removed from the address once read. */
const RESULT_KEYS = ['result', 'reason'] as const;
/** A reason longer than this is cut (it comes from the address bar). */
const REASON_MAX_CHARS = 200;

function first(value: LocationQueryValue | LocationQueryValue[] | undefined): string {
  const single = Array.isArray(value) ? value[0] : value;
  return typeof single === 'string' ? single : '';
}

function resultFrom(query: LocationQuery): AuthorizationResult | null {
  const result = first(query.result);
  if (result === 'authorized') return { kind: 'authorized' };
  if (result !== 'failed') return null;
  const reason = first(query.reason).trim().slice(0, REASON_MAX_CHARS);
  return { kind: 'failed', reason: reason || null };
}

/** The query without the return-from-WeChat keys. */
function withoutResult(query: LocationQuery): LocationQuery {
  return Object.fromEntries(Object.entries(query).filter(([key]) => !RESULT_KEYS.some((known) => known === key)));
}

/** Only a web address is followed (never `javascript:` or the like). */
export function webLink(url: string): string | null {
  try {
    const parsed = new URL(url, window.location.href);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * The WeChat authorization page: whether the platform's WeChat third-party platform is configured, the
 * shop's mini-program as authorized to it (AppID, permission sets, when), a link to WeChat's
 * authorization page, and the result WeChat's page reports when it sends the merchant back.
 */
export function useWechatAuthorization() {
  const { t } = useI18n();
  const route = useRoute();
  const router = useRouter();
  const session = useMerchantSessionStore();

  const authorization = ref<WechatAuthorization | null>(null);
  const loading = ref(false);
  const linking = ref(false);
  const result = ref<AuthorizationResult | null>(null);

  const canAuthorize = computed(() => session.can('shop:settings:update'));
  /** The granted permission sets, in order, each once. */
  const funcSets = computed(() => [...new Set(authorization.value?.funcInfo ?? [])].sort((a, b) => a - b));
  /** The permission sets a release needs that the merchant did not grant (only meaningful once authorized). */
  const missingReleaseSets = computed(() =>
    authorization.value?.authorized ? RELEASE_FUNC_SETS.filter((set) => !funcSets.value.includes(set)) : [],
  );
  const resultMessage = computed(() => {
    const current = result.value;
    if (!current) return '';
    if (current.kind === 'authorized') return t('miniapp.authorization.resultAuthorized');
    return current.reason
      ? t('miniapp.authorization.resultFailedReason', { reason: current.reason })
      : t('miniapp.authorization.resultFailed');
  });

  async function load(): Promise<void> {
    loading.value = true;
    try {
      authorization.value = await getWechatAuthorization();
    } catch {
      authorization.value = null;
    } finally {
      loading.value = false;
    }
  }

  /** Ask for a fresh link to WeChat's page (for scanning with the admin's phone) and go there. */
  async function authorize(): Promise<void> {
    if (!canAuthorize.value || linking.value) return;
    linking.value = true;
    try {
      const link = await createWechatAuthorizationLink({ device: 'pc' });
      const target = webLink(link.url);
      if (!target) {
        ElMessage.error(t('miniapp.authorization.linkInvalid'));
        linking.value = false;
        return;
      }
      // The button stays busy while the browser leaves for WeChat.
      window.location.assign(target);
    } catch {
      // Shown by the request client.
      linking.value = false;
    }
  }

  function dismissResult(): void {
    result.value = null;
  }

  /** Back from WeChat through the browser's back button (page restored from the cache): the button is usable again. */
  function onPageShow(event: PageTransitionEvent): void {
    if (event.persisted) linking.value = false;
  }

  // WeChat's page sends the merchant back with the outcome in the query: show it once, then clean the address.
  watch(
    () => route.query,
    (query) => {
      if (route.name !== AUTHORIZATION_ROUTE) return;
      const read = resultFrom(query);
      if (!read && !RESULT_KEYS.some((key) => key in query)) return;
      if (read) result.value = read;
      void router.replace({ query: withoutResult(query), hash: route.hash });
    },
    { immediate: true },
  );

  onMounted(() => {
    window.addEventListener('pageshow', onPageShow);
    void load();
  });
  onBeforeUnmount(() => window.removeEventListener('pageshow', onPageShow));

  return {
    authorization,
    loading,
    linking,
    result,
    resultMessage,
    canAuthorize,
    funcSets,
    missingReleaseSets,
    load,
    authorize,
    dismissResult,
  };
}
