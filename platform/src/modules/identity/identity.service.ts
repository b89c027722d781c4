import type { Transactions } from '../../kernel/db/database';
import { createHash, randomBytes } from 'node:crypto';
import {
  MERCHANT_ROLE_PERMISSIONS,
  PLATFORM_ROLE_PERMISSIONS,
  type Audience,
  type Invitation,
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
import { iso, isDuplicateKey } from '../../kernel/db/rows';
import { maskPhone } from '../../kernel/mask';
import type { EmailSender } from '../../integrations/email';
import type { SmsSender } from '../../integrations/sms';
import type { TenantsService } from '../tenants';
import type { AuditService } from '../audit';
import type { IdentityRepository, InvitationRow } from './identity.repository';
import type { SessionsService } from './sessions.service';

/** The one text of a taken email, wherever an account is made. */
const EMAIL_TAKEN = { reason: 'EMAIL_TAKEN', message: 'An account with this email exists; sign in instead' } as const;

export interface IdentityDeps {
  tx: Transactions;
  repo: IdentityRepository;
  sessions: SessionsService;
  tokens: AccessTokens;
  tenants: TenantsService;
  audit: AuditService;
  /** Failed sign-ins per account. */
  loginFailures: Limiter;
  /** Sign-in attempts per client address. */
  loginAttempts: Limiter;
  email: EmailSender;
  sms: SmsSender;
  publicUrl: string;
  now?: () => Date;
}

const INVITATION_DAYS = 7;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Invitation tokens name their tenant (`<tenantId>_<random>`), so accepting one needs no cross-tenant lookup. */
function parseInvitationToken(token: string): { tenantId: number; hash: string } | null {
  const match = /^(\d{1,12})_([A-Za-z0-9_-]{32,})$/.exec(token);
  if (!match) return null;
  return { tenantId: Number(match[1]), hash: hashToken(token) };
}

const BAD_CREDENTIALS = 'Wrong email or password';

export function identityService(deps: IdentityDeps) {
  const now = deps.now ?? (() => new Date());

  function invitationStatus(r: InvitationRow): Invitation['status'] {
    if (r.accepted_at) return 'accepted';
    if (r.revoked_at) return 'revoked';
    return r.expires_at.getTime() <= now().getTime() ? 'expired' : 'pending';
  }

  const toInvitation = (r: InvitationRow): Invitation => ({
    id: Number(r.id),
    email: r.email,
    phoneMasked: maskPhone(r.phone),
    role: r.role,
    status: invitationStatus(r),
    expiresAt: iso(r.expires_at),
    createdAt: iso(r.created_at),
  });

  async function openInvitation(
    ctx: RequestContext,
    token: string,
  ): Promise<{ row: InvitationRow; tctx: TenantContext }> {
    const parsed = parseInvitationToken(token);
    const gone = new NotFoundError('INVITATION_NOT_FOUND');
    if (!parsed) throw gone;
    const tenant = await deps.tenants.findById(parsed.tenantId);
    if (!tenant) throw gone;
    const tctx = { ...ctx, tenantId: tenant.id };
    const row = await deps.repo.invitationByTokenHash(tctx, parsed.hash);
    if (!row || invitationStatus(row) !== 'pending') throw gone;
    return { row, tctx };
  }

  /** Rate-limited password check shared by both staff audiences. */
  async function checkPassword(
    ctx: RequestContext,
    audience: Audience,
    email: string,
    hash: string | null,
    password: string,
  ): Promise<boolean> {
    const accountKey = `${audience}:${email}`;
    await deps.loginAttempts.consume(
      `${audience}:${ctx.ip ?? 'unknown'}`,
      'Too many sign-in attempts from this address; try again later',
    );
    await deps.loginFailures.check(accountKey, 'Too many failed sign-ins for this account; try again later');
    const ok = await verifyPassword(hash, password);
    if (ok) await deps.loginFailures.reset(accountKey);
    else await deps.loginFailures.consume(accountKey, 'Too many failed sign-ins for this account; try again later');
    return ok;
  }

  async function activeMembership(tenantId: number, userId: number) {
    const membership = await deps.repo.membership(tenantId, userId);
    if (!membership || membership.status !== 'active')
      throw new UnauthenticatedError('TOKEN_INVALID', {
        reason: 'SHOP_ACCESS_REVOKED',
        message: 'You no longer have access to this shop',
      });
    return membership;
  }

  return {
    /** Verifies an access token for an audience and turns it into the actor; revoked sessions are refused. */
    async authenticate(audience: Audience, token: string): Promise<Actor> {
      const claims = await deps.tokens.verify(token, audience);
      if (await deps.sessions.isRevoked(claims.sid))
        throw new UnauthenticatedError('TOKEN_INVALID', {
          reason: 'SESSION_SIGNED_OUT',
          message: 'This session was signed out',
        });
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
      if (!ok || !user || user.status !== 'active')
        throw new UnauthenticatedError('INVALID_CREDENTIALS', BAD_CREDENTIALS);
      await deps.repo.touchPlatformLogin(user.id);
      await deps.audit.record(
        { ...ctx, actor: { type: 'platform', userId: user.id, role: user.role, permissions: [] } },
        { action: 'platform.login', targetType: 'platform_user', targetId: user.id },
      );
      return deps.sessions.start(ctx, { audience: 'platform', subjectId: user.id, tenantId: null, role: user.role });
    },

    platformRefresh(ctx: RequestContext, refreshToken: string): Promise<TokenPair> {
      return deps.sessions.refresh(ctx, 'platform', refreshToken, async ({ subjectId }) => {
        const user = await deps.repo.platformUserById(subjectId);
        if (!user || user.status !== 'active')
          throw new UnauthenticatedError('TOKEN_INVALID', {
            reason: 'ACCOUNT_DISABLED',
            message: 'This account is disabled',
          });
        return { role: user.role };
      });
    },

    async platformMe(ctx: RequestContext): Promise<PlatformMe> {
      if (ctx.actor.type !== 'platform') throw new ForbiddenError();
      const user = await deps.repo.platformUserById(ctx.actor.userId);
      if (!user) throw new NotFoundError('USER_NOT_FOUND');
      return {
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        permissions: [...PLATFORM_ROLE_PERMISSIONS[user.role]],
      };
    },

    /**
     * Merchant sign-in. A person in several shops names the shop; without it the answer is a 409
     * listing the shops to choose from.
     */
    async merchantLogin(ctx: RequestContext, body: MerchantLoginBody): Promise<TokenPair> {
      const email = body.email.trim().toLowerCase();
      const user = await deps.repo.merchantUserByEmail(email);
      const ok = await checkPassword(ctx, 'merchant', email, user?.passwordHash ?? null, body.password);
      if (!ok || !user || user.status !== 'active')
        throw new UnauthenticatedError('INVALID_CREDENTIALS', BAD_CREDENTIALS);
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
        throw new ConflictError(
          { reason: 'CHOOSE_SHOP', message: 'Choose a shop to sign in to' },
          { shops: shops.filter(Boolean).map((t) => ({ slug: t!.slug, name: t!.name })) },
        );
      }
      if (!tenantId) throw new UnauthenticatedError('INVALID_CREDENTIALS', BAD_CREDENTIALS);
      const membership = await activeMembership(tenantId, user.id);
      await deps.repo.touchMerchantLogin(user.id);
      const actor: Actor = { type: 'merchant', userId: user.id, tenantId, role: membership.role, permissions: [] };
      await deps.audit.record(
        { ...ctx, tenantId, actor },
        { action: 'merchant.login', targetType: 'merchant_user', targetId: user.id },
      );
      return deps.sessions.start(ctx, { audience: 'merchant', subjectId: user.id, tenantId, role: membership.role });
    },

    merchantRefresh(ctx: RequestContext, refreshToken: string): Promise<TokenPair> {
      return deps.sessions.refresh(ctx, 'merchant', refreshToken, async ({ subjectId, tenantId }) => {
        const user = await deps.repo.merchantUserById(subjectId);
        if (!user || user.status !== 'active' || tenantId === null)
          throw new UnauthenticatedError('TOKEN_INVALID', {
            reason: 'ACCOUNT_DISABLED',
            message: 'This account is disabled',
          });
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
      if (!user || !tenant) throw new NotFoundError('USER_NOT_FOUND');
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
    /** How many people may work in the shop now: its active staff members, the owner included (usage). */
    activeStaffCount(ctx: TenantContext): Promise<number> {
      return deps.repo.countActiveStaff(ctx);
    },

    async listStaff(ctx: TenantContext, page: number, pageSize: number): Promise<Page<StaffMember>> {
      const { rows, total } = await deps.repo.listStaff(ctx, page, pageSize);
      return {
        items: rows.map((r) => ({
          id: r.id,
          userId: r.userId,
          email: r.email,
          name: r.name,
          role: r.role,
          status: r.status,
          createdAt: iso(r.createdAt),
        })),
        page,
        pageSize,
        total,
      };
    },

    /**
     * Creates the account of a shop's founder inside the sign-up transaction. An email that already has
     * an account is a 409: sign in and add the shop from there instead.
     */
    async createShopOwner(
      ctx: TenantContext,
      input: { email: string; name: string; password: string; phone: string; phoneVerified: boolean },
    ): Promise<number> {
      const email = input.email.trim().toLowerCase();
      if (await deps.repo.merchantUserByEmail(email)) throw new ConflictError(EMAIL_TAKEN, { field: 'email' });
      let userId: number;
      try {
        userId = await deps.repo.insertMerchantUser(ctx, {
          email,
          name: input.name,
          phone: input.phone,
          phoneVerified: input.phoneVerified,
          passwordHash: await hashPassword(input.password),
        });
      } catch (err) {
        if (isDuplicateKey(err)) throw new ConflictError(EMAIL_TAKEN, { field: 'email' });
        throw err;
      }
      await deps.repo.addMembership(ctx, userId, 'owner');
      await deps.audit.record(ctx, {
        action: 'staff.added',
        targetType: 'merchant_user',
        targetId: userId,
        data: { role: 'owner', via: 'signup' },
      });
      return userId;
    },

    /** Starts a merchant session for a user just created or added (sign-up, accepted invitation). */
    startMerchantSession(
      ctx: RequestContext,
      userId: number,
      tenantId: number,
      role: MerchantRole,
    ): Promise<TokenPair> {
      return deps.sessions.start(ctx, { audience: 'merchant', subjectId: userId, tenantId, role });
    },

    async emailTaken(email: string): Promise<boolean> {
      return (await deps.repo.merchantUserByEmail(email.trim().toLowerCase())) !== null;
    },

    phoneVerified(userId: number): Promise<boolean> {
      return deps.repo.phoneVerified(userId);
    },

    ownerEmails(tenantId: number): Promise<string[]> {
      return deps.repo.ownerEmails(tenantId);
    },

    /** Invites a person by email or phone with a role; the link is sent and also returned to the inviter. */
    async createInvitation(
      ctx: TenantContext,
      input: { email?: string; phone?: string; role: MerchantRole },
    ): Promise<Invitation> {
      if (ctx.actor.type !== 'merchant') throw new ForbiddenError();
      const tenant = await deps.tenants.mustGet(ctx.tenantId);
      const token = `${ctx.tenantId}_${randomBytes(32).toString('base64url')}`;
      const id = await deps.tx.transaction(ctx, async (tctx) => {
        const created = await deps.repo.insertInvitation(tctx, {
          email: input.email?.toLowerCase() ?? null,
          phone: input.phone ?? null,
          role: input.role,
          tokenHash: hashToken(token),
          invitedBy: (ctx.actor as { userId: number }).userId,
          expiresAt: new Date(now().getTime() + INVITATION_DAYS * 86_400_000),
        });
        await deps.audit.record(tctx, {
          action: 'staff.invited',
          targetType: 'invitation',
          targetId: created,
          data: { email: input.email ?? null, phone: maskPhone(input.phone ?? null), role: input.role },
        });
        return created;
      });
      const acceptUrl = `${deps.publicUrl}/console/invite/${token}`;
      const text = `你被邀请加入「${tenant.name}」的管理后台（${input.role === 'owner' ? '店主' : '店员'}）。${INVITATION_DAYS} 天内打开链接接受邀请：${acceptUrl}`;
      if (input.email)
        await deps.email
          .send({ to: input.email, subject: `加入「${tenant.name}」`, text })
          .catch((err: unknown) => ctx.log.warn({ err }, 'invitation email failed'));
      if (input.phone)
        await deps.sms
          .sendNotice({ phone: input.phone, text })
          .catch((err: unknown) => ctx.log.warn({ err }, 'invitation sms failed'));
      const row = await deps.repo.invitationById(ctx, id);
      return { ...toInvitation(row!), acceptUrl };
    },

    async listInvitations(ctx: TenantContext): Promise<Invitation[]> {
      return (await deps.repo.invitations(ctx)).map(toInvitation);
    },

    async revokeInvitation(ctx: TenantContext, id: number): Promise<void> {
      const row = await deps.repo.invitationById(ctx, id);
      if (!row) throw new NotFoundError('INVITATION_NOT_FOUND');
      if (!(await deps.repo.closeInvitation(ctx, id, 'revoked_at')))
        throw new ConflictError({ reason: 'INVITATION_CLOSED', message: 'The invitation is no longer open' });
      await deps.audit.record(ctx, { action: 'staff.invitation.revoked', targetType: 'invitation', targetId: id });
    },

    async invitationPreview(ctx: RequestContext, token: string) {
      const { row } = await openInvitation(ctx, token);
      const tenant = await deps.tenants.mustGet(Number(row.tenant_id));
      return {
        shopName: tenant.name,
        shopSlug: tenant.slug,
        role: row.role,
        email: row.email,
        hasAccount: row.email ? Boolean(await deps.repo.merchantUserByEmail(row.email)) : false,
      };
    },

    /**
     * Joins the shop: an existing account proves itself with its password; otherwise one is created.
     * An invitation sent to an email only opens for that email. An invitation works once.
     */
    async acceptInvitation(
      ctx: RequestContext,
      token: string,
      input: { email: string; name: string; password: string },
    ): Promise<TokenPair> {
      const { row, tctx } = await openInvitation(ctx, token);
      const tenantId = Number(row.tenant_id);
      const email = input.email.trim().toLowerCase();
      if (row.email && row.email !== email)
        throw new ForbiddenError({
          reason: 'INVITATION_OTHER_EMAIL',
          message: 'This invitation was sent to another email address',
        });
      const existing = await deps.repo.merchantUserByEmail(email);
      if (existing) {
        const ok = await checkPassword(ctx, 'merchant', email, existing.passwordHash, input.password);
        if (!ok) throw new UnauthenticatedError('INVALID_CREDENTIALS', BAD_CREDENTIALS);
        if (await deps.repo.membership(tenantId, existing.id))
          throw new ConflictError({ reason: 'ALREADY_MEMBER', message: 'You are already a member of this shop' });
      }
      const passwordHash = existing ? null : await hashPassword(input.password);
      const userId = await deps.tx.transaction(tctx, async (inner) => {
        if (!(await deps.repo.closeInvitation(inner, Number(row.id), 'accepted_at')))
          throw new NotFoundError('INVITATION_NOT_FOUND');
        const id =
          existing?.id ??
          (await deps.repo.insertMerchantUser(inner, { email, name: input.name, passwordHash: passwordHash! }));
        await deps.repo.addMembership(inner, id, row.role);
        await deps.audit.record(
          { ...inner, actor: { type: 'merchant', userId: id, tenantId, role: row.role, permissions: [] } },
          { action: 'staff.joined', targetType: 'invitation', targetId: Number(row.id), data: { role: row.role } },
        );
        return id;
      });
      return deps.sessions.start(ctx, { audience: 'merchant', subjectId: userId, tenantId, role: row.role });
    },

    /** Creates platform staff (seeding and the admin CLI). */
    async createPlatformUser(input: {
      email: string;
      name: string;
      password: string;
      role: PlatformRole;
    }): Promise<number> {
      return deps.repo.insertPlatformUser({
        email: input.email.toLowerCase(),
        name: input.name,
        role: input.role,
        passwordHash: await hashPassword(input.password),
      });
    },

    /** Creates a merchant user (or reuses the account with that email) and adds it to a shop with a role. */
    async addMerchantUser(
      ctx: RequestContext,
      tenantId: number,
      input: { email: string; name: string; password: string; role: MerchantRole },
    ): Promise<number> {
      const email = input.email.toLowerCase();
      const existing = await deps.repo.merchantUserByEmail(email);
      const passwordHash = existing ? null : await hashPassword(input.password);
      return deps.tx.transaction({ ...ctx, tenantId }, async (tctx) => {
        const userId =
          existing?.id ??
          (await deps.repo.insertMerchantUser(tctx, { email, name: input.name, passwordHash: passwordHash! }));
        await deps.repo.addMembership(tctx, userId, input.role);
        await deps.audit.record(tctx, {
          action: 'staff.added',
          targetType: 'merchant_user',
          targetId: userId,
          data: { role: input.role },
        });
        return userId;
      });
    },
  };
}

export type IdentityService = ReturnType<typeof identityService>;
