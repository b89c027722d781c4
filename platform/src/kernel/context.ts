import type { MerchantPermission, MerchantRole, PlatformPermission, PlatformRole } from '@shopfleet/contracts';
import type { Log } from './logger';
import { ForbiddenError } from './errors';

export type Actor =
  | { type: 'anonymous' }
  | { type: 'platform'; userId: number; role: PlatformRole; permissions: readonly PlatformPermission[] }
  | {
      type: 'merchant';
      userId: number;
      tenantId: number;
      role: MerchantRole;
      permissions: readonly MerchantPermission[];
    }
  | { type: 'shopper'; shopperId: number; tenantId: number }
  | { type: 'system'; job: string };

/**
 * What every service method receives first. The tenant comes from credentials (or, for anonymous
 * shop-api reads, the shop in the path): never from request input.
 */
export interface RequestContext {
  requestId: string;
  tenantId: number | null;
  actor: Actor;
  log: Log;
  ip?: string;
}

/** A context that is bound to one tenant; the tenant-scoped data layer accepts only these. */
export interface TenantContext extends RequestContext {
  tenantId: number;
}

export function isTenantContext(ctx: RequestContext): ctx is TenantContext {
  return typeof ctx.tenantId === 'number';
}

/** A context for work that runs outside a request (jobs, CLI), serializable into a job payload. */
export function systemContext(log: Log, job: string, tenantId: number | null = null): RequestContext {
  return { requestId: `job:${job}`, tenantId, actor: { type: 'system', job }, log };
}

export function actorId(actor: Actor): number | null {
  switch (actor.type) {
    case 'platform':
    case 'merchant':
      return actor.userId;
    case 'shopper':
      return actor.shopperId;
    default:
      return null;
  }
}

/** The signed-in shopper of a shop-api context: a 403 `SHOPPER_ONLY` for anyone else. */
export function shopperIdOf(ctx: RequestContext): number {
  if (ctx.actor.type !== 'shopper')
    throw new ForbiddenError({ reason: 'SHOPPER_ONLY', message: 'Sign in as a shopper' });
  return ctx.actor.shopperId;
}
