import { reactive } from 'vue';

export interface ItemLabel {
  title: string;
  spec: string;
}

interface CheckoutState {
  /** Names of SKUs being bought now, so the checkout can name a line the server refuses to price. */
  labels: Record<number, ItemLabel>;
  /** The address chosen on the address list for the checkout that opened it. */
  chosenAddressId: number | null;
}

export const checkoutState = reactive<CheckoutState>({ labels: {}, chosenAddressId: null });

export function rememberItemLabel(skuId: number, label: ItemLabel): void {
  checkoutState.labels[skuId] = label;
}

/** Hands an address to the checkout page below (the address list, in select mode). */
export function chooseCheckoutAddress(id: number): void {
  checkoutState.chosenAddressId = id;
}

/** The address handed over since the last call, once. */
export function takeChosenAddress(): number | null {
  const id = checkoutState.chosenAddressId;
  checkoutState.chosenAddressId = null;
  return id;
}
