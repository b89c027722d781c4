import { API_ROOTS, merchantApi, platformApi, shopApi, type EndpointDef } from '@shopfleet/contracts';
import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import {
  bearer,
  createPlatformUser,
  createShop,
  merchantLogin,
  platformLogin,
  shopperLogin,
} from '../../helpers/fixtures';

/**
 * Table-driven: every endpoint of every surface, fed bad input with valid credentials, answers a 4xx in
 * the one error shape, and writes nothing (the audit log, written by every change, does not grow).
 */
let t: TestPlatform;
let tokens: Record<'platform' | 'merchant' | 'shopper', string>;
let slug: string;
beforeAll(async () => {
  t = await startTestPlatform({ BODY_LIMIT: '8kb' });
  const shop = await createShop(t);
  slug = shop.slug;
  tokens = {
    platform: (await platformLogin(t, await createPlatformUser(t, 'admin'))).accessToken,
    merchant: (await merchantLogin(t, shop.owner)).accessToken,
    shopper: (await shopperLogin(t, shop.slug)).accessToken,
  };
});
afterAll(() => t.close());

const surfaces = [
  ['platform', API_ROOTS.platform, platformApi],
  ['merchant', API_ROOTS.merchant, merchantApi],
  ['shopper', API_ROOTS.shop, shopApi],
] as const;

const cases = surfaces.flatMap(([audience, root, endpoints]) =>
  Object.entries(endpoints as Record<string, EndpointDef>).map(([name, def]) => ({ audience, root, name, def })),
);

function url(root: string, def: EndpointDef, params: Record<string, string> = {}): string {
  return (
    root +
    def.path.replace(
      /:([A-Za-z]+)/g,
      (_m, p: string) =>
        params[p] ?? (p === 'shopKey' ? slug : p === 'code' ? 'apparel' : p === 'token' ? `1_${'a'.repeat(40)}` : '1'),
    )
  );
}

async function auditCount(): Promise<number> {
  const [row] = await t.platform.knex('audit_log').count({ n: '*' });
  return Number(row!.n);
}

function send(def: EndpointDef, path: string, audience: keyof typeof tokens) {
  const req = t.api[def.method](path);
  return def.access.kind === 'public' ? req : req.set(bearer(tokens[audience]));
}

describe.each(cases)('$audience $name ($def.method $def.path)', ({ audience, root, def }) => {
  const expect4xx = (res: { status: number; body: { error?: { code?: string } } }) => {
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error?.code).toEqual(expect.any(String));
  };

  if (def.body) {
    it('refuses malformed JSON, unknown fields, wrong types and oversized bodies, writing nothing', async () => {
      const before = await auditCount();
      const path = url(root, def);
      expect4xx(await send(def, path, audience).set('content-type', 'application/json').send('{"a":'));
      expect4xx(await send(def, path, audience).send({ unexpectedField: true }));
      expect4xx(await send(def, path, audience).send([]));
      expect4xx(await send(def, path, audience).send('"just a string"').set('content-type', 'application/json'));
      expect4xx(await send(def, path, audience).send({ blob: 'x'.repeat(10_000) }));
      expect4xx(await send(def, path, audience).type('text/plain').send('hello'));
      expect(await auditCount()).toBe(before);
    });
  } else if (def.method !== 'get' && !def.upload) {
    it('refuses a body it does not take', async () => {
      expect4xx(await send(def, url(root, def), audience).send({ unexpectedField: true }));
    });
  }

  if (def.params) {
    it('refuses malformed path parameters', async () => {
      const bad = Object.fromEntries(
        Object.keys((def.params as unknown as { shape: object }).shape).map((k) => [
          k,
          k === 'shopKey' ? 'NOT_A_SLUG!' : k === 'code' ? 'Bad Code!' : k === 'token' ? 'short' : '-5',
        ]),
      );
      expect4xx(await send(def, url(root, def, bad), audience));
    });
  }

  if (def.method === 'get') {
    it('refuses unknown query parameters', async () => {
      expect4xx(await send(def, `${url(root, def)}?unexpected=1`, audience));
    });
  }

  if (def.access.kind !== 'public') {
    it('refuses a missing, tampered or foreign token with a 401', async () => {
      const path = url(root, def);
      const noToken = await t.api[def.method](path);
      expect(noToken.status).toBe(401);
      const tampered = await t.api[def.method](path).set(bearer(`${tokens[audience]}x`));
      expect(tampered.status).toBe(401);
      const other = audience === 'platform' ? 'merchant' : 'platform';
      const foreign = await t.api[def.method](path).set(bearer(tokens[other]));
      expect(foreign.status).toBe(401);
    });
  }
});
