import { computed, ref } from 'vue';
import { onLoad, onShow } from '@dcloudio/uni-app';
import type { ClaimableCoupon, ShopProductDetail } from '@shopfleet/contracts';
import { CART_QUANTITY_MAX } from '@shopfleet/contracts/constants';
import { getProduct } from '../api/catalog';
import { couponCentre } from '../api/marketing';
import { productReviews, type ProductReviews } from '../api/reviews';
import { resolveShareCode } from '../api/sharing';
import { t } from '../locales';
import { pageQueryId, pageQueryValue } from '../platform/page-query';
import { ApiError, describeError } from '../request';
import { addToCart, cartPieces, forgetCart, loadCart } from '../stores/cart';
import { rememberItemLabel } from '../stores/checkout';
import { isSignedIn } from '../stores/session';
import { keepArrivedShareCode } from '../stores/share-code';
import { sendShareArrival } from '../stores/share-arrival';
import { shopAppearance, shopState } from '../stores/shop';
import { imageUrl } from '../utils/image';
import { couponShortText, fullReductionText, templateValidityText, timedTagText } from '../utils/marketing';
import { formatFen } from '../utils/money';
import { fitRichTextImages } from '../utils/rich-text';
import {
  openCart,
  openCheckout,
  openFlashCheckout,
  openGroupCheckout,
  openLogin,
  openProductReviews,
} from '../utils/routes';
import { shareMessage, type ShareMessage } from '../utils/share';
import { formatDateTime } from '../utils/time';
import { useShopBars, useThemeVars } from './shop-theme';
import { useCouponClaim } from './use-coupon-claim';
import { useProductFlash } from './use-product-flash';
import { useProductGroup } from './use-product-group';
import { useSharePoster } from './use-share-poster';
import { tracker } from '../stores/tracker';

type Sku = ShopProductDetail['skus'][number];
type StockState = Sku['stockState'];

/** Reviews shown on the product page; the rest are on pages/product/reviews. */
const REVIEWS_PREVIEW = 3;
/** Coupons named on the coupons row; the sheet has them all. */
const COUPON_CHIPS = 3;

/**
 * How the SKU sheet was opened: from the spec row (both actions), by one of the two buttons, to grab a flash sale, or to
 * start or join a group (group buy).
 */
export type SheetMode = 'choose' | 'cart' | 'buy' | 'flash' | 'group';

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

/**
 * The product detail page: gallery, price, rating, attributes, the SKU picker and the description; in flash-sale mode
 * (opened from the flash-sale page, or by the product's flash-sale entry) the flash price and countdown, and the grab-it
 * button, which picks a SKU of the session, takes the shopper's pass and goes to the flash checkout.
 */
