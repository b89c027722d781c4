import { createHash } from 'node:crypto';
import type { TenantContext } from '../../../kernel/context';
import { shopperIdOf } from '../../../kernel/context';

/**
 * The name of a shopper's reservation in a campaign (`campaign`: a flash item, a group campaign), after the request's
 * Idempotency-Key: two copies of one request hold one reservation and make one order. 22 characters of a SHA-256.
 */
export function reservationOf(ctx: TenantContext, campaign: string, key: string): string {
  return createHash('sha256')
    .update(`${ctx.tenantId}:${campaign}:${shopperIdOf(ctx)}:${key}`)
    .digest('base64url')
    .slice(0, 22);
}
