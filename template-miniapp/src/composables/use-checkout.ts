import { computed, ref } from 'vue';
import { onLoad, onShow } from '@dcloudio/uni-app';
import type { CheckoutCoupon } from '@shopfleet/contracts';
import { BUYER_REMARK_MAX } from '@shopfleet/contracts/constants';
import { checkoutPreview, placeOrder, type CheckoutPreview, type CheckoutRequest } from '../api/orders';
import { t } from '../locales';
import { pageQueryValue } from '../platform/page-query';
import { ApiError, describeError } from '../request';
import { cartState, forgetCart, loadCart, selectedLines } from '../stores/cart';
import { checkoutState } from '../stores/checkout';
import { isSignedIn } from '../stores/session';
import { newIdempotencyKey } from '../utils/ids';
import { couponValidityText, discountRows, unusableText } from '../utils/marketing';
import { formatFen } from '../utils/money';
import { CART_PAGE, decodeCheckoutItems, openLogin, openPay, openTabPage, type CheckoutItem } from '../utils/routes';
import { usePrimaryButtonStyle, useShopBars, useThemeVars } from './shop-theme';
import { useAddressChoice } from './use-address-choice';
import { useLoginRedirect } from './use-login-redirect';

/** One thing the server refused to sell as asked (the `problems` of a 409), or an order-wide refusal. */
export interface CheckoutProblem {
  skuId: number | null;
  reason: string;
  stockLeft: number | null;
}

/**
 * The 409 reason for an address some products' freight templates do not deliver to (details
 * `{ problems: [{ skuId, productId, reason, regionCode }] }`, one per line that cannot go there).
 */
const NOT_DELIVERABLE = 'not_deliverable';

/** The `details` of a 409 from preview or placing: `{ problems: [{ skuId, reason, stockLeft? }] }` or `{ reason }`. */
export function problemsOf(error: ApiError): CheckoutProblem[] {
  const details = (error.details ?? null) as { problems?: unknown; reason?: unknown } | null;
  const raw = Array.isArray(details?.problems) ? (details.problems as unknown[]) : [];
  const problems = raw.map((entry): CheckoutProblem => {
    const p = (entry ?? {}) as { skuId?: unknown; reason?: unknown; stockLeft?: unknown };
    return {
      skuId: typeof p.skuId === 'number' ? p.skuId : null,
      reason: typeof p.reason === 'string' ? p.reason : '',
      stockLeft: typeof p.stockLeft === 'number' ? p.stockLeft : null,
    };
  });
  if (!problems.length && typeof details?.reason === 'string')
    problems.push({ skuId: null, reason: details.reason, stockLeft: null });
  return problems;
}

export function problemText(problem: CheckoutProblem): string {
  switch (problem.reason) {
    case 'not_for_sale':
    case 'off_sale':
    case 'deleted':
      return t('checkout.problem.offSale');
    case 'insufficient_stock':
    case 'out_of_stock':
      return problem.stockLeft !== null && problem.stockLeft > 0
        ? t('checkout.problem.fewLeft', { count: problem.stockLeft })
        : t('checkout.problem.soldOut');
    case 'too_many_unpaid':
      return t('checkout.problem.tooManyUnpaid');
    case NOT_DELIVERABLE:
      return problem.skuId !== null ? t('checkout.problem.lineNotDeliverable') : t('checkout.problem.notDeliverable');
    default:
      return t('checkout.problem.other');
  }
}

type Mode = { fromCart: true } | { fromCart: false; items: CheckoutItem[] };

/** The server refused the coupon asked for: not the shopper's, used meanwhile, or unusable on this order (and why). */
function isCouponRefusal(error: unknown): error is ApiError {
  return error instanceof ApiError && (error.reason?.startsWith('COUPON_') ?? false);
}

