/**
 * Tables that do not belong to one tenant. Every other table is tenant-owned: it must have a NOT NULL
 * tenant_id and every index on it must start with tenant_id (checked by the tenancy guard test).
 * A table lands here only with a reason.
 */
export const PLATFORM_TABLES: Readonly<Record<string, string>> = {
  knex_migrations: 'knex bookkeeping',
  knex_migrations_lock: 'knex bookkeeping',
  tenants: 'the tenants themselves',
  platform_users: 'platform staff belong to no tenant',
  merchant_users: 'one person may belong to several shops (see merchant_memberships)',
  merchant_user_shops: "directory of a person's shops, so sign-in needs no cross-tenant query",
  refresh_tokens: 'sessions of all three audiences, looked up by token hash',
  business_categories: 'platform-managed reference list',
  document_types: 'platform-managed reference list',
  requirement_rules: 'platform-managed rules: which tenants need which documents',
  review_queue: "reviewers' work queue across tenants, a projection of submitted documents",
  template_versions: 'the shared mini-program template, built once per version for every shop',
  bulk_releases: "platform staff's release of one template version to many shops",
  bulk_release_targets: 'the shops of a bulk release, a staff-run batch across tenants',
  arbitration_queue: "the platform's complaint queue across tenants, a projection of complaints",
  wechatpay_sub_merchants: "which shop a WeChat Pay sub-merchant number is, for the service provider's notifications",
  audit_log: 'holds platform actions too; tenant rows carry tenant_id and are read through scoped accessors',
  usage_daily: "the platform's metering of every shop, a row per shop and day: staff list a day across shops",
};

export function isPlatformTable(table: string): boolean {
  return Object.prototype.hasOwnProperty.call(PLATFORM_TABLES, table);
}
