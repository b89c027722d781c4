import {
  API_ROOTS,
  MERCHANT_ROLE_PERMISSIONS,
  PLATFORM_ROLE_PERMISSIONS,
  merchantApi,
  platformApi,
  type EndpointDef,
} from '@shopfleet/contracts';
import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import { bearer, createPlatformUser, createShop, merchantLogin, platformLogin } from '../../helpers/fixtures';

/**
 * Table-driven: access is decided before input is examined. Every endpoint with path parameters, called
 * with malformed ones, answers 401 without a sign-in and 403 to a caller who lacks its permission —
 * never a 400 that tells an outsider what the input should look like.
 */
let t: TestPlatform;
let staff: string;
let reviewer: string;
beforeAll(async () => {
  t = await startTestPlatform();
  const shop = await createShop(t);
  staff = (await merchantLogin(t, shop.staff)).accessToken;
  reviewer = (await platformLogin(t, await createPlatformUser(t, 'reviewer'))).accessToken;
});
afterAll(() => t.close());

const withParams = (defs: Record<string, EndpointDef>) =>
  Object.entries(defs).filter(([, def]) => def.params && def.access.kind !== 'public');
const badPath = (root: string, def: EndpointDef) => root + def.path.replace(/:([A-Za-z]+)/g, '-5%20x');

const lacking = [
  ...withParams(merchantApi)
    .filter(
      ([, def]) =>
        def.access.kind === 'permission' &&
        !(MERCHANT_ROLE_PERMISSIONS.staff as readonly string[]).includes(def.access.permission),
    )
    .map(([name, def]) => ({ name, def, root: API_ROOTS.merchant, who: 'staff' as const })),
  ...withParams(platformApi)
    .filter(
      ([, def]) =>
        def.access.kind === 'permission' &&
        !(PLATFORM_ROLE_PERMISSIONS.reviewer as readonly string[]).includes(def.access.permission),
    )
    .map(([name, def]) => ({ name, def, root: API_ROOTS.platform, who: 'reviewer' as const })),
];
const signedIn = [
  ...withParams(merchantApi).map(([name, def]) => ({ name, def, root: API_ROOTS.merchant })),
  ...withParams(platformApi).map(([name, def]) => ({ name, def, root: API_ROOTS.platform })),
];

it('the tables hold such endpoints (the cases below are not empty)', () => {
  expect(lacking.length).toBeGreaterThan(10);
  expect(signedIn.length).toBeGreaterThan(lacking.length);
});

it.each(lacking)('$who without the permission of $name gets 403 for a malformed path', async ({ def, root, who }) => {
  const res = await t.api[def.method](badPath(root, def)).set(bearer(who === 'staff' ? staff : reviewer));
  expect(res.status).toBe(403);
  expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', requestId: expect.any(String) });
});

it.each(signedIn)('an anonymous caller of $name gets 401 for a malformed path', async ({ def, root }) => {
  const res = await t.api[def.method](badPath(root, def));
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe('UNAUTHENTICATED');
});