/** Checkout: address, the server's preview (lines, shipping, total, or what cannot be bought), remark, placing the order. */
export function useCheckout() {
  const mode = ref<Mode | null>(null);
  /** One key for this visit of the page: every retry of placing the order sends it, so the order is placed once. */
  const idempotencyKey = newIdempotencyKey();

  const signedIn = ref(false);
  const sendToLogin = useLoginRedirect();
  const { addressesLoaded, addressId, addressError, address, addressText, addressPhone, loadAddresses, changeAddress } =
    useAddressChoice(() => {
      signedIn.value = isSignedIn();
    });

  const preview = ref<CheckoutPreview | null>(null);
  const previewLoading = ref(false);
  const previewError = ref<string | null>(null);
  const problems = ref<CheckoutProblem[]>([]);
  let previewGeneration = 0;

  const remark = ref('');
  const submitting = ref(false);
  const submitError = ref<string | null>(null);

  /** The coupon the shopper chose: a coupon, none (null), or not chosen yet (undefined: the server picks the best). */
  const couponChoice = ref<number | null | undefined>(undefined);
  const couponPickerOpen = ref(false);
  /** Pay part of the order with points: the pay-with-points switch, sent with the preview and the placement. */
  const usePoints = ref(false);

  const invalid = computed(() => mode.value === null);

  /** What is being bought, while the preview is not there (no address yet, or a 409). */
  const wantedLines = computed(() => {
    const m = mode.value;
    if (!m) return [];
    if (m.fromCart) {
      return selectedLines(cartState.cart).map((line) => ({
        key: line.skuId,
        title: line.title,
        spec: line.specValues.join(' / '),
        quantity: line.quantity,
      }));
    }
    return m.items.map((item) => ({
      key: item.skuId,
      title: labelOf(item.skuId).title,
      spec: labelOf(item.skuId).spec,
      quantity: item.quantity,
    }));
  });

  function labelOf(skuId: number): { title: string; spec: string } {
    const fromPreview = preview.value?.lines.find((l) => l.skuId === skuId);
    if (fromPreview) return { title: fromPreview.title, spec: fromPreview.specValues.join(' / ') };
    const fromCart = cartState.cart?.lines.find((l) => l.skuId === skuId);
    if (fromCart) return { title: fromCart.title, spec: fromCart.specValues.join(' / ') };
    return checkoutState.labels[skuId] ?? { title: t('checkout.itemLabel', { skuId }), spec: '' };
  }

  const problemRows = computed(() =>
    problems.value.map((p, index) => ({
      key: `${p.skuId ?? 'order'}-${index}`,
      title: p.skuId !== null ? labelOf(p.skuId).title : '',
      spec: p.skuId !== null ? labelOf(p.skuId).spec : '',
      text: problemText(p),
      reason: p.reason,
    })),
  );
  /** A delivery refusal: changing the address may help. */
  const deliveryProblem = computed(() => problems.value.some((p) => p.reason === NOT_DELIVERABLE));

  const totalText = computed(() => (preview.value ? formatFen(preview.value.totalFen) : '--'));

  /** The discounts the order gets, one line each: coupon −¥x, spend-and-save −¥y, timed discount −¥z. */
  const discounts = computed(() => discountRows(preview.value?.discounts ?? []));

  const usableCoupons = computed(() => (preview.value?.coupons ?? []).filter((c) => c.usable));
  const unusableCoupons = computed(() => (preview.value?.coupons ?? []).filter((c) => !c.usable));
  /** The coupon row: what the coupon used takes off, else no coupon / N usable / none usable. */
  const couponRow = computed(() => {
    const p = preview.value;
    if (!p) return null;
    const used = p.couponId === null ? null : p.coupons.find((c) => c.coupon.id === p.couponId);
    if (used) {
      const fen = p.discounts.find((d) => d.source === 'coupon')?.fen ?? used.discountFen;
      return { active: true, text: formatFen(-fen), name: used.coupon.name };
    }
    const usable = usableCoupons.value.length;
    if (usable === 0) return { active: false, text: t('checkout.couponsNoneUsable'), name: '' };
    const text =
      couponChoice.value === null ? t('checkout.couponNone') : t('checkout.couponsUsable', { count: usable });
    return { active: false, text, name: '' };
  });

  /** The pay-with-points row: shown while the shop gives points and this order may take some (N points usable, ¥x off). */
  const pointsRow = computed(() => {
    const points = preview.value?.points;
    if (!points || points.usable <= 0) return null;
    return {
      on: usePoints.value,
      text: t('member.checkout.usable', { points: points.usable, amount: formatFen(points.usableFen) }),
    };
  });

  /** The switch turned: priced again with (or without) the points. */
  function setUsePoints(on: boolean) {
    if (usePoints.value === on) return;
    usePoints.value = on;
    submitError.value = null;
    void runPreview();
  }

  const canSubmit = computed(
    () =>
      !!preview.value && !!address.value && problems.value.length === 0 && !submitting.value && !previewLoading.value,
  );

  function request(): CheckoutRequest | null {
    const m = mode.value;
    if (!m || addressId.value === null) return null;
    const base = {
      addressId: addressId.value,
      remark: remark.value.trim().slice(0, BUYER_REMARK_MAX),
      couponId: couponChoice.value,
      usePoints: usePoints.value,
    };
    return m.fromCart ? { ...base, fromCart: true } : { ...base, fromCart: false, items: m.items };
  }

  async function runPreview() {
    const req = request();
    if (!req) {
      preview.value = null;
      return;
    }
    const mine = ++previewGeneration;
    previewLoading.value = true;
    previewError.value = null;
    try {
      const result = await checkoutPreview(req);
      if (mine !== previewGeneration) return;
      preview.value = result;
      problems.value = [];
    } catch (e) {
      if (mine !== previewGeneration) return;
      if (isCouponRefusal(e) && couponChoice.value !== undefined) {
        // The coupon chosen cannot be used (any more): say why, and price again with the best one.
        uni.showToast({ title: describeError(e), icon: 'none' });
        couponChoice.value = undefined;
        void runPreview();
        return;
      }
      preview.value = null;
      if (e instanceof ApiError && e.status === 409) problems.value = problemsOf(e);
      else if (e instanceof ApiError && e.code === 'VALIDATION_FAILED' && mode.value?.fromCart)
        previewError.value = t('checkout.cartEmpty');
      else previewError.value = describeError(e);
    } finally {
      if (mine === previewGeneration) previewLoading.value = false;
    }
  }

  async function refresh() {
    signedIn.value = isSignedIn();
    if (!signedIn.value) sendToLogin();
    if (!signedIn.value || !mode.value) return;
    const previous = addressId.value;
    const needCart = mode.value.fromCart && !cartState.cart;
    await Promise.all([loadAddresses(), needCart ? loadCart().catch(() => null) : Promise.resolve(null)]);
    // Preview on first show and whenever the address changed; a failed one is tried again.
    if (addressId.value !== previous || !preview.value) await runPreview();
  }

  function openCouponPicker() {
    if (preview.value?.coupons.length) couponPickerOpen.value = true;
  }

  /** A coupon chosen in the picker, or none (null): priced again with it. */
  function chooseCoupon(id: number | null) {
    couponPickerOpen.value = false;
    if (couponChoice.value === id && preview.value?.couponId === id) return;
    couponChoice.value = id;
    submitError.value = null;
    void runPreview();
  }

  /** Under a coupon in the picker: what it saves here, or why it cannot be used (¥x short, out of scope…). */
  function couponNote(c: CheckoutCoupon): string {
    if (c.usable) return t('checkout.couponSaves', { amount: formatFen(c.discountFen) });
    return c.reason ? unusableText(c.reason, c.params) : '';
  }

  async function submit() {
    if (submitting.value) return;
    const req = request();
    if (!req || !address.value) {
      uni.showToast({ title: t('checkout.needAddress'), icon: 'none' });
      return;
    }
    if (problems.value.length) {
      uni.showToast({ title: t('checkout.fixProblems'), icon: 'none' });
      return;
    }
    const shown = preview.value;
    if (!shown) {
      // Nothing priced to place yet: price it, and the shopper submits what they then see.
      void runPreview();
      return;
    }
    submitting.value = true;
    submitError.value = null;
    try {
      // What the shopper saw: the coupon priced (or none) and the total; a price that moved meanwhile places nothing.
      const order = await placeOrder(
        { ...req, couponId: shown.couponId, expectedTotalFen: shown.totalFen },
        // A retry after a lost answer sends the same key, and the server returns the order it already placed.
        idempotencyKey,
      );
      if (mode.value?.fromCart) forgetCart();
      openPay(order.id, true);
    } catch (e) {
      if (e instanceof ApiError && (e.reason === 'PRICE_CHANGED' || e.reason === 'POINTS_CHANGED')) {
        // POINTS_CHANGED: the points priced are gone meanwhile (spent elsewhere, expired); the preview prices what is left.
        // The error says the new total; the preview shows it before the shopper submits again.
        submitError.value = describeError(e);
        void runPreview();
      } else if (isCouponRefusal(e)) {
        submitError.value = describeError(e);
        couponChoice.value = undefined;
        void runPreview();
      } else if (e instanceof ApiError && e.status === 409) {
        problems.value = problemsOf(e);
        preview.value = null;
        submitError.value = t('checkout.notPlaced');
      } else if (e instanceof ApiError && e.status >= 400 && e.status < 500) {
        submitError.value = describeError(e);
      } else {
        // No answer, or a server failure: the order may or may not exist; the same key makes a retry safe.
        submitError.value = t('checkout.retrySafe', { error: describeError(e) });
      }
    } finally {
      submitting.value = false;
    }
  }

  function back() {
    if (getCurrentPages().length > 1) uni.navigateBack();
    else openTabPage(CART_PAGE);
  }

  useShopBars({ tabPage: false, title: () => t('nav.checkout') });
  onLoad((query) => {
    if (pageQueryValue(query, 'cart') === '1') {
      mode.value = { fromCart: true };
    } else {
      const items = decodeCheckoutItems(pageQueryValue(query, 'items'));
      mode.value = items.length ? { fromCart: false, items } : null;
    }
  });
  onShow(() => {
    void refresh();
  });

  return {
    ...useThemeVars(),
    primaryStyle: usePrimaryButtonStyle(),
    REMARK_MAX: BUYER_REMARK_MAX,
    invalid,
    mode,
    signedIn,
    addressesLoaded,
    addressError,
    address,
    addressText,
    addressPhone,
    preview,
    previewLoading,
    previewError,
    wantedLines,
    problemRows,
    deliveryProblem,
    remark,
    submitting,
    submitError,
    totalText,
    canSubmit,
    discountRows: discounts,
    couponRow,
    pointsRow,
    setUsePoints,
    usableCoupons,
    unusableCoupons,
    couponPickerOpen,
    openCouponPicker,
    closeCouponPicker: () => {
      couponPickerOpen.value = false;
    },
    chooseCoupon,
    couponNote,
    couponValidity: couponValidityText,
    changeAddress,
    submit,
    back,
    retryPreview: runPreview,
    retry: refresh,
    goSignIn: openLogin,
  };
}
