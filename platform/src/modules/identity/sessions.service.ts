import type { Audience, TokenPair } from '@shopfleet/contracts';
import type { RequestContext } from '../../kernel/context';
import type { Transactions } from '../../kernel/db/database';
import { UnauthenticatedError } from '../../kernel/errors';
import { AccessTokens, hashRefreshToken, newRefreshToken, newSessionId } from '../../kernel/auth/tokens';
import type { Redis } from '../../kernel/redis';
import type { SessionsRepository } from './sessions.repository';

export interface SessionSubject {
  audience: Audience;
  subjectId: number;
  tenantId: number | null;
  role?: string;
}

export interface SessionsDeps {
  repo: SessionsRepository;
  tx: Transactions;
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

  async function issue(ctx: RequestContext, subject: SessionSubject, familyId: string): Promise<TokenPair> {
    const at = now();
    const refresh = newRefreshToken();
    const refreshExpiresAt = new Date(at.getTime() + deps.refreshTtlDays * 86_400_000);
    await deps.repo.insert(ctx, {
      hash: refresh.hash,
      familyId,
      audience: subject.audience,
      subjectId: subject.subjectId,
      tenantId: subject.tenantId,
      expiresAt: refreshExpiresAt,
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

  async function revokeFamily(familyId: string): Promise<void> {
    await deps.repo.revokeFamily(familyId, now());
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
      const row = await deps.repo.byHash(hashRefreshToken(token));
      if (!row || row.audience !== audience || (tenantId !== undefined && row.tenantId !== tenantId)) {
        throw new UnauthenticatedError('TOKEN_INVALID', 'Unknown refresh token');
      }
      if (row.revokedAt)
        throw new UnauthenticatedError('TOKEN_INVALID', {
          reason: 'SESSION_SIGNED_OUT',
          message: 'This session was signed out',
        });
      if (row.replacedAt) {
        await revokeFamily(row.familyId);
        ctx.log.warn({ familyId: row.familyId, audience }, 'refresh token reused: session revoked');
        throw new UnauthenticatedError('TOKEN_INVALID', {
          reason: 'REFRESH_TOKEN_REUSED',
          message: 'This refresh token was already used; sign in again',
        });
      }
      if (row.expiresAt.getTime() <= now().getTime())
        throw new UnauthenticatedError('TOKEN_EXPIRED', {
          reason: 'SESSION_EXPIRED',
          message: 'The session has expired; sign in again',
        });
      const subject = { subjectId: row.subjectId, tenantId: row.tenantId };
      const { role } = await recheck(subject);
      return deps.tx.transaction(ctx, async (tctx) => {
        // Only one concurrent rotation wins; a loser counts as reuse on its next try.
        if (!(await deps.repo.markReplaced(tctx, row.id, now())))
          throw new UnauthenticatedError('TOKEN_INVALID', {
            reason: 'REFRESH_TOKEN_REUSED',
            message: 'This refresh token was already used; sign in again',
          });
        return issue(tctx, { audience, ...subject, role }, row.familyId);
      });
    },

    /** Signs out: revokes the token's whole family. Unknown tokens are ignored (logout is idempotent). */
    async revoke(_ctx: RequestContext, audience: Audience, token: string, tenantId?: number): Promise<void> {
      const row = await deps.repo.byHash(hashRefreshToken(token));
      if (!row || row.audience !== audience || (tenantId !== undefined && row.tenantId !== tenantId)) return;
      await revokeFamily(row.familyId);
    },

    /** Revokes every session of a subject (password change, staff removal). */
    async revokeAllFor(audience: Audience, subjectId: number): Promise<void> {
      for (const familyId of await deps.repo.openFamilies(audience, subjectId)) await revokeFamily(familyId);
    },

    async isRevoked(sid: string): Promise<boolean> {
      return (await deps.redis.exists(revokedKey(sid))) === 1;
    },

    /** Deletes refresh tokens that expired, or were revoked or rotated, before `before`. Idempotent. */
    async purgeExpired(before: Date): Promise<number> {
      let total = 0;
      for (;;) {
        const deleted = await deps.repo.purgeBatch(before, 1000);
        if (deleted === 0) return total;
        total += deleted;
      }
    },
  };
}

export type SessionsService = ReturnType<typeof sessionsService>;
