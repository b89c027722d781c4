import type { TestPlatform } from './test-platform';
import { uid } from './test-platform';
import { systemContext } from '@shopfleet/platform';

/** A running claim-mode 满减 template body: ¥10 off ¥100, claimable from an hour ago for a week, valid 7 days. */
export function templateBody(t: TestPlatform, over: Record<string, unknown> = {}) {
  const now = t.clock.now().getTime();
  return {
    name: `满100减10 ${uid()}`,
    kind: 'amount_off',
    thresholdFen: 10_000,
    amountOffFen: 1_000,
    claimFrom: new Date(now - 3_600_000).toISOString(),
    claimTo: new Date(now + 7 * 86_400_000).toISOString(),
    validDays: 7,
    totalQuantity: 100,
    perShopperLimit: 1,
    ...over,
  };
}

/** Shoppers of a shop as sign-in would make them (a row and a session each), made in bulk: sign-in is not what is tested. */
export async function manyShoppers(
  t: TestPlatform,
  tenantId: number,
  n: number,
): Promise<Array<{ shopperId: number; token: string }>> {
  const prefix = String(Math.floor(Math.random() * 1e4)).padStart(4, '0');
  const tag = `m${uid()}`;
  await t.platform.knex.batchInsert(
    'shoppers',
    Array.from({ length: n }, (_, i) => ({
      tenant_id: tenantId,
      phone: `15${prefix}${String(i).padStart(5, '0')}`,
      nickname: `${tag}-${i}`,
    })),
    500,
  );
  const ids = (
    await t.platform
      .knex('shoppers')
      .where({ tenant_id: tenantId })
      .where('nickname', 'like', `${tag}-%`)
      .orderBy('id')
      .select('id')
  ).map((r: { id: number }) => Number(r.id));
  const ctx = { ...systemContext(t.platform.log, 'test'), tenantId };
  const out: Array<{ shopperId: number; token: string }> = [];
  for (let at = 0; at < ids.length; at += 100) {
    const chunk = ids.slice(at, at + 100);
    const tokens = await Promise.all(
      chunk.map((id) => t.platform.services.sessions.start(ctx, { audience: 'shopper', subjectId: id, tenantId })),
    );
    chunk.forEach((id, k) => out.push({ shopperId: id, token: tokens[k]!.accessToken }));
  }
  return out;
}

/** Shoppers as `manyShoppers` makes them, each with a delivery address (in bulk: neither is what is tested). */
export async function manyBuyers(
  t: TestPlatform,
  tenantId: number,
  n: number,
): Promise<Array<{ shopperId: number; token: string; addressId: number }>> {
  const shoppers = await manyShoppers(t, tenantId, n);
  await t.platform.knex.batchInsert(
    'addresses',
    shoppers.map((s) => ({
      tenant_id: tenantId,
      shopper_id: s.shopperId,
      name: '抢购人',
      phone: '13700000000',
      region_code: '350102',
      province: '福建省',
      city: '福州市',
      district: '鼓楼区',
      detail: '抢购路 1 号',
      is_default: true,
    })),
    500,
  );
  const rows = (await t.platform
    .knex('addresses')
    .where({ tenant_id: tenantId })
    .whereIn(
      'shopper_id',
      shoppers.map((s) => s.shopperId),
    )
    .select('id', 'shopper_id')) as Array<{ id: number; shopper_id: number }>;
  const addressOf = new Map(rows.map((r) => [Number(r.shopper_id), Number(r.id)]));
  return shoppers.map((s) => ({ ...s, addressId: addressOf.get(s.shopperId)! }));
}

/** A flash-sale session body: one SKU at `flashPriceFen`, starting `startsInMs` from the test clock, for an hour. */
export function flashBody(
  t: TestPlatform,
  items: Array<{ skuId: number; flashPriceFen: number; stock: number; perShopperLimit?: number }>,
  over: Record<string, unknown> = {},
) {
  const at = t.clock.now().getTime();
  return {
    name: `秒杀 ${uid()}`,
    startsAt: new Date(at + 60_000).toISOString(),
    endsAt: new Date(at + 3_660_000).toISOString(),
    paymentWindowMinutes: 5,
    items: items.map((i) => ({ perShopperLimit: 1, ...i })),
    ...over,
  };
}
