import type { Knex } from 'knex';
import {
  MERCHANT_ROLE_PERMISSIONS,
  PLATFORM_ROLE_PERMISSIONS,
  type Audience,
  type MerchantLoginBody,
  type MerchantMe,
  type MerchantRole,
  type Page,
  type PlatformMe,
  type PlatformRole,
  type StaffMember,
  type TokenPair,
} from '@shopfleet/contracts';
import type { Actor, RequestContext, TenantContext } from '../../kernel/context';
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../../kernel/errors';
import { hashPassword, verifyPassword } from '../../kernel/auth/passwords';
import type { AccessTokens } from '../../kernel/auth/tokens';
import type { Limiter } from '../../kernel/auth/rate-limit';
import { TenantScope } from '../../kernel/db/tenant-scope';
import { iso } from '../../kernel/db/rows';
import type { TenantsService } from '../tenants';
import type { AuditService } from '../audit';
import type { IdentityRepository } from './identity.repository';
import type { SessionsService } from './sessions.service';

export interface IdentityDeps {
  knex: Knex;
  repo: IdentityRepository;
  sessions: SessionsService;
  tokens: AccessTokens;
  tenants: TenantsService;
  audit: AuditService;
  /** Failed sign-ins per account. */
  loginFailures: Limiter;
  /** Sign-in attempts per client address. */
  loginAttempts: Limiter;
}

const BAD_CREDENTIALS = 'Wrong email or password';

