import type { Audience } from '@shopfleet/contracts';
import type { RequestContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { platformTable } from '../../kernel/db/platform-db';

/** A refresh token as stored: only its hash, the family (session) it belongs to, and its fate. */
export interface RefreshToken {
  id: number;
  familyId: string;
  audience: Audience;
  subjectId: number;
  tenantId: number | null;
  expiresAt: Date;
  revokedAt: Date | null;
  replacedAt: Date | null;
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

const toToken = (r: RefreshRow): RefreshToken => ({
  id: Number(r.id),
  familyId: r.family_id,
  audience: r.audience,
  subjectId: Number(r.subject_id),
  tenantId: r.tenant_id === null ? null : Number(r.tenant_id),
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  replacedAt: r.replaced_at,
});

/** `refresh_tokens`, a platform table: the sessions of all three audiences, found by token hash. */
export function sessionsRepository(db: Database) {
  const table = (ctx?: RequestContext) => platformTable(ctx ? db.conn(ctx) : db.knex, 'refresh_tokens');
  return {
    async byHash(hash: string): Promise<RefreshToken | null> {
      const r = (await table().where({ token_hash: hash }).first()) as RefreshRow | undefined;
      return r ? toToken(r) : null;
    },

    async insert(
      ctx: RequestContext,
      t: {
        hash: string;
        familyId: string;
        audience: Audience;
        subjectId: number;
        tenantId: number | null;
        expiresAt: Date;
      },
    ): Promise<void> {
      await table(ctx).insert({
        token_hash: t.hash,
        family_id: t.familyId,
        audience: t.audience,
        subject_id: t.subjectId,
        tenant_id: t.tenantId,
        expires_at: t.expiresAt,
        ip: ctx.ip?.slice(0, 45) ?? null,
      });
    },

    /** Marks a token used by its rotation, if it is still neither used nor revoked: false for the loser of a race. */
    async markReplaced(ctx: RequestContext, id: number, at: Date): Promise<boolean> {
      return (
        (await table(ctx)
          .where({ id })
          .whereNull('replaced_at')
          .whereNull('revoked_at')
          .update({ replaced_at: at })) === 1
      );
    },

    async revokeFamily(familyId: string, at: Date): Promise<void> {
      await table().where({ family_id: familyId }).whereNull('revoked_at').update({ revoked_at: at });
    },

    /** The sessions (families) of a subject not yet revoked. */
    async openFamilies(audience: Audience, subjectId: number): Promise<string[]> {
      const rows = (await table()
        .distinct('family_id')
        .where({ audience, subject_id: subjectId })
        .whereNull('revoked_at')) as Array<{ family_id: string }>;
      return rows.map((r) => r.family_id);
    },

    /** Deletes up to `limit` tokens that expired, or were revoked or rotated, before `before`; returns how many. */
    async purgeBatch(before: Date, limit: number): Promise<number> {
      const ids = (await table()
        .select('id')
        .where('expires_at', '<', before)
        .orWhere('revoked_at', '<', before)
        .orWhere('replaced_at', '<', before)
        .limit(limit)) as Array<{ id: number }>;
      if (ids.length === 0) return 0;
      return table()
        .whereIn(
          'id',
          ids.map((r) => r.id),
        )
        .delete();
    },
  };
}

export type SessionsRepository = ReturnType<typeof sessionsRepository>;
