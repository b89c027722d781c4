import {
  GROUP_LIMITS,
  MAINTENANCE_JOBS,
  QUEUES,
  type CouponDisplayStatus,
  type Group,
  type GroupCampaign,
  type GroupCampaignInput,
  type GroupStatus,
  type Page,
  type ShopGroupBuy,
} from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { shopperIdOf } from '../../kernel/context';
import type { Transactions } from '../../kernel/db/database';
import { retryOnDeadlock } from '../../kernel/db/retry';
import { AppError, ConflictError, NotFoundError } from '../../kernel/errors';
import type { Queues } from '../../kernel/queue';
import type { AuditService } from '../audit';
import type { CatalogService, ImagesService } from '../catalog';
import type { ActivityOffers, PricingSlot } from '../orders';
import type { ShoppersService } from '../shoppers';
import type { GroupBuysRepository, GroupMember, StoredGroup, StoredGroupCampaign } from './group-buys.repository';
import { periodStatus } from './coupons.service';
import { atGroupEnd, groupMachine } from './group-states';

/** What marketing asks of orders when a group forms: its members' orders may ship. */
export interface GroupOrders {
  groupFormed(tctx: TenantContext, orderIds: number[]): Promise<void>;
}

export interface GroupBuysDeps {
  repo: GroupBuysRepository;
  tx: Transactions;
  catalog: Pick<CatalogService, 'skuFacts' | 'productPlaces'>;
  images: Pick<ImagesService, 'byIds'>;
  shoppers: Pick<ShoppersService, 'profiles'>;
  orders: GroupOrders;
  queues: Queues;
  audit: AuditService;
  now?: () => Date;
}

/** What a group's end decided: formed (perhaps with virtual members), or failed; and the orders to close now. */
export interface GroupEnd {
  outcome: 'succeeded' | 'failed' | 'nothing';
  /** Orders of the group to cancel: unpaid ones (their seat is gone), and, if it failed, paid ones (refunded). */
  close: number[];
}

const displayStatusOf = (c: Pick<StoredGroupCampaign, 'status' | 'startsAt' | 'endsAt'>, at: Date) =>
  periodStatus(c.status, c.startsAt, c.endsAt, at);

const refused = (reason: 'GROUP_FULL' | 'GROUP_CLOSED' | 'GROUP_ALREADY_JOINED' | 'GROUP_CAMPAIGN_NOT_RUNNING') => ({
  refused: new ConflictError({ reason, message: reason.toLowerCase().replace(/_/g, ' ') }),
});

/**
 * 拼团: campaigns per product at a group price; groups started by a leader (open once the leader pays, for the
 * campaign's duration) and joined by others; a seat held by the order that takes it, under a guarded update so the last
 * seat goes to one shopper; success when the seats are paid for in time (the orders then ship), failure otherwise (every
 * member's order closed, the paid ones refunded — by the workflow that ends a group) or a virtual fill if allowed.
 */
