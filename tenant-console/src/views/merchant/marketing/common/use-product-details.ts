import { ref, shallowRef } from 'vue';
import type { Product } from '@shopfleet/contracts';
import { getProduct } from '@/api/catalog';

/** The details (title, images, SKUs) of the products a form's rows are for, each read once. */
export function useProductDetails() {
  const products = shallowRef(new Map<number, Product>());
  const loadingProduct = ref(false);

  /** Reads a product's detail unless it has been read; false when it could not be (shown by the request client). */
  async function readProduct(productId: number): Promise<boolean> {
    if (products.value.has(productId)) return true;
    loadingProduct.value = true;
    try {
      const product = await getProduct(productId);
      products.value = new Map(products.value).set(productId, product);
      return true;
    } catch {
      return false;
    } finally {
      loadingProduct.value = false;
    }
  }

  return { products, loadingProduct, readProduct };
}