export function identityService(deps: IdentityDeps) {
  /** Rate-limited password check shared by both staff audiences. */
  async function checkPassword(ctx: RequestContext, audience: Audience, email: string, hash: string | null, password: string): Promise<boolean> {
    const accountKey = `${audience}:${email}`;
    await deps.loginAttempts.consume(`${audience}:${ctx.ip ?? 'unknown'}`, 'Too many sign-in attempts from this address; try again later');
    await deps.loginFailures.check(accountKey, 'Too many failed sign-ins for this account; try again later');
    const ok = await verifyPassword(hash, password);
    if (ok) await deps.loginFailures.reset(accountKey);
    else await deps.loginFailures.consume(accountKey, 'Too many failed sign-ins for this account; try again later');
    return ok;
  }

  async function activeMembership(tenantId: number, userId: number) {
    const membership = await deps.repo.membership(new TenantScope(deps.knex, tenantId), userId);
    if (!membership || membership.status !== 'active') throw new UnauthenticatedError('TOKEN_INVALID', 'You no longer have access to this shop');
    return membership;
  }

  return {
    /** Verifies an access token for an audience and turns it into the actor; revoked sessions are refused. */
    async authenticate(audience: Audience, token: string): Promise<Actor> {
      const claims = await deps.tokens.verify(token, audience);
      if (await deps.sessions.isRevoked(claims.sid)) throw new UnauthenticatedError('TOKEN_INVALID', 'This session was signed out');
      switch (audience) {
        case 'platform': {
          const role = claims.role as PlatformRole;
          const permissions = PLATFORM_ROLE_PERMISSIONS[role];
          if (!permissions) throw new UnauthenticatedError('TOKEN_INVALID', 'Invalid token');
          return { type: 'platform', userId: claims.sub, role, permissions };
        }
        case 'merchant': {
          const role = claims.role as MerchantRole;
          const permissions = MERCHANT_ROLE_PERMISSIONS[role];
          if (!permissions || claims.tid === null) throw new UnauthenticatedError('TOKEN_INVALID', 'Invalid token');
          return { type: 'merchant', userId: claims.sub, tenantId: claims.tid, role, permissions };
        }
        case 'shopper':
          if (claims.tid === null) throw new UnauthenticatedError('TOKEN_INVALID', 'Invalid token');
          return { type: 'shopper', shopperId: claims.sub, tenantId: claims.tid };
      }
    },

    /** Platform staff sign-in: rate-limited, audited, same answer for unknown account and wrong password. */
    async platformLogin(ctx: RequestContext, email: string, password: string): Promise<TokenPair> {
      const normalized = email.trim().toLowerCase();
      const user = await deps.repo.platformUserByEmail(normalized);
      const ok = await checkPassword(ctx, 'platform', normalized, user?.passwordHash ?? null, password);
      if (!ok || !user || user.status !== 'active') throw new UnauthenticatedError('INVALID_CREDENTIALS', BAD_CREDENTIALS);
      await deps.repo.touchPlatformLogin(user.id);
      await deps.audit.record({ ...ctx, actor: { type: 'platform', userId: user.id, role: user.role, permissions: [] } }, { action: 'platform.login', targetType: 'platform_user', targetId: user.id });
      return deps.sessions.start(ctx, { audience: 'platform', subjectId: user.id, tenantId: null, role: user.role });
    },

    platformRefresh(ctx: RequestContext, refreshToken: string): Promise<TokenPair> {
      return deps.sessions.refresh(ctx, 'platform', refreshToken, async ({ subjectId }) => {
        const user = await deps.repo.platformUserById(subjectId);
        if (!user || user.status !== 'active') throw new UnauthenticatedError('TOKEN_INVALID', 'This account is disabled');
        return { role: user.role };
      });
    },

    async platformMe(ctx: RequestContext): Promise<PlatformMe> {
      if (ctx.actor.type !== 'platform') throw new ForbiddenError();
      const user = await deps.repo.platformUserById(ctx.actor.userId);
      if (!user) throw new NotFoundError('User');
      return { id: user.id, email: user.email, name: user.name, role: user.role, permissions: [...PLATFORM_ROLE_PERMISSIONS[user.role]] };
    },

    /**
     * Merchant sign-in. A person in several shops names the shop; without it the answer is a 409
     * listing the shops to choose from.
     */
    async merchantLogin(ctx: RequestContext, body: MerchantLoginBody): Promise<TokenPair> {
      const email = body.email.trim().toLowerCase();
      const user = await deps.repo.merchantUserByEmail(email);
      const ok = await checkPassword(ctx, 'merchant', email, user?.passwordHash ?? null, body.password);
      if (!ok || !user || user.status !== 'active') throw new UnauthenticatedError('INVALID_CREDENTIALS', BAD_CREDENTIALS);
      const shopIds = await deps.repo.shopIdsOf(user.id);
      let tenantId: number | undefined;
      if (body.shop) {
        const tenant = await deps.tenants.findBySlug(body.shop);
        tenantId = tenant && shopIds.includes(tenant.id) ? tenant.id : undefined;
        if (!tenantId) throw new UnauthenticatedError('INVALID_CREDENTIALS', BAD_CREDENTIALS);
      } else if (shopIds.length === 1) {
        tenantId = shopIds[0];
      } else if (shopIds.length > 1) {
        const shops = await Promise.all(shopIds.map((id) => deps.tenants.findById(id)));
        throw new ConflictError('Choose a shop to sign in to', { shops: shops.filter(Boolean).map((t) => ({ slug: t!.slug, name: t!.name })) });
      }
      if (!tenantId) throw new UnauthenticatedError('INVALID_CREDENTIALS', BAD_CREDENTIALS);
      const membership = await activeMembership(tenantId, user.id);
      await deps.repo.touchMerchantLogin(user.id);
      const actor: Actor = { type: 'merchant', userId: user.id, tenantId, role: membership.role, permissions: [] };
      await deps.audit.record({ ...ctx, tenantId, actor }, { action: 'merchant.login', targetType: 'merchant_user', targetId: user.id });
      return deps.sessions.start(ctx, { audience: 'merchant', subjectId: user.id, tenantId, role: membership.role });
    },

    merchantRefresh(ctx: RequestContext, refreshToken: string): Promise<TokenPair> {
      return deps.sessions.refresh(ctx, 'merchant', refreshToken, async ({ subjectId, tenantId }) => {
        const user = await deps.repo.merchantUserById(subjectId);
        if (!user || user.status !== 'active' || tenantId === null) throw new UnauthenticatedError('TOKEN_INVALID', 'This account is disabled');
        const membership = await activeMembership(tenantId, subjectId);
        return { role: membership.role };
      });
    },

    async merchantMe(ctx: TenantContext): Promise<MerchantMe> {
      if (ctx.actor.type !== 'merchant') throw new ForbiddenError();
      const [user, tenant, membership] = await Promise.all([
        deps.repo.merchantUserById(ctx.actor.userId),
        deps.tenants.findById(ctx.tenantId),
        activeMembership(ctx.tenantId, ctx.actor.userId),
      ]);
      if (!user || !tenant) throw new NotFoundError('User');
      return {
        id: user.id,
        email: user.email,
        name: user.name,
        role: membership.role,
        permissions: [...MERCHANT_ROLE_PERMISSIONS[membership.role]],
        tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, status: tenant.status },
      };
    },

    /** The caller's shop's staff. */
    async listStaff(ctx: TenantContext, page: number, pageSize: number): Promise<Page<StaffMember>> {
      const { rows, total } = await deps.repo.listStaff(new TenantScope(deps.knex, ctx.tenantId), page, pageSize);
      return {
        items: rows.map((r) => ({ id: r.id, userId: r.userId, email: r.email, name: r.name, role: r.role, status: r.status, createdAt: iso(r.createdAt) })),
        page,
        pageSize,
        total,
      };
    },

    /** Creates platform staff (seeding and the admin CLI). */
    async createPlatformUser(input: { email: string; name: string; password: string; role: PlatformRole }): Promise<number> {
      return deps.repo.insertPlatformUser({ email: input.email.toLowerCase(), name: input.name, role: input.role, passwordHash: await hashPassword(input.password) });
    },

    /** Creates a merchant user (or reuses the account with that email) and adds it to a shop with a role. */
    async addMerchantUser(ctx: RequestContext, tenantId: number, input: { email: string; name: string; password: string; role: MerchantRole }): Promise<number> {
      const email = input.email.toLowerCase();
      const existing = await deps.repo.merchantUserByEmail(email);
      const passwordHash = existing ? null : await hashPassword(input.password);
      return deps.knex.transaction(async (trx) => {
        const userId = existing?.id ?? (await deps.repo.insertMerchantUser({ email, name: input.name, passwordHash: passwordHash! }, trx));
        await deps.repo.addMembership(tenantId, userId, input.role, trx);
        await deps.audit.record({ ...ctx, tenantId }, { action: 'staff.added', targetType: 'merchant_user', targetId: userId, data: { role: input.role } }, trx);
        return userId;
      });
    },
  };
}

export type IdentityService = ReturnType<typeof identityService>;
