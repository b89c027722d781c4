import type { Browser } from 'playwright-core';
import type { MerchantOrder } from '@shopfleet/contracts';
import { DEMO, systemContext } from '@shopfleet/platform';
import { launchChromium, startLiveSite, type LiveSite } from './browser';
import { bearer, merchantLogin } from './fixtures';
import { templateBody } from './marketing';

const M = '/merchant-api/v1';

/** A bearer header for one of the APIs. */
export type Bearer = { Authorization: string };

/** What a browser test file of the demo shop works with; `demoSuite` fills it in before the file's tests. */
export interface DemoSuite {
  site: LiveSite;
  browser: Browser;
  tenantId: number;
  /** The demo owner, signed in to the merchant API. */
  merchant: Bearer;
  /**
   * The coupon templates and promotions the file started, by the API or in the console, stopped after its tests: the
   * demo shop is shared with the other browser tests of this jest worker.
   */
  started: { templates: number[]; promotions: number[] };
}

/**
 * Registers the hooks of a browser test file on the demo shop: the live site, Chromium and the demo owner's session
 * before its tests; after them, what it started is stopped (stopping is a no-op the second time) and both close.
 */
export function demoSuite(): DemoSuite {
  const demo = { started: { templates: [], promotions: [] } } as unknown as DemoSuite;
  beforeAll(async () => {
    demo.site = await startLiveSite();
    demo.browser = await launchChromium();
    demo.tenantId = (await demo.site.platform.services.tenants.findBySlug(DEMO.tenant.slug))!.id;
    demo.merchant = bearer(
      (await merchantLogin(demo.site, { email: DEMO.owner.email, password: DEMO.owner.password })).accessToken,
    );
  });
  afterAll(async () => {
    try {
      if (demo.merchant) await stopStarted(demo);
    } finally {
      await demo.browser?.close();
      await demo.site?.close();
    }
  });
  return demo;
}

async function stopStarted({ site, merchant, started }: DemoSuite): Promise<void> {
  for (const id of started.promotions) await site.api.post(`${M}/promotions/${id}/stop`).set(merchant).expect(200);
  for (const id of started.templates) await site.api.post(`${M}/coupon-templates/${id}/stop`).set(merchant).expect(200);
}

/** The demo shop's shop API: `/shop-api/v1/shops/demo` and the path. */
export const demoShopApi = (path: string) => `/shop-api/v1/shops/${DEMO.tenant.slug}${path}`;

/** A product of the demo shop by its title, as seeded. */
export async function demoProduct(demo: DemoSuite, title: string): Promise<number> {
  return Number((await demo.site.platform.knex('products').where({ tenant_id: demo.tenantId, title }).first()).id);
}

/** A claim-mode coupon template of the demo shop (¥10 off ¥100 unless `over` says otherwise), through the merchant API. */
export async function couponTemplateByApi(
  demo: DemoSuite,
  over: Record<string, unknown>,
): Promise<{ id: number; name: string }> {
  const body = (
    await demo.site.api.post(`${M}/coupon-templates`).set(demo.merchant).send(templateBody(demo.site, over)).expect(201)
  ).body as { id: number; name: string };
  demo.started.templates.push(body.id);
  return body;
}

/** A 满减 of the demo shop running from an hour ago for a week, through the merchant API. */
export async function fullReductionByApi(demo: DemoSuite, body: Record<string, unknown>): Promise<number> {
  const now = demo.site.clock.now().getTime();
  const { id } = (
    await demo.site.api
      .post(`${M}/promotions`)
      .set(demo.merchant)
      .send({
        kind: 'full_reduction',
        fullReduction: {
          name: '店铺满减',
          startsAt: new Date(now - 3_600_000).toISOString(),
          endsAt: new Date(now + 7 * 86_400_000).toISOString(),
          basis: 'amount',
          ...body,
        },
      })
      .expect(201)
  ).body as { id: number };
  demo.started.promotions.push(id);
  return id;
}

/** A shopper's own bearer for the shop API, as sign-in would give it. */
export async function shopperBearer(demo: DemoSuite, shopperId: number): Promise<Bearer> {
  const { site, tenantId } = demo;
  const session = await site.platform.services.sessions.start(
    { ...systemContext(site.platform.log, 'test'), tenantId },
    { audience: 'shopper', subjectId: shopperId, tenantId },
  );
  return bearer(session.accessToken);
}

/** Adds an address in 福州市鼓楼区 to the shopper's book through the shop API; returns its id. */
export async function addressByApi(
  demo: DemoSuite,
  shopper: Bearer,
  to: { name: string; phone: string; detail: string },
): Promise<number> {
  const saved = await demo.site.api
    .post(demoShopApi('/addresses'))
    .set(shopper)
    .send({ ...to, regionCode: '350102', province: '福建省', city: '福州市', district: '鼓楼区' })
    .expect(201);
  return saved.body.id as number;
}

/** An order of the demo shop as the merchant API reads it. */
export async function merchantOrder(demo: DemoSuite, id: number): Promise<MerchantOrder> {
  return (await demo.site.api.get(`${M}/orders/${id}`).set(demo.merchant).expect(200)).body as MerchantOrder;
}

/** A coupon's state and the order that used it, as the database has them. */
export async function couponState(demo: DemoSuite, id: number): Promise<{ state: string; order_id: number | null }> {
  return (await demo.site.platform.knex('coupons').where({ id }).first('state', 'order_id')) as {
    state: string;
    order_id: number | null;
  };
}