export function groupBuysService(deps: GroupBuysDeps) {
  const now = deps.now ?? (() => new Date());
  const { repo } = deps;

  async function mustCampaign(ctx: TenantContext, id: number) {
    const c = await repo.campaign(ctx, id);
    if (!c) throw new NotFoundError('GROUP_CAMPAIGN_NOT_FOUND');
    return c;
  }

  async function productViews(ctx: TenantContext, campaignsOrGroups: Array<{ productId: number }>) {
    const productIds = [...new Set(campaignsOrGroups.map((c) => c.productId))];
    const places = await deps.catalog.productPlaces(ctx, productIds);
    const skuIds = [...places.values()].flatMap((p) => p.skus.map((s) => s.skuId));
    const facts = await deps.catalog.skuFacts(ctx, skuIds);
    const images = await deps.images.byIds(
      ctx,
      [...facts.values()].flatMap((f) => (f.imageId ? [f.imageId] : [])),
    );
    const byProduct = new Map<number, { title: string; imageUrl: string | null }>();
    for (const f of facts.values())
      if (!byProduct.has(f.productId))
        byProduct.set(f.productId, {
          title: f.title,
          imageUrl: f.imageId ? (images.get(f.imageId)?.thumb.jpeg ?? null) : null,
        });
    return { product: byProduct, facts };
  }

  async function campaignViews(ctx: TenantContext, list: StoredGroupCampaign[]): Promise<GroupCampaign[]> {
    const [{ product, facts }, figures] = await Promise.all([
      productViews(ctx, list),
      repo.figures(
        ctx,
        list.map((c) => c.id),
      ),
    ]);
    const at = now();
    return list.map((c) => {
      const f = figures.get(c.id) ?? {};
      return {
        id: c.id,
        name: c.name,
        productId: c.productId,
        productTitle: product.get(c.productId)?.title ?? '',
        imageUrl: product.get(c.productId)?.imageUrl ?? null,
        startsAt: c.startsAt.toISOString(),
        endsAt: c.endsAt.toISOString(),
        status: c.status,
        displayStatus: displayStatusOf(c, at),
        groupSize: c.groupSize,
        durationMinutes: c.durationMinutes,
        perShopperLimit: c.perShopperLimit,
        virtualFill: c.virtualFill,
        leaderDiscountFen: c.leaderDiscountFen,
        items: c.items.map((i) => ({
          skuId: i.skuId,
          specValues: facts.get(i.skuId)?.specValues ?? [],
          priceFen: facts.get(i.skuId)?.priceFen ?? 0,
          groupPriceFen: i.groupPriceFen,
        })),
        figures: {
          groups: f.groups ?? 0,
          succeeded: f.succeeded ?? 0,
          failed: f.failed ?? 0,
          forming: f.forming ?? 0,
          paidOrders: f.paidOrders ?? 0,
          paidFen: f.paidFen ?? 0,
        },
        createdAt: c.createdAt.toISOString(),
      };
    });
  }

  async function groupViews(ctx: TenantContext, list: StoredGroup[], viewer: number | null): Promise<Group[]> {
    if (list.length === 0) return [];
    const members = await repo.membersOf(
      ctx,
      list.map((g) => g.id),
    );
    const campaigns = new Map<number, StoredGroupCampaign>();
    for (const id of new Set(list.map((g) => g.campaignId))) {
      const c = await repo.campaign(ctx, id);
      if (c) campaigns.set(id, c);
    }
    const { product, facts } = await productViews(ctx, list);
    const profiles = await deps.shoppers.profiles(ctx, [
      ...new Set(members.flatMap((m) => (m.shopperId !== null ? [m.shopperId] : []))),
    ]);
    const at = now();
    return list.map((g) => {
      const own = members.filter((m) => m.groupId === g.id);
      const shown = own.filter((m) => m.state === 'paid' || m.state === 'virtual');
      const c = campaigns.get(g.campaignId);
      const prices = (c?.items ?? []).map((i) => ({
        group: i.groupPriceFen,
        price: facts.get(i.skuId)?.priceFen ?? 0,
      }));
      const cheapest = prices.sort((a, b) => a.group - b.group)[0] ?? { group: 0, price: 0 };
      const mine = viewer !== null && own.some((m) => m.shopperId === viewer && m.state !== 'released');
      const open = g.status === 'forming' && g.expiresAt !== null && g.expiresAt > at && g.seats < g.size;
      return {
        id: g.id,
        campaignId: g.campaignId,
        productId: g.productId,
        productTitle: product.get(g.productId)?.title ?? '',
        imageUrl: product.get(g.productId)?.imageUrl ?? null,
        status: g.status,
        size: g.size,
        joined: g.paid + g.virtualMembers,
        pending: Math.max(0, g.seats - g.paid),
        members: shown.map((m) => ({
          nickname: m.shopperId !== null ? (profiles.get(m.shopperId)?.nickname ?? '') : '',
          avatarUrl: m.shopperId !== null ? (profiles.get(m.shopperId)?.avatarUrl ?? null) : null,
          leader: m.leader,
          virtual: m.state === 'virtual',
        })),
        expiresAt: g.expiresAt ? g.expiresAt.toISOString() : null,
        groupPriceFen: cheapest.group,
        priceFen: cheapest.price,
        mine,
        canJoin: open && !mine && c !== undefined && displayStatusOf(c, at) === 'running',
        campaignName: c?.name ?? '',
        myOrderId:
          own.find((m) => viewer !== null && m.shopperId === viewer && m.state !== 'released')?.orderId ?? null,
        now: at.toISOString(),
      };
    });
  }

  /** The group's end job, at its expiry (one per group; an early run does nothing). */
  async function scheduleExpiry(ctx: TenantContext, groupId: number, expiresAt: Date) {
    await deps.queues
      .get(QUEUES.maintenance)
      .add(
        MAINTENANCE_JOBS.groupEnd,
        { tenantId: ctx.tenantId, groupId },
        {
          jobId: `group-end-${ctx.tenantId}-${groupId}`,
          delay: Math.max(0, expiresAt.getTime() - now().getTime()),
          removeOnComplete: true,
        },
      )
      .catch((err: unknown) =>
        ctx.log.warn({ err, groupId }, 'could not schedule a group’s end; the sweep every minute will end it'),
      );
  }

  /** Its members' orders may ship: the group has formed. */
  async function formed(tctx: TenantContext, group: StoredGroup, members: GroupMember[], at: Date) {
    await repo.changeGroup(tctx, group.id, { status: groupMachine.next(group.status, 'form')!, closedAt: at });
    await deps.orders.groupFormed(
      tctx,
      members.flatMap((m) => (m.state === 'paid' && m.orderId !== null ? [m.orderId] : [])),
    );
  }

  const get = async (ctx: TenantContext, id: number): Promise<GroupCampaign> =>
    (await campaignViews(ctx, [await mustCampaign(ctx, id)]))[0]!;

  return {
    /**
     * A merge (in its transaction): the groups `fromId` leads, their seats and their units per campaign become
     * `toId`'s, so the per-shopper limit counts both.
     */
    absorbShopper: (tctx: TenantContext, fromId: number, toId: number): Promise<void> =>
      repo.reassignShopper(tctx, fromId, toId),

    // ---- merchant ---------------------------------------------------------------------------------------------------

    /** A campaign for one product: its SKUs', each group price below the SKU's (less the leader's discount, above 0). */
    async create(ctx: TenantContext, input: GroupCampaignInput): Promise<GroupCampaign> {
      const at = now();
      const place = (await deps.catalog.productPlaces(ctx, [input.productId])).get(input.productId);
      if (!place) throw new NotFoundError('PRODUCT_NOT_FOUND');
      const priceOf = new Map(place.skus.map((s) => [s.skuId, s.priceFen]));
      for (const i of input.items) {
        const price = priceOf.get(i.skuId);
        if (price === undefined)
          throw new ConflictError({
            reason: 'GROUP_SKU_NOT_IN_CAMPAIGN',
            params: { skuId: i.skuId },
            message: `SKU ${i.skuId} is not one of the product's`,
          });
        if (i.groupPriceFen >= price)
          throw new ConflictError({
            reason: 'GROUP_PRICE_NOT_BELOW',
            params: { skuId: i.skuId },
            message: `the group price of SKU ${i.skuId} must be below its price`,
          });
        if (i.groupPriceFen - input.leaderDiscountFen < 1)
          throw new ConflictError({
            reason: 'GROUP_PRICE_NOT_ABOVE_LEADER_DISCOUNT',
            params: { skuId: i.skuId },
            message: `the group price of SKU ${i.skuId} must be above the leader's discount`,
          });
      }
      const startsAt = new Date(input.startsAt);
      const endsAt = new Date(input.endsAt);
      const id = await retryOnDeadlock(() =>
        deps.tx.transaction(ctx, async (tctx) => {
          if ((await repo.overlappingLocked(tctx, input.productId, startsAt, endsAt)).length)
            throw new ConflictError({
              reason: 'GROUP_PRODUCT_BUSY',
              params: { productId: input.productId },
              message: 'The product is in another group buy then',
            });
          const created = await repo.insertCampaign(
            tctx,
            {
              name: input.name,
              productId: input.productId,
              startsAt,
              endsAt,
              groupSize: input.groupSize,
              durationMinutes: input.durationMinutes,
              perShopperLimit: input.perShopperLimit,
              virtualFill: input.virtualFill,
              leaderDiscountFen: input.leaderDiscountFen,
              items: input.items,
            },
            at,
          );
          await deps.audit.record(tctx, {
            action: 'group_campaign.create',
            targetType: 'group_campaign',
            targetId: created,
            data: { name: input.name, productId: input.productId, groupSize: input.groupSize },
          });
          return created;
        }),
      );
      return (await campaignViews(ctx, [await mustCampaign(ctx, id)]))[0]!;
    },

    async list(
      ctx: TenantContext,
      q: { status?: CouponDisplayStatus; page: number; pageSize: number },
    ): Promise<Page<GroupCampaign>> {
      const { rows, total } = await repo.listCampaigns(ctx, { when: q.status, at: now(), ...q });
      return { items: await campaignViews(ctx, rows), page: q.page, pageSize: q.pageSize, total };
    },

    get,

    async update(ctx: TenantContext, id: number, body: { name?: string; endsAt?: string }): Promise<GroupCampaign> {
      const at = now();
      await retryOnDeadlock(() =>
        deps.tx.transaction(ctx, async (tctx) => {
          const c = await mustCampaign(tctx, id);
          const endsAt = body.endsAt ? new Date(body.endsAt) : undefined;
          if (endsAt) {
            if (endsAt <= c.startsAt)
              throw new AppError(
                'VALIDATION_FAILED',
                { reason: 'GROUP_PERIOD_INVALID', message: 'the campaign ends after it starts' },
                400,
              );
            if ((await repo.overlappingLocked(tctx, c.productId, c.startsAt, endsAt, id)).length)
              throw new ConflictError({
                reason: 'GROUP_PRODUCT_BUSY',
                params: { productId: c.productId },
                message: 'The product is in another group buy then',
              });
          }
          await repo.updateCampaign(tctx, id, { name: body.name, endsAt }, at);
          await deps.audit.record(tctx, {
            action: 'group_campaign.update',
            targetType: 'group_campaign',
            targetId: id,
            data: body,
          });
        }),
      );
      return get(ctx, id);
    },

    async stop(ctx: TenantContext, id: number): Promise<GroupCampaign> {
      await mustCampaign(ctx, id);
      await deps.tx.transaction(ctx, async (tctx) => {
        if (await repo.stopCampaign(tctx, id, now()))
          await deps.audit.record(tctx, { action: 'group_campaign.stop', targetType: 'group_campaign', targetId: id });
      });
      return get(ctx, id);
    },

    async groups(
      ctx: TenantContext,
      q: { status?: GroupStatus; campaignId?: number; page: number; pageSize: number },
    ): Promise<Page<Group>> {
      const { rows, total } = await repo.listGroups(ctx, q);
      return { items: await groupViews(ctx, rows, null), page: q.page, pageSize: q.pageSize, total };
    },

    // ---- shop -------------------------------------------------------------------------------------------------------

    /** A product's running campaign, and its open groups to join, fewest seats left first. */
    async forProduct(ctx: TenantContext, productId: number): Promise<ShopGroupBuy> {
      const at = now();
      const c = await repo.runningOf(ctx, productId, at);
      if (!c) return { campaign: null, openGroups: [], now: at.toISOString() };
      const [view] = await campaignViews(ctx, [c]);
      const open = await repo.openGroups(ctx, c.id, at, GROUP_LIMITS.openShown);
      return {
        campaign: {
          id: c.id,
          name: c.name,
          groupSize: c.groupSize,
          durationMinutes: c.durationMinutes,
          perShopperLimit: c.perShopperLimit,
          leaderDiscountFen: c.leaderDiscountFen,
          endsAt: c.endsAt.toISOString(),
          items: view!.items,
        },
        openGroups: await groupViews(ctx, open, null),
        now: at.toISOString(),
      };
    },

    async group(ctx: TenantContext, id: number): Promise<Group> {
      const g = await repo.group(ctx, id);
      if (!g || g.status === 'pending' || g.status === 'cancelled') {
        // A group not yet opened is its leader's alone.
        if (!g || g.leaderShopperId !== shopperIdOf(ctx)) throw new NotFoundError('GROUP_NOT_FOUND');
      }
      return (await groupViews(ctx, [g], shopperIdOf(ctx)))[0]!;
    },

    async mine(ctx: TenantContext, q: { page: number; pageSize: number }): Promise<Page<Group>> {
      const shopperId = shopperIdOf(ctx);
      const { rows, total } = await repo.listGroups(ctx, { ...q, shopperId });
      return { items: await groupViews(ctx, rows, shopperId), page: q.page, pageSize: q.pageSize, total };
    },

    // ---- checkout ---------------------------------------------------------------------------------------------------

    /** Group orders priced at the group price; the leader's less the leader's discount (once per order). */
    pricing: (async (ctx, batch) => {
      const ids = [...new Set(batch.inputs.flatMap((i) => (i.activity?.kind === 'group_buy' ? [i.activity.id] : [])))];
      const campaigns = new Map<number, StoredGroupCampaign>();
      for (const id of ids) {
        const c = await repo.campaign(ctx, id);
        if (c) campaigns.set(id, c);
      }
      return {
        calculators: [
          {
            stage: 'activity',
            name: 'group-buy',
            price(draft) {
              const a = draft.input.activity;
              if (a?.kind !== 'group_buy') return;
              const c = campaigns.get(a.id);
              if (!c) throw new NotFoundError('GROUP_CAMPAIGN_NOT_FOUND');
              for (const [i, line] of draft.lines.entries()) {
                const item = c.items.find((x) => x.skuId === line.skuId);
                if (!item)
                  throw new ConflictError({
                    reason: 'GROUP_SKU_NOT_IN_CAMPAIGN',
                    params: { skuId: line.skuId },
                    message: `SKU ${line.skuId} is not in this group buy`,
                  });
                const off = Math.max(0, line.unitPriceFen - item.groupPriceFen) * line.quantity;
                if (off > 0)
                  draft.discount({
                    source: 'group_buy',
                    sourceId: c.id,
                    amountFen: off,
                    appliesTo: (_l, j) => j === i,
                  });
              }
              if (a.leader && c.leaderDiscountFen > 0)
                draft.discount({ source: 'group_buy', sourceId: c.id, amountFen: c.leaderDiscountFen });
            },
          },
        ],
        nameOf: (d) => (d.source === 'group_buy' && d.sourceId !== null ? campaigns.get(d.sourceId)?.name : undefined),
      };
    }) satisfies PricingSlot,

    /**
     * In the placement transaction: the campaign runs; the shopper's units stay under the limit; a new group is started
     * (its leader's seat), or a seat of an open group is taken — a guarded update, so a group never has more seats taken
     * than its size — and the shopper holds at most one live seat in it.
     */
    placement: {
      async take(tctx, order, at) {
        const { activity, shopperId, quantity } = order;
        const c = await repo.campaign(tctx, activity.id);
        if (!c || displayStatusOf(c, at) !== 'running') return refused('GROUP_CAMPAIGN_NOT_RUNNING');
        let groupId = activity.groupId ?? null;
        if (groupId === null)
          groupId = await repo.insertGroup(
            tctx,
            { campaignId: c.id, productId: c.productId, leaderShopperId: shopperId, size: c.groupSize },
            at,
          );
        else if (!(await repo.takeSeat(tctx, groupId, at))) {
          const g = await repo.group(tctx, groupId);
          if (!g || g.campaignId !== c.id) return { refused: new NotFoundError('GROUP_NOT_FOUND') };
          return refused(
            g.status === 'forming' && g.expiresAt !== null && g.expiresAt > at ? 'GROUP_FULL' : 'GROUP_CLOSED',
          );
        }
        const leader = activity.groupId == null;
        const undoSeat = () =>
          leader ? repo.changeGroup(tctx, groupId!, { status: 'cancelled' }) : repo.freeSeat(tctx, groupId!, false);
        if (
          !(await repo.insertMember(
            tctx,
            { groupId, campaignId: c.id, shopperId, leader, quantity, reservation: activity.reservation },
            at,
          ))
        ) {
          await undoSeat();
          return refused('GROUP_ALREADY_JOINED');
        }
        if (!(await repo.addBought(tctx, c.id, shopperId, quantity, c.perShopperLimit))) {
          await undoSeat();
          const m = await repo.membersOf(tctx, [groupId]);
          const mine = m.find((x) => x.shopperId === shopperId && x.state === 'reserved' && x.orderId === null);
          if (mine) await repo.setMemberState(tctx, mine.id, 'released');
          return {
            refused: new ConflictError({
              reason: 'GROUP_LIMIT_REACHED',
              params: { limit: c.perShopperLimit },
              message: `At most ${c.perShopperLimit} per shopper`,
            }),
          };
        }
        return { id: groupId, waiting: true };
      },
      async record(tctx, placed) {
        await repo.setMemberOrders(
          tctx,
          placed.map((p) => ({ reservation: p.activity.reservation, orderId: p.orderId, totalFen: p.totalFen })),
        );
      },
    } satisfies ActivityOffers,

    /**
     * A group order paid: its seat is paid. The leader's payment opens the group for the campaign's duration; the last
     * seat paid forms it, and its orders may ship.
     */
    async orderPaid(tctx: TenantContext, orderId: number): Promise<void> {
      const m = await repo.memberOfOrder(tctx, orderId, { lock: true });
      if (!m || m.state !== 'reserved') return;
      const g = (await repo.group(tctx, m.groupId, { lock: true }))!;
      await repo.setMemberState(tctx, m.id, 'paid');
      const at = now();
      if (m.leader && groupMachine.can(g.status, 'open')) {
        const c = (await repo.campaign(tctx, g.campaignId))!;
        const expiresAt = new Date(at.getTime() + c.durationMinutes * 60_000);
        await repo.changeGroup(tctx, g.id, { status: groupMachine.next(g.status, 'open')!, expiresAt, paidDelta: 1 });
        await deps.tx.afterCommit(tctx, (outside) => scheduleExpiry(outside, g.id, expiresAt));
        return;
      }
      await repo.changeGroup(tctx, g.id, { paidDelta: 1 });
      if (g.status === 'forming' && g.paid + 1 + g.virtualMembers >= g.size) {
        const members = await repo.membersOf(tctx, [g.id]);
        await formed(
          tctx,
          g,
          members.map((x) => (x.id === m.id ? { ...x, state: 'paid' } : x)),
          at,
        );
      }
    },

    /**
     * A group order closed. Unpaid: its seat is freed (a leader's group not yet open is cancelled). Paid (refunded, or
     * cancelled because the group failed): its seat is freed while the group is still forming. Group orders take their
     * goods from the SKU, so they go back there: false.
     */
    async orderClosed(tctx: TenantContext, orderId: number): Promise<boolean> {
      const m = await repo.memberOfOrder(tctx, orderId, { lock: true });
      if (!m || (m.state !== 'reserved' && m.state !== 'paid')) return false;
      const g = (await repo.group(tctx, m.groupId, { lock: true }))!;
      const paid = m.state === 'paid';
      await repo.setMemberState(tctx, m.id, paid ? 'refunded' : 'released');
      if (m.shopperId !== null) await repo.subtractBought(tctx, m.campaignId, m.shopperId, m.quantity);
      if (m.leader && groupMachine.can(g.status, 'cancel'))
        await repo.changeGroup(tctx, g.id, { status: groupMachine.next(g.status, 'cancel')! });
      else if (g.status === 'forming') await repo.freeSeat(tctx, g.id, paid);
      return false;
    },

    /**
     * A group's time is up (its job, or the sweep): with the seats still short, it fails — or, if the merchant allowed
     * it and its leader paid, it is filled with virtual members and formed. Either way the seats held by unpaid orders
     * are gone. Returns the orders to close: the unpaid ones, and every paid one of a failed group (to refund). A group
     * that failed before and still has members to settle (a crash midway) is returned again.
     */
    async end(ctx: TenantContext, groupId: number): Promise<GroupEnd> {
      const at = now();
      return retryOnDeadlock(() =>
        deps.tx.transaction(ctx, async (tctx): Promise<GroupEnd> => {
          const g = await repo.group(tctx, groupId, { lock: true });
          if (!g) return { outcome: 'nothing', close: [] };
          const members = await repo.membersOf(tctx, [g.id]);
          const live = (state: GroupMember['state']) =>
            members.flatMap((m) => (m.state === state && m.orderId !== null ? [m.orderId] : []));
          if (g.status === 'failed') return { outcome: 'failed', close: [...live('reserved'), ...live('paid')] };
          const c = (await repo.campaign(tctx, g.campaignId))!;
          const step = atGroupEnd(g, c.virtualFill, at);
          if (!step) return { outcome: 'nothing', close: [] };
          if (step === 'form') {
            const virtual = g.size - g.paid;
            await repo.insertVirtual(tctx, g.id, g.campaignId, virtual, at);
            await repo.changeGroup(tctx, g.id, { virtual });
            await formed(tctx, g, members, at);
            return { outcome: 'succeeded', close: live('reserved') };
          }
          await repo.changeGroup(tctx, g.id, { status: groupMachine.next(g.status, 'fail')!, closedAt: at });
          return { outcome: 'failed', close: [...live('reserved'), ...live('paid')] };
        }),
      );
    },

    /** Groups to end now in one shop: open ones whose time is up, and failed ones with members to settle. */
    async due(ctx: TenantContext): Promise<number[]> {
      return repo.due(ctx, now());
    },
  };
}

export type GroupBuysService = ReturnType<typeof groupBuysService>;
