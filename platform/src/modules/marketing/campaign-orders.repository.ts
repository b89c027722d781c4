import type { CampaignFigures } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { Database } from '../../kernel/db/database';

/** What kind of campaign gave an order a discount: a coupon (by its template), or a promotion. */
export type CampaignKind = 'coupon' | 'full_reduction' | 'timed_discount';

/** One order's discount from one campaign, as placed. */
export interface CampaignOrder {
  orderId: number;
  kind: CampaignKind;
  campaignId: number;
  discountFen: number;
  orderTotalFen: number;
}

/** `campaign_orders`: what each campaign gave each order, and where the order stands (placed, paid, closed). */
export function campaignOrdersRepository(db: Database) {
  const rows = (ctx: TenantContext) => db.scope(ctx).table('campaign_orders');

  return {
    async insert(ctx: TenantContext, list: CampaignOrder[], at: Date): Promise<void> {
      if (list.length === 0) return;
      await db.scope(ctx).insert(
        'campaign_orders',
        list.map((c) => ({
          order_id: c.orderId,
          kind: c.kind,
          campaign_id: c.campaignId,
          discount_fen: c.discountFen,
          order_total_fen: c.orderTotalFen,
          created_at: at,
        })),
      );
    },

    /** Moves an order's rows to `to`, from any state but `to` (paid: placed → paid; closed: placed or paid → closed). */
    async setState(ctx: TenantContext, orderId: number, to: 'paid' | 'closed'): Promise<void> {
      const q = rows(ctx).where({ order_id: orderId });
      if (to === 'paid') q.where({ state: 'placed' });
      else q.whereNot({ state: 'closed' });
      await q.update({ state: to });
    },

    /** Each campaign's figures: orders placed with it, those paid (not closed since), what they paid, the discount given. */
    async figures(ctx: TenantContext, kind: CampaignKind, ids: number[]): Promise<Map<number, CampaignFigures>> {
      if (ids.length === 0) return new Map();
      const found = (await rows(ctx)
        .where({ kind })
        .whereIn('campaign_id', ids)
        .groupBy('campaign_id')
        .select('campaign_id')
        .count({ orders: '*' })
        .select(
          db.knex.raw(`SUM(state = 'paid') AS paid_orders`),
          db.knex.raw(`COALESCE(SUM(CASE WHEN state = 'paid' THEN order_total_fen END), 0) AS paid_fen`),
          db.knex.raw(`COALESCE(SUM(CASE WHEN state = 'paid' THEN discount_fen END), 0) AS discount_fen`),
        )) as Array<{
        campaign_id: number;
        orders: number | string;
        paid_orders: number | string | null;
        paid_fen: number | string;
        discount_fen: number | string;
      }>;
      return new Map(
        found.map((r) => [
          Number(r.campaign_id),
          {
            orders: Number(r.orders),
            paidOrders: Number(r.paid_orders ?? 0),
            paidFen: Number(r.paid_fen),
            discountFen: Number(r.discount_fen),
          },
        ]),
      );
    },
  };
}

export type CampaignOrdersRepository = ReturnType<typeof campaignOrdersRepository>;

export const NO_FIGURES: CampaignFigures = { orders: 0, paidOrders: 0, paidFen: 0, discountFen: 0 };
