import { computed, ref } from 'vue';
import { onLoad, onShow } from '@dcloudio/uni-app';
import type { ClaimableCoupon, ShopProductDetail } from '@shopfleet/contracts';
import { CART_QUANTITY_MAX } from '@shopfleet/contracts/constants';
import { getProduct } from '../api/catalog';
import { couponCentre } from '../api/marketing';
import { productReviews, type ProductReviews } from '../api/reviews';
import { t } from '../locales';
import { pageQueryId } from '../platform/page-query';
import { ApiError, describeError } from '../request';
import { addToCart, cartPieces, forgetCart, loadCart } from '../stores/cart';
import { rememberItemLabel } from '../stores/checkout';
import { isSignedIn } from '../stores/session';
import { shopAppearance, shopState } from '../stores/shop';
import { imageUrl } from '../utils/image';
import { couponShortText, fullReductionText, templateValidityText, timedTagText } from '../utils/marketing';
import { formatFen } from '../utils/money';
import { fitRichTextImages } from '../utils/rich-text';
import { openCart, openCheckout, openLogin, openProductReviews } from '../utils/routes';
import { shareMessage, type ShareMessage } from '../utils/share';
import { formatDateTime } from '../utils/time';
import { useShopBars, useThemeVars } from './shop-theme';
import { useCouponClaim } from './use-coupon-claim';

type Sku = ShopProductDetail['skus'][number];
type StockState = Sku['stockState'];

/** Reviews shown on the product page; the rest are on pages/product/reviews. */
const REVIEWS_PREVIEW = 3;
/** Coupons named on the coupons row; the sheet has them all. */
const COUPON_CHIPS = 3;

/** How the SKU sheet was opened: from the spec row (both actions), or by one of the two buttons. */
export type SheetMode = 'choose' | 'cart' | 'buy';

/** Why adding to the cart failed, in the shopper's words. */
function cartErrorText(error: unknown): string {
  if (error instanceof ApiError) {
    const reason = (error.details as { reason?: unknown } | null | undefined)?.reason;
    if (error.status === 409 && reason === 'out_of_stock') return t('product.skuSoldOut');
    if (error.status === 409) return t('product.cartFull');
    if (error.status === 404) return t('product.offSale');
  }
  return describeError(error);
}

/** Whether the SKU agrees with every chosen value, ignoring spec `skip`. */
function agrees(sku: Sku, chosen: readonly (string | null)[], skip: number): boolean {
  return chosen.every((value, j) => j === skip || value === null || sku.specValues[j] === value);
}

