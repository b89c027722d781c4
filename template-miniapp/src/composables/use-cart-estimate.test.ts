import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { nextTick, shallowRef } from 'vue';
import type { Cart, CartEstimate } from '@shopfleet/contracts';

/** The page's lifecycle, driven by the test: the composable registers its show and hide hooks here. */
const hooks: Record<'show' | 'hide' | 'unload', Array<() => void>> = { show: [], hide: [], unload: [] };
jest.mock('@dcloudio/uni-app', () => ({
  onShow: (fn: () => void) => hooks.show.push(fn),
  onHide: (fn: () => void) => hooks.hide.push(fn),
  onUnload: (fn: () => void) => hooks.unload.push(fn),
}));

/** Each call of the estimate API waits here until the test answers it. */
const asked: Array<{ resolve: (e: CartEstimate) => void; reject: (e: unknown) => void }> = [];
jest.mock('../api/orders', () => ({
  cartEstimate: () =>
    new Promise<CartEstimate>((resolve, reject) => {
      asked.push({ resolve, reject });
    }),
}));

// The cart store's requests are not made here.
jest.mock('../api/cart', () => ({}));

// Loaded after the mocks above (an import would be read before them), on a Chinese device.
(globalThis as { uni?: unknown }).uni = { getSystemInfoSync: () => ({ language: 'zh_CN' }) };
const { ESTIMATE_DEBOUNCE_MS, useCartEstimate } =
  jest.requireActual<typeof import('./use-cart-estimate')>('./use-cart-estimate');

type Line = Cart['lines'][number];

function line(id: number, priceFen: number, quantity: number, selected = true): Line {
  return {
    id,
    skuId: id,
    productId: id,
    title: `item ${id}`,
    specValues: [],
    image: null,
    priceFen,
    quantity,
    selected,
    available: true,
    unavailableReason: null,
    stockLeft: null,
  } as unknown as Line;
}

const cartOf = (...lines: Line[]): Cart => ({ lines }) as unknown as Cart;

function estimateOf(payable: number, discount: number): CartEstimate {
  return {
    itemsTotalFen: payable + discount,
    discounts: discount ? [{ source: 'full_reduction', sourceId: 1, name: 'spend & save', fen: discount }] : [],
    discountFen: discount,
    itemsPayableFen: payable,
    couponId: null,
    coupons: [],
  };
}

/** Lets the watcher run and the answers settle. */
async function settle(): Promise<void> {
  await nextTick();
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

function mount(first: Cart | null) {
  const cart = shallowRef<Cart | null>(first);
  const estimate = useCartEstimate(() => cart.value);
  return { cart, estimate, show: () => hooks.show.forEach((fn) => fn()), hide: () => hooks.hide.forEach((fn) => fn()) };
}

beforeEach(() => {
  jest.useFakeTimers();
  asked.length = 0;
  hooks.show = [];
  hooks.hide = [];
  hooks.unload = [];
});
afterEach(() => {
  jest.useRealTimers();
});

describe('the cart total and saving, as the server prices the selection', () => {
  it('asks once for a run of changes, after the quiet time, and shows the answer', async () => {
    const { cart, estimate, show } = mount(cartOf(line(1, 19_900, 1)));
    show();
    cart.value = cartOf(line(1, 19_900, 2));
    await settle();
    cart.value = cartOf(line(1, 19_900, 3));
    await settle();
    jest.advanceTimersByTime(ESTIMATE_DEBOUNCE_MS - 1);
    expect(asked).toHaveLength(0);
    // Until the answer comes, the lines at their prices, marked as pending.
    expect(estimate.totalText.value).toBe('¥597.00');
    expect(estimate.estimatePending.value).toBe(true);
    jest.advanceTimersByTime(1);
    expect(asked).toHaveLength(1);
    asked[0]!.resolve(estimateOf(54_700, 5_000));
    await settle();
    expect(estimate.totalText.value).toBe('¥547.00');
    expect(estimate.savedText.value).toBe('¥50.00');
    expect(estimate.estimatePending.value).toBe(false);
    expect(estimate.offerRows.value.map((r) => r.amount)).toEqual(['-¥50.00']);
  });

  it('drops an answer about an older cart that arrives after the newer one', async () => {
    const { cart, estimate, show } = mount(cartOf(line(1, 19_900, 2), line(2, 25_900, 1)));
    show();
    jest.advanceTimersByTime(ESTIMATE_DEBOUNCE_MS);
    cart.value = cartOf(line(1, 19_900, 2), line(2, 25_900, 1, false));
    await settle();
    jest.advanceTimersByTime(ESTIMATE_DEBOUNCE_MS);
    expect(asked).toHaveLength(2);
    asked[1]!.resolve(estimateOf(36_800, 3_000));
    await settle();
    asked[0]!.resolve(estimateOf(59_700, 6_000));
    await settle();
    expect(estimate.totalText.value).toBe('¥368.00');
    expect(estimate.savedText.value).toBe('¥30.00');
    expect(estimate.estimatePending.value).toBe(false);
  });

  it('with nothing selected asks nothing and shows no saving; a failed estimate falls back to the prices', async () => {
    const { cart, estimate, show } = mount(cartOf(line(1, 19_900, 1, false)));
    show();
    jest.advanceTimersByTime(ESTIMATE_DEBOUNCE_MS);
    expect(asked).toHaveLength(0);
    expect([estimate.totalText.value, estimate.discountFen.value]).toEqual(['¥0.00', 0]);

    cart.value = cartOf(line(1, 19_900, 1));
    await settle();
    jest.advanceTimersByTime(ESTIMATE_DEBOUNCE_MS);
    asked[0]!.reject(new Error('offline'));
    await settle();
    expect([estimate.totalText.value, estimate.discountFen.value]).toEqual(['¥199.00', 0]);
    expect(estimate.estimatePending.value).toBe(false);
  });

  it('asks nothing while the page is hidden, and drops what was on its way', async () => {
    const { cart, estimate, show, hide } = mount(cartOf(line(1, 19_900, 1)));
    show();
    jest.advanceTimersByTime(ESTIMATE_DEBOUNCE_MS);
    hide();
    asked[0]!.resolve(estimateOf(18_900, 1_000));
    cart.value = cartOf(line(1, 19_900, 2));
    await settle();
    jest.advanceTimersByTime(ESTIMATE_DEBOUNCE_MS);
    expect(asked).toHaveLength(1);
    expect(estimate.discountFen.value).toBe(0);
  });

  it('opens the discount details only when there is a saving, and the saving on the bar closes them again', async () => {
    const { estimate, show } = mount(cartOf(line(1, 19_900, 1)));
    show();
    estimate.toggleOffers();
    expect(estimate.offersOpen.value).toBe(false);
    jest.advanceTimersByTime(ESTIMATE_DEBOUNCE_MS);
    asked[0]!.resolve(estimateOf(18_900, 1_000));
    await settle();
    estimate.toggleOffers();
    expect(estimate.offersOpen.value).toBe(true);
    estimate.toggleOffers();
    expect(estimate.offersOpen.value).toBe(false);
  });
});
