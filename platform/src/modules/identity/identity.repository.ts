import type { Knex } from 'knex';
import { totalOf } from '../../kernel/db/rows';
import type { MerchantRole, PlatformRole } from '@shopfleet/contracts';
import { platformTable } from '../../kernel/db/platform-db';
import { TenantScope } from '../../kernel/db/tenant-scope';

export interface PlatformUser {
  id: number;
  email: string;
  name: string;
  passwordHash: string;
  role: PlatformRole;
  status: 'active' | 'disabled';
}

export interface MerchantUser {
  id: number;
  email: string;
  name: string;
  passwordHash: string;
  status: 'active' | 'disabled';
}

export interface Membership {
  id: number;
  tenantId: number;
  userId: number;
  role: MerchantRole;
  status: 'active' | 'disabled';
  createdAt: Date;
}

export interface StaffRow extends Membership {
  email: string;
  name: string;
}

export function identityRepository(knex: Knex) {
  return {
    async platformUserByEmail(email: string): Promise<PlatformUser | null> {
      const r = await platformTable(knex, 'platform_users').where({ email }).first();
      return r ? { id: Number(r.id), email: r.email, name: r.name, passwordHash: r.password_hash, role: r.role, status: r.status } : null;
    },

    async platformUserById(id: number): Promise<PlatformUser | null> {
      const r = await platformTable(knex, 'platform_users').where({ id }).first();
      return r ? { id: Number(r.id), email: r.email, name: r.name, passwordHash: r.password_hash, role: r.role, status: r.status } : null;
    },

    async insertPlatformUser(u: { email: string; name: string; passwordHash: string; role: PlatformRole }): Promise<number> {
      const [id] = await platformTable(knex, 'platform_users').insert({ email: u.email, name: u.name, password_hash: u.passwordHash, role: u.role });
      return Number(id);
    },

    async touchPlatformLogin(id: number): Promise<void> {
      await platformTable(knex, 'platform_users').where({ id }).update({ last_login_at: knex.fn.now(3) });
    },

    async merchantUserByEmail(email: string): Promise<MerchantUser | null> {
      const r = await platformTable(knex, 'merchant_users').where({ email }).first();
      return r ? { id: Number(r.id), email: r.email, name: r.name, passwordHash: r.password_hash, status: r.status } : null;
    },

    async merchantUserById(id: number): Promise<MerchantUser | null> {
      const r = await platformTable(knex, 'merchant_users').where({ id }).first();
      return r ? { id: Number(r.id), email: r.email, name: r.name, passwordHash: r.password_hash, status: r.status } : null;
    },

    async insertMerchantUser(u: { email: string; name: string; passwordHash: string; phone?: string | null }, trx?: Knex.Transaction): Promise<number> {
      const [id] = await platformTable(trx ?? knex, 'merchant_users').insert({ email: u.email, name: u.name, password_hash: u.passwordHash, phone: u.phone ?? null });
      return Number(id);
    },

    async touchMerchantLogin(id: number): Promise<void> {
      await platformTable(knex, 'merchant_users').where({ id }).update({ last_login_at: knex.fn.now(3) });
    },

    /** The shops (tenant ids) a merchant user belongs to, from the platform-level directory. */
    async shopIdsOf(userId: number): Promise<number[]> {
      const rows = (await platformTable(knex, 'merchant_user_shops').select('tenant_id').where({ merchant_user_id: userId })) as Array<{ tenant_id: number }>;
      return rows.map((r) => Number(r.tenant_id));
    },

    /** Adds a person to a shop: the tenant-owned membership and the directory entry, in one transaction. */
    async addMembership(tenantId: number, userId: number, role: MerchantRole, trx: Knex.Transaction): Promise<number> {
      const id = await new TenantScope(trx, tenantId).insert('merchant_memberships', { merchant_user_id: userId, role });
      await platformTable(trx, 'merchant_user_shops').insert({ merchant_user_id: userId, tenant_id: tenantId });
      return id;
    },

    async membership(scope: TenantScope, userId: number): Promise<Membership | null> {
      const r = await scope.table('merchant_memberships').where({ merchant_user_id: userId }).first();
      return r
        ? { id: Number(r.id), tenantId: Number(r.tenant_id), userId: Number(r.merchant_user_id), role: r.role, status: r.status, createdAt: r.created_at }
        : null;
    },

    async listStaff(scope: TenantScope, page: number, pageSize: number): Promise<{ rows: StaffRow[]; total: number }> {
      const [rows, counted] = await Promise.all([
        scope
          .table('merchant_memberships', 'm')
          .join('merchant_users as u', 'u.id', 'm.merchant_user_id')
          .select('m.*', 'u.email', 'u.name')
          .orderBy('m.id', 'asc')
          .limit(pageSize)
          .offset((page - 1) * pageSize),
        scope.table('merchant_memberships').count({ total: '*' }),
      ]);
      return {
        rows: (rows as Array<Record<string, unknown>>).map((r) => ({
          id: Number(r.id),
          tenantId: Number(r.tenant_id),
          userId: Number(r.merchant_user_id),
          role: r.role as MerchantRole,
          status: r.status as 'active' | 'disabled',
          createdAt: r.created_at as Date,
          email: String(r.email),
          name: String(r.name),
        })),
        total: totalOf(counted),
      };
    },
  };
}

export type IdentityRepository = ReturnType<typeof identityRepository>;