export function useProductDetail() {
  const product = ref<ShopProductDetail | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const missing = ref(false);
  let productId: number | null = null;

  const galleryIndex = ref(0);
  /** The gallery's slides: the video (when there is one), then the images. */
  const slideCount = computed(() => (product.value?.images.length ?? 0) + (product.value?.video ? 1 : 0));
  const sheetOpen = ref(false);
  /** The chosen value of each spec, in spec order; null while not chosen. */
  const chosen = ref<(string | null)[]>([]);
  const quantity = ref(1);

  const flash = useProductFlash(() => productId);
  const sheetMode = ref<SheetMode>('choose');
  /** The sheet picks a SKU of the flash-sale session. */
  const flashSheet = computed(() => sheetMode.value === 'flash');

  const group = useProductGroup(() => productId);
  const sharing = useSharePoster(() => productId);
  /** The sheet picks a SKU of the group-buy campaign. */
  const groupSheet = computed(() => sheetMode.value === 'group');
  /** The group the sheet joins; null starts one (the shopper is its leader). */
  const joiningGroup = ref<number | null>(null);
  /** A group to join asked for by the page's link (`join=`), opened once the product and campaign are read. */
  let joinAsked: number | null = null;
  /** The page shows the group-buy band and buttons: a campaign runs, and the flash-sale mode is not on. */
  const groupActive = computed(() => group.active.value && !flash.active.value);

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
  /** The flash-sale item of the chosen SKU, if it is in the session. */
  const selectedFlashItem = computed(() => flash.itemOfSku(selectedSku.value?.id));
  /** The flash price shown: the chosen SKU's, else the session's lowest (with 'from' while several). */
  const flashShown = computed(() => selectedFlashItem.value ?? flash.cheapest.value);
  const flashPriceText = computed(() => (flashShown.value ? formatFen(flashShown.value.flashPriceFen) : ''));
  const flashOriginalText = computed(() => (flashShown.value ? formatFen(flashShown.value.priceFen) : ''));
  const flashPriceFrom = computed(
    () => !selectedFlashItem.value && new Set((flash.session.value?.items ?? []).map((i) => i.flashPriceFen)).size > 1,
  );
  /** The campaign's item of the chosen SKU, if it is in the group buy. */
  const selectedGroupItem = computed(() => group.itemOfSku(selectedSku.value?.id));
  /** The group-buy price the sheet shows: the chosen SKU's (the leader's when starting a group), else the lowest. */
  const groupSheetPrice = computed(() => {
    const item = selectedGroupItem.value;
    const leader = joiningGroup.value === null;
    if (item)
      return { price: formatFen(group.unitPriceFen(item, leader)), struck: formatFen(item.priceFen), from: false };
    return {
      price: leader ? group.startPriceText.value : group.priceText.value,
      struck: group.struckText.value,
      from: group.priceFrom.value,
    };
  });
  /** The sheet's price: the flash price when it picks for the flash sale, the group-buy price for a group, else the ordinary one. */
  const sheetPriceText = computed(() => {
    if (groupSheet.value) return groupSheetPrice.value.price;
    return flashSheet.value ? flashPriceText.value : priceText.value;
  });
  const sheetOriginalText = computed(() => {
    if (groupSheet.value) return groupSheetPrice.value.struck;
    return flashSheet.value ? flashOriginalText.value : originalPriceText.value;
  });
  const sheetPriceFrom = computed(() => {
    if (groupSheet.value) return groupSheetPrice.value.from;
    return flashSheet.value ? flashPriceFrom.value : priceFrom.value;
  });
  /** Under the sheet's group-buy price: the group's size and the per-shopper limit. */
  const groupSheetText = computed(() => {
    const c = group.campaign.value;
    return c ? t('group.sheetText', { size: c.groupSize, limit: c.perShopperLimit }) : '';
  });
  /** Units left of the chosen SKU in the session and its per-shopper limit, under the sheet's flash price. */
  const flashSheetText = computed(() => {
    const item = selectedFlashItem.value;
    if (!item) return null;
    return item.left > 0 ? t('flash.sheetLeft', { count: item.left, limit: item.perShopperLimit }) : t('flash.soldOut');
  });
  /** The per-shopper limit of the item the flash-sale band shows. */
  const flashLimitText = computed(() =>
    flashShown.value ? t('flash.limit', { count: flashShown.value.perShopperLimit }) : '',
  );

  /** The timed discount's tag and when it ends, while the price shown is a limited-time price. */
  const timedTag = computed(() => (timedFen.value !== null ? timedTagText(promotion.value?.timedTag) : null));
  const timedEndsText = computed(() => {
    const endsAt = promotion.value?.timedEndsAt;
    return timedFen.value !== null && endsAt ? t('promotion.endsAt', { at: formatDateTime(endsAt) }) : null;
  });
  /** The spend-and-save promotion this product counts towards, every tier of it. */
  /** Purchase limits: what the product allows one order and one shopper, or null. */
  const limitText = computed(() => {
    const limits = product.value?.limits;
    if (!limits) return null;
    const { perOrder, perShopper } = limits;
    if (perOrder !== null && perShopper !== null)
      return t('product.limitBoth', { order: perOrder, shopper: perShopper });
    if (perShopper !== null) return t('product.limitPerShopper', { limit: perShopper });
    if (perOrder !== null) return t('product.limitPerOrder', { limit: perOrder });
    return null;
  });

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
  /**
   * The first spec's values with a picture (colours shown as swatches): each value's image is that of its first SKU with
   * one of its own. Empty when no SKU has an image.
   */
  const valueImages = computed(() => {
    const images = new Map<string, NonNullable<ShopProductDetail['skus'][number]['image']>>();
    for (const sku of skus.value) {
      const value = sku.specValues[0];
      if (sku.image && value !== undefined && !images.has(value)) images.set(value, sku.image);
    }
    return images;
  });

  const sheetImage = computed(() => {
    const anyChosen = chosen.value.some((value) => value !== null);
    return (
      selectedSku.value?.image ??
      (anyChosen ? skus.value.find((sku) => sku.image && agrees(sku, chosen.value, -1))?.image : null) ??
      product.value?.images[0] ??
      null
    );
  });

  /**
   * A value is choosable while some SKU in stock has it and agrees with the other specs' choices; for the flash sale, a
   * SKU of the session with units left.
   */
  function isValueDisabled(specIndex: number, value: string): boolean {
    const available = (sku: Sku) => {
      if (flashSheet.value) return (flash.itemOfSku(sku.id)?.left ?? 0) > 0;
      if (groupSheet.value && !group.itemOfSku(sku.id)) return false;
      return sku.stockState !== 'out_of_stock';
    };
    return !skus.value.some(
      (sku) => available(sku) && sku.specValues[specIndex] === value && agrees(sku, chosen.value, specIndex),
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

  /** The most a shopper takes at once: for the flash sale, the item's per-shopper limit and what is left. */
  const quantityMax = computed(() => {
    if (groupSheet.value) return group.campaign.value?.perShopperLimit ?? 1;
    if (!flashSheet.value) {
      const limits = product.value?.limits;
      return Math.min(CART_QUANTITY_MAX, limits?.perOrder ?? Infinity, limits?.perShopper ?? Infinity);
    }
    const item = selectedFlashItem.value;
    return item ? flash.maxQuantityOf(item) : 1;
  });

  function setQuantity(value: number) {
    quantity.value = Math.min(quantityMax.value, Math.max(1, Math.floor(value) || 1));
  }

  const canDecrease = computed(() => quantity.value > 1);
  const canIncrease = computed(
    () =>
      quantity.value < quantityMax.value &&
      (flashSheet.value ? (selectedFlashItem.value?.left ?? 0) > 0 : selectedSku.value?.stockState !== 'out_of_stock'),
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
      tracker.track('product_view', { productId: p.id });
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

  const acting = ref(false);
  const cartCount = computed(() => cartPieces());

  function openSheet(mode: SheetMode = 'choose') {
    sheetMode.value = mode;
    if (mode === 'flash') prepareFlashSheet();
    else if (mode === 'group') prepareGroupSheet();
    else setQuantity(quantity.value);
    sheetOpen.value = true;
  }

  /** Starting or joining opens the sheet on the campaign's SKUs: the only one in stock is chosen up front, one unit. */
  function prepareGroupSheet() {
    const p = product.value;
    const open = (p?.skus ?? []).filter((sku) => group.itemOfSku(sku.id) && sku.stockState !== 'out_of_stock');
    if (open.length === 1 && open[0]) chosen.value = [...open[0].specValues];
    else if (selectedSku.value && !group.itemOfSku(selectedSku.value.id)) chosen.value = specs.value.map(() => null);
    quantity.value = 1;
  }

  /** Start a group (groupId null) or join one: the sheet on the campaign's SKUs. */
  function openGroupSheet(groupId: number | null) {
    if (!group.active.value) return;
    joiningGroup.value = groupId;
    openSheet('group');
  }

  /** The link asked to join a group: its sheet, once both the product and the campaign are read. */
  function openAskedJoin() {
    if (joinAsked === null || !product.value || !group.campaign.value) return;
    const id = joinAsked;
    joinAsked = null;
    openGroupSheet(id);
  }

  /** Grabbing opens the sheet on the session's SKUs: the only one with units left is chosen up front, one unit. */
  function prepareFlashSheet() {
    const p = product.value;
    const open = (flash.session.value?.items ?? []).filter((i) => i.left > 0);
    const only = open.length === 1 ? p?.skus.find((sku) => sku.id === open[0]?.skuId) : undefined;
    if (only) chosen.value = [...only.specValues];
    else if (selectedSku.value && !flash.itemOfSku(selectedSku.value.id)?.left)
      chosen.value = specs.value.map(() => null);
    quantity.value = 1;
  }

  /** The grab-it button in flash mode: the sheet, while the session runs with units left. */
  function openFlashSheet() {
    if (flash.buyState.value !== 'buy') {
      uni.showToast({ title: flash.buyText.value, icon: 'none' });
      return;
    }
    openSheet('flash');
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
      if (product.value) tracker.track('add_to_cart', { productId: product.value.id, quantity: quantity.value });
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

  /**
   * Grab it from the sheet: the chosen SKU of the session, signed in, the pass taken (the server says if the session
   * has not started or is over); then the flash checkout, where the address is chosen and the unit bought.
   */
  async function confirmFlash() {
    const sku = selectedSku.value;
    const p = product.value;
    if (!sku || !p) {
      uni.showToast({ title: selectionText.value, icon: 'none' });
      return;
    }
    const item = flash.itemOfSku(sku.id);
    if (!item || item.left === 0) {
      uni.showToast({ title: item ? t('flash.soldOut') : t('flash.skuNotInSession'), icon: 'none' });
      return;
    }
    if (!isSignedIn()) {
      openLogin();
      return;
    }
    if (!(await flash.takePass())) return;
    sheetOpen.value = false;
    openFlashCheckout({
      itemId: item.id,
      productId: p.id,
      quantity: Math.min(quantity.value, flash.maxQuantityOf(item)),
    });
  }

  /**
   * Start or join from the sheet: the chosen SKU of the campaign, signed in; then the group checkout, where the address
   * is chosen and the order placed (the server says if the group is full or over).
   */
  function confirmGroup() {
    const sku = selectedSku.value;
    const p = product.value;
    const c = group.campaign.value;
    if (!sku || !p || !c) {
      uni.showToast({ title: selectionText.value, icon: 'none' });
      return;
    }
    if (!group.itemOfSku(sku.id)) {
      uni.showToast({ title: t('group.skuNotInCampaign'), icon: 'none' });
      return;
    }
    if (!isSignedIn()) {
      openLogin();
      return;
    }
    rememberItemLabel(sku.id, { title: p.title, spec: sku.specValues.join(' / ') });
    sheetOpen.value = false;
    openGroupCheckout({
      campaignId: c.id,
      productId: p.id,
      skuId: sku.id,
      quantity: Math.min(quantity.value, c.perShopperLimit),
      groupId: joiningGroup.value,
    });
  }

  /** The sheet's one button when it was opened by add-to-cart, buy-now, the grab-it button or a group-buy button. */
  function confirmSheet() {
    if (sheetMode.value === 'group') confirmGroup();
    else if (sheetMode.value === 'flash') void confirmFlash();
    else if (sheetMode.value === 'buy') confirmBuyNow();
    else void confirmAddToCart();
  }

  const confirmLabel = computed(() => {
    if (sheetMode.value === 'group') return joiningGroup.value === null ? t('group.start') : t('group.joinConfirm');
    if (sheetMode.value === 'flash') return t('flash.buy.buy');
    return sheetMode.value === 'buy' ? t('product.buyNow') : t('product.addToCart');
  });

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

  /** This product as a chat message (mp-weixin's share menu): its title, the shop's share image, the shopper's code. */
  function shareToChat(): ShareMessage {
    const fallback = productId === null ? '/pages/index/index' : `/pages/product/detail?id=${productId}`;
    const path = sharing.share.value?.targetId === productId ? sharing.share.value.path : fallback;
    return shareMessage(shopAppearance.value, { path, title: product.value?.title, shopName: shopState.shop?.name });
  }

  /** A page opened by a share code alone (a scanned mini-program code): the product the code stands for. */
  async function landOn(code: string) {
    try {
      const arrival = await resolveShareCode(code);
      if (arrival.page === 'product') productId = arrival.targetId;
    } catch {
      // An unknown code: the page says the product is missing.
    }
    void flash.load();
    void group.load().then(openAskedJoin);
    void loadReviews();
    void loadCoupons();
    void sharing.prepareShare();
  }

  useShopBars({ tabPage: false, title: () => t('nav.product') });
  onLoad((query) => {
    productId = pageQueryId(query, 'id');
    flash.mode.value = pageQueryValue(query, 'flash') === '1';
    joinAsked = pageQueryId(query, 'join');
    const arrived = keepArrivedShareCode(query);
    if (arrived) void sendShareArrival();
    const landed = productId === null && arrived ? landOn(arrived) : Promise.resolve();
    void landed.then(load).then(openAskedJoin);
  });
  onShow(() => {
    // The session's stock left again on each showing (another shopper may have taken the last unit); the open groups.
    void flash.load();
    void group.load().then(openAskedJoin);
    // Reviews again on coming back (e.g. from writing one); the cart for the badge; the coupons after signing in.
    void loadReviews();
    void loadCoupons();
    if (isSignedIn()) void loadCart().catch(() => undefined);
    else forgetCart();
    // The shopper's share code, for the chat share's path.
    void sharing.prepareShare();
  });

  return {
    ...useThemeVars(),
    product,
    limitText,
    valueImages,
    slideCount,
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
    sheetPriceText,
    sheetOriginalText,
    sheetPriceFrom,
    flashActive: flash.active,
    flashState: flash.state,
    flashCountdown: flash.countdown,
    flashEntryText: flash.entryText,
    flashBuyState: flash.buyState,
    flashBuyText: flash.buyText,
    flashTaking: flash.taking,
    flashLeft: flash.left,
    flashPriceText,
    flashOriginalText,
    flashPriceFrom,
    flashLimitText,
    flashSheet,
    flashSheetText,
    groupActive,
    groupPriceText: group.priceText,
    groupStruckText: group.struckText,
    groupPriceFrom: group.priceFrom,
    groupSizeText: group.sizeText,
    groupLeaderText: group.leaderText,
    groupStartPriceText: group.startPriceText,
    groupJoinList: group.joinList,
    groupSheet,
    groupSheetText,
    openGroupSheet,
    enterFlash: () => {
      flash.mode.value = true;
    },
    openFlashSheet,
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
    ...sharing,
    retry: load,
  };
}
