import type { MerchantPermission, PendingWork } from '@shopfleet/contracts';
import type { TenantContext } from '../../../kernel/context';

/** The counts of work waiting, each from the module that owns it. */
export interface PendingWorkDeps {
  /** orders: paid orders not yet shipped. */
  toShip(ctx: TenantContext): Promise<number>;
  /** after-sales: cases waiting for the shop (to approve or refuse; goods sent back to receive; received goods to refund or replace). */
  afterSales(ctx: TenantContext): Promise<number>;
  /** reviews: shown reviews not answered. */
  reviewsToAnswer(ctx: TenantContext): Promise<number>;
  /** support: unread shopper messages of the signed-in agent's conversations. */
  unreadChats(ctx: TenantContext): Promise<number>;
}

/**
 * The merchant's work waiting, for the dashboard and the menus' badges: each count only for someone who may see that
 * list (null otherwise), read from the modules that own the work.
 */
export function pendingWorkWorkflow(deps: PendingWorkDeps) {
  return async function pendingWork(ctx: TenantContext): Promise<PendingWork> {
    const permissions: readonly MerchantPermission[] = ctx.actor.type === 'merchant' ? ctx.actor.permissions : [];
    const when = (permission: MerchantPermission, count: (ctx: TenantContext) => Promise<number>) =>
      permissions.includes(permission) ? count(ctx) : Promise.resolve(null);
    const [toShip, afterSales, reviewsToAnswer, unreadChats] = await Promise.all([
      when('order:order:read', deps.toShip),
      when('aftersale:case:read', deps.afterSales),
      when('review:review:manage', deps.reviewsToAnswer),
      when('support:conversation:manage', deps.unreadChats),
    ]);
    return { toShip, afterSales, reviewsToAnswer, unreadChats };
  };
}

export type PendingWorkWorkflow = ReturnType<typeof pendingWorkWorkflow>;
