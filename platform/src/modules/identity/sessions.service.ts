import type { Knex } from 'knex';
import type { Audience, TokenPair } from '@shopfleet/contracts';
import type { RequestContext } from '../../kernel/context';
import { UnauthenticatedError } from '../../kernel/errors';
import { platformTable } from '../../kernel/db/platform-db';
import { AccessTokens, hashRefreshToken, newRefreshToken, newSessionId } from '../../kernel/auth/tokens';
import type { Redis } from '../../kernel/redis';

export interface SessionSubject {
  audience: Audience;
  subjectId: number;
  tenantId: number | null;
  role?: string;
}

interface RefreshRow {
  id: number;
  family_id: string;
  audience: Audience;
  subject_id: number;
  tenant_id: number | null;
  expires_at: Date;
  revoked_at: Date | null;
  replaced_at: Date | null;
}

export interface SessionsDeps {
  knex: Knex;
  redis: Redis;
  redisPrefix: string;
  tokens: AccessTokens;
  refreshTtlDays: number;
  now?: () => Date;
}

/**
 * Sessions of all three audiences: a short-lived signed access token plus an opaque refresh token
 * that rotates on every use. Presenting a refresh token that was already used revokes its whole
 * family (it was stolen or replayed); a revoked family also cuts its access tokens at once.
 */
export function sessionsService(deps: SessionsDeps) {
  const now = deps.now ?? (() => new Date());
  const revokedKey = (sid: string) => `${deps.redisPrefix}:sess:revoked:${sid}`;
  const table = (trx?: Knex.Transaction) => platformTable(trx ?? deps.knex, 'refresh_tokens');

  async function issue(ctx: RequestContext, subject: SessionSubject, familyId: string, trx?: Knex.Transaction): Promise<TokenPair> {
    const at = now();
    const refresh = newRefreshToken();
    const refreshExpiresAt = new Date(at.getTime() + deps.refreshTtlDays * 86_400_000);
    await table(trx).insert({
      token_hash: refresh.hash,
      family_id: familyId,
      audience: subject.audience,
      subject_id: subject.subjectId,
      tenant_id: subject.tenantId,
      expires_at: refreshExpiresAt,
      ip: ctx.ip?.slice(0, 45) ?? null,
    });
    const access = await deps.tokens.sign(
      { aud: subject.audience, sub: subject.subjectId, tid: subject.tenantId, sid: familyId, role: subject.role },
      at,
    );
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      refreshToken: refresh.token,
      refreshTokenExpiresAt: refreshExpiresAt.toISOString(),
      tokenType: 'Bearer',
    };
  }

  async function revokeFamily(familyId: string, trx?: Knex.Transaction): Promise<void> {
    await table(trx).where({ family_id: familyId }).whereNull('revoked_at').update({ revoked_at: now() });
    // Access tokens of the family live at most their TTL; remember the revocation that long.
    await deps.redis.set(revokedKey(familyId), '1', 'EX', deps.tokens.ttlSeconds + 60);
  }

  return {
    /** Starts a new session (a new refresh-token family) for a subject that just proved who it is. */
    start(ctx: RequestContext, subject: SessionSubject): Promise<TokenPair> {
      return issue(ctx, subject, newSessionId());
    },

    /**
     * Rotates a refresh token. `recheck` re-reads the subject (still active? current role?) and may
     * refuse; `tenantId`, when given, must match the session's tenant (a shop's token is refused by another shop).
     */
    async refresh(
      ctx: RequestContext,
      audience: Audience,
      token: string,
      recheck: (s: { subjectId: number; tenantId: number | null }) => Promise<{ role?: string }>,
      tenantId?: number,
    ): Promise<TokenPair> {
      const row = (await table().where({ token_hash: hashRefreshToken(token) }).first()) as RefreshRow | undefined;
      if (!row || row.audience !== audience || (tenantId !== undefined && Number(row.tenant_id) !== tenantId)) {
        throw new UnauthenticatedError('TOKEN_INVALID', 'Unknown refresh token');
      }
      if (row.revoked_at) throw new UnauthenticatedError('TOKEN_INVALID', { reason: 'SESSION_SIGNED_OUT', message: 'This session was signed out' });
      if (row.replaced_at) {
        await revokeFamily(row.family_id);
        ctx.log.warn({ familyId: row.family_id, audience }, 'refresh token reused: session revoked');
        throw new UnauthenticatedError('TOKEN_INVALID', { reason: 'REFRESH_TOKEN_REUSED', message: 'This refresh token was already used; sign in again' });
      }
      if (row.expires_at.getTime() <= now().getTime()) throw new UnauthenticatedError('TOKEN_EXPIRED', { reason: 'SESSION_EXPIRED', message: 'The session has expired; sign in again' });
      const subject = { subjectId: Number(row.subject_id), tenantId: row.tenant_id === null ? null : Number(row.tenant_id) };
      const { role } = await recheck(subject);
      return deps.knex.transaction(async (trx) => {
        // Only one concurrent rotation wins; a loser counts as reuse on its next try.
        const won = await table(trx).where({ id: row.id }).whereNull('replaced_at').whereNull('revoked_at').update({ replaced_at: now() });
        if (won !== 1) throw new UnauthenticatedError('TOKEN_INVALID', { reason: 'REFRESH_TOKEN_REUSED', message: 'This refresh token was already used; sign in again' });
        return issue(ctx, { audience, ...subject, role }, row.family_id, trx);
      });
    },

    /** Signs out: revokes the token's whole family. Unknown tokens are ignored (logout is idempotent). */
    async revoke(_ctx: RequestContext, audience: Audience, token: string, tenantId?: number): Promise<void> {
      const row = (await table().where({ token_hash: hashRefreshToken(token) }).first()) as RefreshRow | undefined;
      if (!row || row.audience !== audience || (tenantId !== undefined && Number(row.tenant_id) !== tenantId)) return;
      await revokeFamily(row.family_id);
    },

    /** Revokes every session of a subject (password change, staff removal). */
    async revokeAllFor(audience: Audience, subjectId: number): Promise<void> {
      const families = (await table().distinct('family_id').where({ audience, subject_id: subjectId }).whereNull('revoked_at')) as Array<{ family_id: string }>;
      for (const f of families) await revokeFamily(f.family_id);
    },

    async isRevoked(sid: string): Promise<boolean> {
      return (await deps.redis.exists(revokedKey(sid))) === 1;
    },

    /** Deletes refresh tokens that expired, or were revoked or rotated, before `before`. Idempotent. */
    async purgeExpired(before: Date): Promise<number> {
      let total = 0;
      for (;;) {
        const ids = (await table()
          .select('id')
          .where('expires_at', '<', before)
          .orWhere('revoked_at', '<', before)
          .orWhere('replaced_at', '<', before)
          .limit(1000)) as Array<{ id: number }>;
        if (ids.length === 0) return total;
        total += await table().whereIn('id', ids.map((r) => r.id)).delete();
      }
    },
  };
}

export type SessionsService = ReturnType<typeof sessionsService>;
