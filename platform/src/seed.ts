import type { Platform } from './platform';
import { systemContext } from './kernel/context';
import { identityRepository } from './modules/identity';
import { shoppersRepository } from './modules/shoppers';

export const DEMO = {
  admin: { email: 'admin@shopfleet.local', password: 'shopfleet-admin-demo', name: 'Platform Admin' },
  reviewer: { email: 'reviewer@shopfleet.local', password: 'shopfleet-reviewer-demo', name: 'Platform Reviewer' },
  owner: { email: 'owner@demo.shop', password: 'shopfleet-owner-demo', name: '演示店主' },
  staff: { email: 'staff@demo.shop', password: 'shopfleet-staff-demo', name: '演示店员' },
  tenant: { slug: 'demo', name: '拾光生活馆', description: '精选家居好物 · Shopfleet 演示店铺' },
  shopperPhone: '13800138000',
} as const;

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
  await shoppersRepository(knex).findOrCreate({ ...ctx, tenantId: tenant!.id }, { phone: DEMO.shopperPhone });
}
