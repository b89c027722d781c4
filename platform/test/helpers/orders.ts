import type { TenantContext } from '../../src/kernel/context';
import type { TestPlatform } from './test-platform';
import { uid } from './test-platform';
import { bearer, createShop, merchantLogin, shopperLogin, type TestShop } from './fixtures';
import { branch, createProduct, productInput } from './catalog';

/** A shop with a merchant session and a leaf category, ready to sell. */
export interface SellingShop {
  shop: TestShop;
  merchant: string;
  leaf: number;
  url: (path: string) => string;
}

export async function sellingShop(t: TestPlatform): Promise<SellingShop> {
  const shop = await createShop(t);
  const merchant = (await merchantLogin(t, shop.owner)).accessToken;
  const { leaf } = await branch(t, merchant, `卖场${uid()}`);
  return { shop, merchant, leaf, url: (path: string) => `/shop-api/v1/shops/${shop.slug}${path}` };
}

export async function product(
  t: TestPlatform,
  s: SellingShop,
  stock: number,
  priceFen = 1000,
): Promise<{ productId: number; skuId: number }> {
  const productId = await createProduct(
    t,
    s.merchant,
    productInput(s.leaf, { title: `商品${uid()}`, specs: [], skus: [{ specValues: [], priceFen, stock }] }),
  );
  const skuId = (await t.api.get(`/merchant-api/v1/catalog/products/${productId}`).set(bearer(s.merchant))).body.skus[0]
    .id as number;
  return { productId, skuId };
}

export async function buyer(
  t: TestPlatform,
  s: SellingShop,
  regionCode = '350102',
): Promise<{ token: string; addressId: number; shopperId: number }> {
  const login = await shopperLogin(t, s.shop.slug);
  const addr = await t.api
    .post(s.url('/addresses'))
    .set(bearer(login.accessToken))
    .send({
      name: '王五',
      phone: '13700000000',
      regionCode,
      province: '福建省',
      city: '福州市',
      district: '鼓楼区',
      detail: '测试路 1 号',
    })
    .expect(201);
  const me = await t.api.get(s.url('/me')).set(bearer(login.accessToken)).expect(200);
  return { token: login.accessToken, addressId: addr.body.id, shopperId: me.body.id };
}

export async function placeOrder(
  t: TestPlatform,
  s: SellingShop,
  b: { token: string; addressId: number },
  items: Array<{ skuId: number; quantity: number }>,
) {
  return (
    await t.api
      .post(s.url('/orders'))
      .set(bearer(b.token))
      .set('Idempotency-Key', `o-${uid()}`)
      .send({ items, addressId: b.addressId })
      .expect(201)
  ).body as {
    id: number;
    orderNo: string;
    totalFen: number;
    paymentDeadline: string;
  };
}

/** Pays an order in the sandbox (the shop's default test mode) through the same notification path as a real provider. */
export async function paySandbox(t: TestPlatform, s: SellingShop, token: string, orderId: number) {
  const pay = await t.api
    .post(s.url(`/orders/${orderId}/pay`))
    .set(bearer(token))
    .send({ method: 'sandbox' })
    .expect(200);
  return (
    await t.api
      .post(s.url(`/payments/${pay.body.paymentNo}/sandbox-confirm`))
      .set(bearer(token))
      .expect(200)
  ).body;
}

export function systemCtx(t: TestPlatform, tenantId: number): TenantContext {
  return { requestId: 'test', tenantId, actor: { type: 'system', job: 'test' }, log: t.platform.log };
}

export const stockOf = async (t: TestPlatform, skuId: number) =>
  Number((await t.platform.knex('skus').where({ id: skuId }).first()).stock);
