import type { TenantStatus, TokenPair } from '@shopfleet/contracts';
import { systemContext } from '@shopfleet/platform';
import type { TestPlatform } from './test-platform';
import { uid } from './test-platform';

export interface TestShop {
  id: number;
  slug: string;
  owner: { email: string; password: string };
  staff: { email: string; password: string };
}

/** A tenant with an owner and a staff member, created through the services as sign-up will. */
export async function createShop(
  t: TestPlatform,
  opts: { status?: TenantStatus; name?: string } = {},
): Promise<TestShop> {
  const { services, log } = t.platform;
  const ctx = systemContext(log, 'test');
  const slug = `shop-${uid()}`;
  const id = await services.tenants.create(ctx, {
    slug,
    name: opts.name ?? `Shop ${slug}`,
    status: opts.status ?? 'active',
  });
  const owner = { email: `owner-${uid()}@example.com`, password: 'owner-password-1' };
  const staff = { email: `staff-${uid()}@example.com`, password: 'staff-password-1' };
  await services.identity.addMerchantUser(ctx, id, { ...owner, name: 'Owner', role: 'owner' });
  await services.identity.addMerchantUser(ctx, id, { ...staff, name: 'Staff', role: 'staff' });
  return { id, slug, owner, staff };
}

export async function merchantLogin(t: TestPlatform, who: { email: string; password: string }): Promise<TokenPair> {
  const res = await t.api.post('/merchant-api/v1/auth/login').send(who).expect(200);
  return res.body as TokenPair;
}

export async function createPlatformUser(
  t: TestPlatform,
  role: 'admin' | 'reviewer',
): Promise<{ email: string; password: string }> {
  const who = { email: `${role}-${uid()}@shopfleet.test`, password: `${role}-password-1` };
  await t.platform.services.identity.createPlatformUser({ ...who, name: role, role });
  return who;
}

export async function platformLogin(t: TestPlatform, who: { email: string; password: string }): Promise<TokenPair> {
  const res = await t.api.post('/platform-api/v1/auth/login').send(who).expect(200);
  return res.body as TokenPair;
}

/** Signs a shopper in by phone the way the h5 shop does: ask for a code, read it off the phone, send it back. */
export async function shopperLogin(
  t: TestPlatform,
  slug: string,
  phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
): Promise<TokenPair & { phone: string }> {
  await t.api.post(`/shop-api/v1/shops/${slug}/auth/sms-code`).send({ phone }).expect(200);
  const res = await t.api
    .post(`/shop-api/v1/shops/${slug}/auth/phone`)
    .send({ phone, code: t.sms.lastCodeFor(phone) })
    .expect(200);
  return { ...(res.body as TokenPair), phone };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
