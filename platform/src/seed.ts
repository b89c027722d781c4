import type { Platform } from './platform';
import { systemContext } from './kernel/context';
import { identityRepository } from './modules/identity';
import { shoppersRepository } from './modules/shoppers';
import { DEMO } from './demo';

export { DEMO };

// A simple geometric mark (no text, so no font is needed to render it).
const DEMO_LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">
  <rect width="512" height="512" rx="96" fill="#e4393c"/>
  <circle cx="256" cy="230" r="120" fill="none" stroke="#fff" stroke-width="36"/>
  <path d="M136 400h240" stroke="#fff" stroke-width="36" stroke-linecap="round"/>
</svg>`;

/**
 * Seeds the demo: platform staff, one active tenant `demo` with its owner and a staff member, and one
 * shopper. Idempotent: anything already there is left as it is.
 */
export async function seedDemo(platform: Platform): Promise<void> {
  const { services, knex } = platform;
  const ctx = systemContext(platform.log, 'seed-demo');
  if (!(await identityRepository(knex).platformUserByEmail(DEMO.admin.email))) {
    await services.identity.createPlatformUser({ ...DEMO.admin, role: 'admin' });
    await services.identity.createPlatformUser({ ...DEMO.reviewer, role: 'reviewer' });
  }
  let tenant = await services.tenants.findBySlug(DEMO.tenant.slug);
  if (!tenant) {
    const id = await services.tenants.create(ctx, { ...DEMO.tenant, status: 'active' });
    await services.identity.addMerchantUser(ctx, id, { ...DEMO.owner, role: 'owner' });
    await services.identity.addMerchantUser(ctx, id, { ...DEMO.staff, role: 'staff' });
    tenant = await services.tenants.findById(id);
  }
  if (!tenant!.logoKey) {
    const tenantCtx = { ...ctx, tenantId: tenant!.id };
    await services.tenants.uploadLogo(tenantCtx, { buffer: Buffer.from(DEMO_LOGO_SVG) }, { trusted: true });
  }
  await shoppersRepository(knex).findOrCreate({ ...ctx, tenantId: tenant!.id }, { phone: DEMO.shopperPhone });
}
