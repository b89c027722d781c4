import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';
import { parseJsonColumn } from '../../kernel/db/rows';

/** A shop's authorization as stored: its refresh token stays sealed (the service opens it). */
export interface StoredAuthorization {
  authorizerAppid: string;
  refreshTokenSealed: string;
  funcInfo: number[];
  authorizedAt: Date;
}

interface AuthorizationRow {
  tenant_id: number;
  authorizer_appid: string;
  refresh_token: string;
  func_info: unknown;
  authorized_at: Date;
}

const toAuthorization = (r: AuthorizationRow): StoredAuthorization => ({
  authorizerAppid: String(r.authorizer_appid),
  refreshTokenSealed: String(r.refresh_token),
  funcInfo: (parseJsonColumn(r.func_info) as number[] | null) ?? [],
  authorizedAt: r.authorized_at,
});

/** `wechat_authorizations`: each shop's mini-program authorized to the platform (one per shop). */
export function authorizationsRepository(db: Database) {
  const table = (ctx: TenantContext) => db.scope(ctx).table('wechat_authorizations');
  return {
    async get(ctx: TenantContext): Promise<StoredAuthorization | null> {
      const r = (await table(ctx).first()) as AuthorizationRow | undefined;
      return r ? toAuthorization(r) : null;
    },

    async remove(ctx: TenantContext): Promise<void> {
      await table(ctx).delete();
    },

    async save(
      ctx: TenantContext,
      a: { authorizerAppid: string; refreshTokenSealed: string; funcInfo: number[] },
    ): Promise<void> {
      const at = new Date();
      await db.scope(ctx).upsert(
        'wechat_authorizations',
        {
          authorizer_appid: a.authorizerAppid,
          refresh_token: a.refreshTokenSealed,
          func_info: JSON.stringify(a.funcInfo),
          authorized_at: at,
          updated_at: at,
        },
        ['authorizer_appid', 'refresh_token', 'func_info', 'authorized_at', 'updated_at'],
      );
    },

    async setRefreshToken(ctx: TenantContext, sealed: string): Promise<void> {
      await table(ctx).update({ refresh_token: sealed, updated_at: new Date() });
    },

    /**
     * The shops that authorized the platform most recently, across tenants, with the permission sets they
     * granted: a platform figure (the audit quota is the platform's, asked with one shop's token).
     */
    async newestAcrossShops(limit: number): Promise<Array<{ tenantId: number; funcInfo: number[] }>> {
      const rows = (await db
        .knex('wechat_authorizations')
        .orderBy('authorized_at', 'desc')
        .limit(limit)
        .select('tenant_id', 'func_info')) as AuthorizationRow[];
      return rows.map((r) => ({
        tenantId: Number(r.tenant_id),
        funcInfo: (parseJsonColumn(r.func_info) as number[] | null) ?? [],
      }));
    },
  };
}

export type AuthorizationsRepository = ReturnType<typeof authorizationsRepository>;