/** The product detail page: gallery, price, rating, attributes, the SKU picker and the description. */
export function useProductDetail() {
  const product = ref<ShopProductDetail | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const missing = ref(false);
  let productId: number | null = null;

  const galleryIndex = ref(0);
  const sheetOpen = ref(false);
  /** The chosen value of each spec, in spec order; null while not chosen. */
  const chosen = ref<(string | null)[]>([]);
  const quantity = ref(1);

  const skus = computed(() => product.value?.skus ?? []);
  const specs = computed(() => product.value?.specs ?? []);
  const soldOut = computed(() => skus.value.length > 0 && skus.value.every((sku) => sku.stockState === 'out_of_stock'));

  /** The SKU the choices lead to: the only one when the product has no specs. */
  const selectedSku = computed<Sku | null>(() => {
    if (!product.value) return null;
    if (specs.value.length === 0) return skus.value[0] ?? null;
    if (chosen.value.some((value) => value === null)) return null;
    return skus.value.find((sku) => sku.specValues.every((value, j) => value === chosen.value[j])) ?? null;
  });

  const promotion = computed(() => product.value?.promotion ?? null);
  /** The price before any timed discount: the chosen SKU's, else the product's lowest. */
  const listPriceFen = computed(() => selectedSku.value?.priceFen ?? product.value?.priceFen ?? 0);
  /** The limited-time price while a timed discount runs: the chosen SKU's, else the product's lowest; null when none (or not below). */
  const timedFen = computed(() => {
    const sku = selectedSku.value;
    const timed = sku ? sku.timedPriceFen : (promotion.value?.timedPriceFen ?? null);
    return timed !== null && timed < listPriceFen.value ? timed : null;
  });
  const priceFen = computed(() => timedFen.value ?? listPriceFen.value);
  const priceText = computed(() => formatFen(priceFen.value));
  /** Struck through: the price a limited-time price is below, else the SKU's original price. */
  const originalPriceText = computed(() => {
    if (timedFen.value !== null) return formatFen(listPriceFen.value);
    const original = selectedSku.value?.originalPriceFen;
    return original && original > priceFen.value ? formatFen(original) : null;
  });
  /** `common.priceFrom` after the price while several prices are possible. */
  const priceFrom = computed(
    () => !selectedSku.value && new Set(skus.value.map((sku) => sku.timedPriceFen ?? sku.priceFen)).size > 1,
  );
  /** The timed discount's tag and when it ends, while the price shown is a limited-time price. */
  const timedTag = computed(() => (timedFen.value !== null ? timedTagText(promotion.value?.timedTag) : null));
  const timedEndsText = computed(() => {
    const endsAt = promotion.value?.timedEndsAt;
    return timedFen.value !== null && endsAt ? t('promotion.endsAt', { at: formatDateTime(endsAt) }) : null;
  });
  /** The spend-and-save promotion this product counts towards, every tier of it. */
  const fullReductionLine = computed(() => {
    const fr = promotion.value?.fullReduction;
    return fr && fr.tiers.length ? fullReductionText(fr) : null;
  });

  /** The coupons of the coupon centre that apply to this product (signed in only: claiming needs a shopper). */
  const coupons = ref<ClaimableCoupon[]>([]);
  const couponSheetOpen = ref(false);
  const couponChips = computed(() => coupons.value.slice(0, COUPON_CHIPS).map((c) => couponShortText(c)));

  async function loadCoupons() {
    if (productId === null || !isSignedIn()) {
      coupons.value = [];
      return;
    }
    try {
      coupons.value = await couponCentre(productId);
    } catch {
      // The product page stands without its coupons row.
      coupons.value = [];
    }
  }

  const reviews = ref<ProductReviews | null>(null);
  /** The reviews endpoint's summary once loaded (it is the fresher), else the product's. */
  const rating = computed(() => {
    const summary = reviews.value?.summary;
    if (summary) return { average: summary.average, count: summary.count };
    return product.value?.rating ?? { average: null, count: 0 };
  });
  const ratingText = computed(() => {
    const r = rating.value;
    if (r.count === 0 || r.average === null) return t('common.noReviews');
    return t('product.rating', { average: r.average.toFixed(1), count: r.count });
  });
  const reviewItems = computed(() => reviews.value?.items.slice(0, REVIEWS_PREVIEW) ?? []);

  const attributes = computed(() => {
    const p = product.value;
    if (!p) return [];
    const rows = Object.entries(p.attributes).map(([name, value]) => ({ name, value }));
    return p.brand ? [{ name: t('product.brand'), value: p.brand }, ...rows] : rows;
  });

  const descriptionHtml = computed(() => fitRichTextImages(product.value?.descriptionHtml ?? ''));

  const stockStateText = computed(() => {
    if (selectedSku.value) return t(`product.stock.${selectedSku.value.stockState}`);
    return soldOut.value ? t('product.stock.out_of_stock') : null;
  });
  const stockState = computed<StockState | null>(
    () => selectedSku.value?.stockState ?? (soldOut.value ? 'out_of_stock' : null),
  );

  const selectionText = computed(() => {
    if (specs.value.length === 0) return t('product.defaultSpec');
    const missingNames = specs.value.filter((_spec, i) => chosen.value[i] === null).map((spec) => spec.name);
    if (missingNames.length) return t('product.choose', { names: missingNames.join(' ') });
    return t('product.chosen', { values: chosen.value.join(' / ') });
  });

  /** The picture of the chosen SKU, else of any SKU agreeing with the choices so far, else the main image. */
  const sheetImage = computed(() => {
    const anyChosen = chosen.value.some((value) => value !== null);
    return (
      selectedSku.value?.image ??
      (anyChosen ? skus.value.find((sku) => sku.image && agrees(sku, chosen.value, -1))?.image : null) ??
      product.value?.images[0] ??
      null
    );
  });

  /** A value is choosable while some SKU in stock has it and agrees with the other specs' choices. */
  function isValueDisabled(specIndex: number, value: string): boolean {
    return !skus.value.some(
      (sku) =>
        sku.stockState !== 'out_of_stock' &&
        sku.specValues[specIndex] === value &&
        agrees(sku, chosen.value, specIndex),
    );
  }

  function isValueChosen(specIndex: number, value: string): boolean {
    return chosen.value[specIndex] === value;
  }

  function chooseValue(specIndex: number, value: string) {
    const next = [...chosen.value];
    if (next[specIndex] === value) {
      next[specIndex] = null;
      chosen.value = next;
      return;
    }
    if (isValueDisabled(specIndex, value)) {
      uni.showToast({ title: t('product.skuUnavailable'), icon: 'none' });
      return;
    }
    next[specIndex] = value;
    chosen.value = next;
    quantity.value = 1;
  }

  function setQuantity(value: number) {
    quantity.value = Math.min(CART_QUANTITY_MAX, Math.max(1, Math.floor(value) || 1));
  }

  const canDecrease = computed(() => quantity.value > 1);
  const canIncrease = computed(
    () => quantity.value < CART_QUANTITY_MAX && selectedSku.value?.stockState !== 'out_of_stock',
  );

  function resetChoices(p: ShopProductDetail) {
    // A spec with a single value that is in stock is chosen up front.
    chosen.value = p.specs.map(() => null);
    p.specs.forEach((spec, i) => {
      const only = spec.values[0];
      if (spec.values.length === 1 && only !== undefined && !isValueDisabled(i, only)) chosen.value[i] = only;
    });
    quantity.value = 1;
  }

  async function load() {
    if (productId === null) {
      missing.value = true;
      return;
    }
    loading.value = true;
    error.value = null;
    missing.value = false;
    try {
      const p = await getProduct(productId);
      product.value = p;
      galleryIndex.value = 0;
      resetChoices(p);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) missing.value = true;
      else error.value = describeError(e);
    } finally {
      loading.value = false;
    }
  }

  function onGalleryChange(event: { detail: { current: number } }) {
    galleryIndex.value = event.detail.current;
  }

  function previewGallery(index: number) {
    const images = product.value?.images ?? [];
    const urls = images.map((image) => imageUrl(image, 'large'));
    if (!urls.length) return;
    uni.previewImage({ urls, current: urls[index] ?? urls[0] });
  }

  function previewSheetImage() {
    const image = sheetImage.value;
    if (image) uni.previewImage({ urls: [imageUrl(image, 'large')] });
  }

  const sheetMode = ref<SheetMode>('choose');
  const acting = ref(false);
  const cartCount = computed(() => cartPieces());

  function openSheet(mode: SheetMode = 'choose') {
    sheetMode.value = mode;
    sheetOpen.value = true;
  }

  /** The SKU to act on, or null after telling the shopper what is missing. */
  function pickedSku(): Sku | null {
    const sku = selectedSku.value;
    if (!sku) {
      uni.showToast({ title: specs.value.length ? selectionText.value : t('product.unavailable'), icon: 'none' });
      return null;
    }
    if (sku.stockState === 'out_of_stock') {
      uni.showToast({ title: t('product.skuUnavailable'), icon: 'none' });
      return null;
    }
    return sku;
  }

  async function confirmAddToCart() {
    const sku = pickedSku();
    if (!sku || acting.value) return;
    if (!isSignedIn()) {
      openLogin();
      return;
    }
    acting.value = true;
    try {
      await addToCart(sku.id, quantity.value);
      sheetOpen.value = false;
      uni.showToast({ title: t('product.added'), icon: 'success' });
    } catch (e) {
      uni.showToast({ title: cartErrorText(e), icon: 'none' });
    } finally {
      acting.value = false;
    }
  }

  function confirmBuyNow() {
    const sku = pickedSku();
    const p = product.value;
    if (!sku || !p) return;
    if (!isSignedIn()) {
      openLogin();
      return;
    }
    rememberItemLabel(sku.id, { title: p.title, spec: sku.specValues.join(' / ') });
    sheetOpen.value = false;
    openCheckout({ items: [{ skuId: sku.id, quantity: quantity.value }] });
  }

  /** The sheet's one button when it was opened by add-to-cart or buy-now. */
  function confirmSheet() {
    if (sheetMode.value === 'buy') confirmBuyNow();
    else void confirmAddToCart();
  }

  const confirmLabel = computed(() => (sheetMode.value === 'buy' ? t('product.buyNow') : t('product.addToCart')));

  async function loadReviews() {
    if (productId === null) return;
    try {
      reviews.value = await productReviews(productId, 1, REVIEWS_PREVIEW);
    } catch {
      // The product page stands without its reviews; the summary falls back to the product's rating.
    }
  }

  function openReviews() {
    if (productId !== null) openProductReviews(productId);
  }

  function previewReviewImage(urls: readonly string[], index: number) {
    if (urls.length) uni.previewImage({ urls: [...urls], current: urls[index] ?? urls[0] });
  }

  function closeSheet() {
    sheetOpen.value = false;
  }

  function goHome() {
    uni.switchTab({ url: '/pages/index/index' });
  }

  /** This product as a chat message (mp-weixin's share menu): its title, the shop's share image. */
  function shareToChat(): ShareMessage {
    const path = productId === null ? '/pages/index/index' : `/pages/product/detail?id=${productId}`;
    return shareMessage(shopAppearance.value, { path, title: product.value?.title, shopName: shopState.shop?.name });
  }

  useShopBars({ tabPage: false, title: () => t('nav.product') });
  onLoad((query) => {
    productId = pageQueryId(query, 'id');
    void load();
  });
  onShow(() => {
    // Reviews again on coming back (e.g. from writing one); the cart for the badge; the coupons after signing in.
    void loadReviews();
    void loadCoupons();
    if (isSignedIn()) void loadCart().catch(() => undefined);
    else forgetCart();
  });

  return {
    ...useThemeVars(),
    product,
    loading,
    error,
    missing,
    galleryIndex,
    onGalleryChange,
    rating,
    reviews,
    reviewItems,
    openReviews,
    previewReviewImage,
    sheetMode,
    acting,
    cartCount,
    confirmSheet,
    confirmLabel,
    confirmAddToCart,
    confirmBuyNow,
    goCart: openCart,
    previewGallery,
    priceText,
    originalPriceText,
    priceFrom,
    timedTag,
    timedEndsText,
    fullReductionLine,
    coupons,
    couponChips,
    couponSheetOpen,
    openCouponSheet: () => {
      couponSheetOpen.value = true;
    },
    closeCouponSheet: () => {
      couponSheetOpen.value = false;
    },
    couponValidity: templateValidityText,
    ...useCouponClaim(coupons),
    ratingText,
    attributes,
    descriptionHtml,
    sheetOpen,
    openSheet,
    closeSheet,
    specs,
    selectedSku,
    selectionText,
    sheetImage,
    previewSheetImage,
    stockState,
    stockStateText,
    soldOut,
    isValueDisabled,
    isValueChosen,
    chooseValue,
    quantity,
    setQuantity,
    canDecrease,
    canIncrease,
    goHome,
    shareToChat,
    retry: load,
  };
}
