import { computed, ref } from 'vue';
import { onLoad, onShow } from '@dcloudio/uni-app';
import type { Order } from '@shopfleet/contracts';
import { BUYER_REMARK_MAX } from '@shopfleet/contracts/constants';
import { t } from '../locales';
import { pageQueryId } from '../platform/page-query';
import { ApiError } from '../request';
import { isSignedIn } from '../stores/session';
import { newIdempotencyKey } from '../utils/ids';
import { openLogin, openPay } from '../utils/routes';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';
import { useAddressChoice } from './use-address-choice';
import { useLoginRedirect } from './use-login-redirect';

/** What a campaign's checkout page (flash sale, group buy) adds to the flow they share. */
export interface CampaignCheckoutSpec<T> {
  /** The page's title. */
  title: () => string;
  /** Reads the page's own ids from its query (the quantity is read here). */
  readQuery: (query: Record<string, unknown> | undefined) => void;
  /** Whether the query lacks an id the page needs. */
  invalid: () => boolean;
  /** Loads what the page shows; a failure is shown through errorText. */
  load: () => Promise<void>;
  /** What is bought, once loaded; null while there is nothing to buy. */
  target: () => T | null;
  /** Whether it can be bought now, the address aside. */
  open: () => boolean;
  /** Places the order, always with this page visit's key. */
  place: (target: T, req: { addressId: number; remark: string }, idempotencyKey: string) => Promise<Order>;
  /** The shopper's text for a failed load or purchase. */
  errorText: (e: unknown) => string;
}

/** The shared state and actions, for the page's campaign-checkout component. */
export type CampaignCheckout = ReturnType<typeof useCampaignCheckout>;

/**
 * The checkout flow a campaign's item shares with checkout: sign-in, the address chosen as checkout chooses it, a remark,
 * and a submit that goes to payment. One Idempotency-Key for this visit of the page: a retry after a lost answer
 * returns the order the first try placed; a refusal (409) reloads what the page shows.
 */
export function useCampaignCheckout<T>(spec: CampaignCheckoutSpec<T>) {
  const quantityAsked = ref(1);
  const idempotencyKey = newIdempotencyKey();

  const signedIn = ref(false);
  const sendToLogin = useLoginRedirect();
  const choice = useAddressChoice(() => {
    signedIn.value = isSignedIn();
  });

  const loaded = ref(false);
  const loadError = ref<string | null>(null);
  const remark = ref('');
  const submitting = ref(false);
  const submitError = ref<string | null>(null);

  const invalid = computed(spec.invalid);
  const canSubmit = computed(() => !!spec.target() && !!choice.address.value && !submitting.value && spec.open());

  async function load() {
    loadError.value = null;
    try {
      await spec.load();
      loaded.value = true;
    } catch (e) {
      loadError.value = spec.errorText(e);
    }
  }

  async function refresh() {
    signedIn.value = isSignedIn();
    if (!signedIn.value) sendToLogin();
    if (!signedIn.value || invalid.value) return;
    await Promise.all([choice.loadAddresses(), load()]);
  }

  async function submit() {
    if (submitting.value) return;
    const address = choice.address.value;
    if (!address) {
      uni.showToast({ title: t('checkout.needAddress'), icon: 'none' });
      return;
    }
    const target = spec.target();
    if (!target) return;
    submitting.value = true;
    submitError.value = null;
    try {
      const req = { addressId: address.id, remark: remark.value.trim().slice(0, BUYER_REMARK_MAX) };
      const order = await spec.place(target, req, idempotencyKey);
      openPay(order.id, true);
    } catch (e) {
      if (e instanceof ApiError && e.status > 0 && e.status < 500) {
        submitError.value = spec.errorText(e);
        // Sold out, full, over, not running: what the page shows, as the server has it now.
        if (e.status === 409) void load();
      } else {
        // No answer, or a server failure: the order may or may not exist; the same key makes a retry safe.
        submitError.value = t('checkout.retrySafe', { error: spec.errorText(e) });
      }
    } finally {
      submitting.value = false;
    }
  }

  function back() {
    if (getCurrentPages().length > 1) uni.navigateBack();
    else uni.switchTab({ url: '/pages/index/index' });
  }

  useShopBars({ tabPage: false, title: spec.title });
  onLoad((query) => {
    spec.readQuery(query);
    quantityAsked.value = pageQueryId(query, 'quantity') ?? 1;
  });
  onShow(() => {
    void refresh();
  });

  return {
    ...useThemeVars(),
    primaryStyle: usePrimaryButtonStyle(),
    REMARK_MAX: BUYER_REMARK_MAX,
    quantityAsked,
    invalid,
    signedIn,
    addressesLoaded: choice.addressesLoaded,
    addressError: choice.addressError,
    address: choice.address,
    addressText: choice.addressText,
    addressPhone: choice.addressPhone,
    changeAddress: choice.changeAddress,
    loaded,
    loadError,
    remark,
    submitting,
    submitError,
    canSubmit,
    submit,
    back,
    retry: refresh,
    goSignIn: openLogin,
  };
}
