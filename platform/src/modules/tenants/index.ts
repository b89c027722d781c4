export {
  tenantsRepository,
  type Tenant,
  type TenantsRepository,
  type TenantPatch,
  type NewTenant,
} from './tenants.repository';
export { tenantsService, type TenantsService } from './tenants.service';
export { platformTenantHandlers, merchantTenantHandlers, shopTenantHandlers } from './tenants.routes';
