import { totalOf } from '../../kernel/db/rows';
import type { MerchantRole, PlatformRole } from '@shopfleet/contracts';
import type { RequestContext, TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
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

export interface InvitationRow {
  id: number;
  tenant_id: number;
  email: string | null;
  phone: string | null;
  role: MerchantRole;
  token_hash: string;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
}

export interface StaffRow extends Membership {
  email: string;
  name: string;
}

/**
 * Identity's tables: staff of the platform (`platform_users`), people who run shops (`merchant_users`, the
 * platform-level `merchant_user_shops` directory, the tenant-owned `merchant_memberships`) and their
 * invitations. Writes run on the context's connection (its transaction); lookups by email or id, made
 * before anyone is known, on the pool.
 */
export function identityRepository(db: Database) {
  const knex = db.knex;
  return {
    async platformUserByEmail(email: string): Promise<PlatformUser | null> {
      const r = await platformTable(knex, 'platform_users').where({ email }).first();
      return r
        ? {
            id: Number(r.id),
            email: r.email,
            name: r.name,
            passwordHash: r.password_hash,
            role: r.role,
            status: r.status,
          }
        : null;
    },

    async platformUserById(id: number): Promise<PlatformUser | null> {
      const r = await platformTable(knex, 'platform_users').where({ id }).first();
      return r
        ? {
            id: Number(r.id),
            email: r.email,
            name: r.name,
            passwordHash: r.password_hash,
            role: r.role,
            status: r.status,
          }
        : null;
    },

    async insertPlatformUser(u: {
      email: string;
      name: string;
      passwordHash: string;
      role: PlatformRole;
    }): Promise<number> {
      const [id] = await platformTable(knex, 'platform_users').insert({
        email: u.email,
        name: u.name,
        password_hash: u.passwordHash,
        role: u.role,
      });
      return Number(id);
    },

    async touchPlatformLogin(id: number): Promise<void> {
      await platformTable(knex, 'platform_users')
        .where({ id })
        .update({ last_login_at: knex.fn.now(3) });
    },

    async merchantUserByEmail(email: string): Promise<MerchantUser | null> {
      const r = await platformTable(knex, 'merchant_users').where({ email }).first();
      return r
        ? { id: Number(r.id), email: r.email, name: r.name, passwordHash: r.password_hash, status: r.status }
        : null;
    },

    async merchantUserById(id: number): Promise<MerchantUser | null> {
      const r = await platformTable(knex, 'merchant_users').where({ id }).first();
      return r
        ? { id: Number(r.id), email: r.email, name: r.name, passwordHash: r.password_hash, status: r.status }
        : null;
    },

    async insertMerchantUser(
      ctx: RequestContext,
      u: { email: string; name: string; passwordHash: string; phone?: string | null; phoneVerified?: boolean },
    ): Promise<number> {
      const [id] = await platformTable(db.conn(ctx), 'merchant_users').insert({
        email: u.email,
        name: u.name,
        password_hash: u.passwordHash,
        phone: u.phone ?? null,
        phone_verified_at: u.phoneVerified ? knex.fn.now(3) : null,
      });
      return Number(id);
    },

    async phoneVerified(userId: number): Promise<boolean> {
      const r = await platformTable(knex, 'merchant_users').select('phone_verified_at').where({ id: userId }).first();
      return Boolean(r?.phone_verified_at);
    },

    /** Emails of a shop's active owners. */
    async ownerEmails(tenantId: number): Promise<string[]> {
      const rows = (await new TenantScope(knex, tenantId)
        .table('merchant_memberships', 'm')
        .join('merchant_users as u', 'u.id', 'm.merchant_user_id')
        .where({ 'm.role': 'owner', 'm.status': 'active' })
        .select('u.email')) as Array<{ email: string }>;
      return rows.map((r) => r.email);
    },

    async insertInvitation(
      ctx: TenantContext,
      inv: {
        email: string | null;
        phone: string | null;
        role: MerchantRole;
        tokenHash: string;
        invitedBy: number;
        expiresAt: Date;
      },
    ): Promise<number> {
      return db.scope(ctx).insert('staff_invitations', {
        email: inv.email,
        phone: inv.phone,
        role: inv.role,
        token_hash: inv.tokenHash,
        invited_by: inv.invitedBy,
        expires_at: inv.expiresAt,
      });
    },

    async invitations(ctx: TenantContext): Promise<InvitationRow[]> {
      return (await db.scope(ctx).table('staff_invitations').orderBy('id', 'desc').limit(200)) as InvitationRow[];
    },

    async invitationById(ctx: TenantContext, id: number): Promise<InvitationRow | null> {
      return (
        ((await db.scope(ctx).table('staff_invitations').where({ id }).first()) as InvitationRow | undefined) ?? null
      );
    },

    async invitationByTokenHash(ctx: TenantContext, tokenHash: string): Promise<InvitationRow | null> {
      return (
        ((await db.scope(ctx).table('staff_invitations').where({ token_hash: tokenHash }).first()) as
          InvitationRow | undefined) ?? null
      );
    },

    /** Marks an invitation accepted or revoked, if still open; false when another request got there first. */
    async closeInvitation(ctx: TenantContext, id: number, how: 'accepted_at' | 'revoked_at'): Promise<boolean> {
      const changed = await db
        .scope(ctx)
        .table('staff_invitations')
        .where({ id })
        .whereNull('accepted_at')
        .whereNull('revoked_at')
        .update({ [how]: knex.fn.now(3) });
      return changed === 1;
    },

    async touchMerchantLogin(id: number): Promise<void> {
      await platformTable(knex, 'merchant_users')
        .where({ id })
        .update({ last_login_at: knex.fn.now(3) });
    },

    /** The shops (tenant ids) a merchant user belongs to, from the platform-level directory. */
    async shopIdsOf(userId: number): Promise<number[]> {
      const rows = (await platformTable(knex, 'merchant_user_shops')
        .select('tenant_id')
        .where({ merchant_user_id: userId })) as Array<{ tenant_id: number }>;
      return rows.map((r) => Number(r.tenant_id));
    },

    /** Adds a person to the context's shop: the tenant-owned membership and the directory entry (the caller's transaction keeps them together). */
    async addMembership(ctx: TenantContext, userId: number, role: MerchantRole): Promise<number> {
      const id = await db.scope(ctx).insert('merchant_memberships', { merchant_user_id: userId, role });
      await platformTable(db.conn(ctx), 'merchant_user_shops').insert({
        merchant_user_id: userId,
        tenant_id: ctx.tenantId,
      });
      return id;
    },

    /** A person's membership of a shop, read on the pool (authentication asks it on every request). */
    async membership(tenantId: number, userId: number): Promise<Membership | null> {
      const r = await new TenantScope(knex, tenantId)
        .table('merchant_memberships')
        .where({ merchant_user_id: userId })
        .first();
      return r
        ? {
            id: Number(r.id),
            tenantId: Number(r.tenant_id),
            userId: Number(r.merchant_user_id),
            role: r.role,
            status: r.status,
            createdAt: r.created_at,
          }
        : null;
    },

    /** The shop's active staff members, the owner included (usage). */
    async countActiveStaff(ctx: TenantContext): Promise<number> {
      return totalOf(
        await db.scope(ctx).table('merchant_memberships').where({ status: 'active' }).count({ total: '*' }),
      );
    },

    async listStaff(ctx: TenantContext, page: number, pageSize: number): Promise<{ rows: StaffRow[]; total: number }> {
      const scope = db.scope(ctx);
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
