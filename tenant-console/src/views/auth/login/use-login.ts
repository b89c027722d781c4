import { computed, reactive, ref, useTemplateRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRoute, useRouter } from 'vue-router';
import type { FormInstance, FormRules } from 'element-plus';
import { SLUG_PATTERN } from '@shopfleet/contracts/constants';
import { isApiError, type ConsoleAudience } from '@/api/request';
import { merchantLanding, safeRedirect } from '@/router/guards';
import { HOME_ROUTE, LOGIN_ROUTE } from '@/router/routes';
import { useMerchantSessionStore } from '@/stores/merchant-session';
import { usePlatformSessionStore } from '@/stores/platform-session';

export interface LoginForm {
  email: string;
  password: string;
  /** Merchant only: the shop's slug, for a person who works for several shops. */
  shop: string;
}

export interface ShopChoice {
  slug: string;
  name: string;
}

/** Codes after which the shop field is worth showing: the account is in several shops, or in another. */
const SHOP_HINT_CODES = new Set(['CONFLICT', 'WRONG_SHOP', 'SHOP_NOT_FOUND', 'TENANT_NOT_ACTIVE']);

/** A person in several shops gets a 409 whose details list them: `{ shops: [{ slug, name }] }`. */
function shopChoicesOf(details: unknown): ShopChoice[] {
  if (typeof details !== 'object' || details === null || !('shops' in details) || !Array.isArray(details.shops))
    return [];
  return details.shops.flatMap((shop: unknown) => {
    if (typeof shop !== 'object' || shop === null) return [];
    const { slug, name } = shop as Record<string, unknown>;
    return typeof slug === 'string' ? [{ slug, name: typeof name === 'string' ? name : slug }] : [];
  });
}

/** The login page of either audience: form, rules, submit, and where to go afterwards. */
export function useLogin(audience: ConsoleAudience) {
  const { t } = useI18n();
  const route = useRoute();
  const router = useRouter();
  const merchantSession = useMerchantSessionStore();
  const platformSession = usePlatformSessionStore();

  const formRef = useTemplateRef<FormInstance>('loginForm');
  const form = reactive<LoginForm>({ email: '', password: '', shop: '' });
  const submitting = ref(false);
  const errorMessage = ref('');
  /** Open panels of the "more" section; the shop field lives there. */
  const morePanels = ref<string[]>([]);
  const shopChoices = ref<ShopChoice[]>([]);

  const isMerchant = audience === 'merchant';
  const otherLogin = computed(() => ({
    name: LOGIN_ROUTE[isMerchant ? 'platform' : 'merchant'],
    label: t(isMerchant ? 'login.toPlatform' : 'login.toMerchant'),
  }));

  const rules = computed<FormRules<LoginForm>>(() => ({
    email: [
      { required: true, message: t('login.emailRequired'), trigger: 'blur' },
      { type: 'email', message: t('login.emailInvalid'), trigger: 'blur' },
    ],
    password: [{ required: true, message: t('login.passwordRequired'), trigger: 'blur' }],
    shop: [{ pattern: SLUG_PATTERN, message: t('login.shopInvalid'), trigger: 'blur' }],
  }));

  async function submit(): Promise<void> {
    const valid = await formRef.value?.validate().catch(() => false);
    if (!valid) return;
    submitting.value = true;
    errorMessage.value = '';
    try {
      const email = form.email.trim();
      const target = safeRedirect(route.query.redirect, audience);
      if (isMerchant) {
        const shop = form.shop.trim();
        const me = await merchantSession.login({ email, password: form.password, ...(shop ? { shop } : {}) });
        await router.replace(merchantLanding(me, target));
      } else {
        await platformSession.login({ email, password: form.password });
        await router.replace(target ?? { name: HOME_ROUTE[audience] });
      }
    } catch (error) {
      errorMessage.value = error instanceof Error ? error.message : t('errors.INTERNAL');
      if (isMerchant && isApiError(error) && SHOP_HINT_CODES.has(error.code)) {
        const choices = shopChoicesOf(error.details);
        if (choices.length) shopChoices.value = choices;
        if (!morePanels.value.includes('more')) morePanels.value = [...morePanels.value, 'more'];
      }
    } finally {
      submitting.value = false;
    }
  }

  function chooseShop(slug: string): void {
    form.shop = slug;
  }

  return { form, rules, submitting, errorMessage, morePanels, shopChoices, isMerchant, otherLogin, submit, chooseShop };
}
