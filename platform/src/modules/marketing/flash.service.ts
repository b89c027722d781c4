import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import {
  FLASH_LIMITS,
  flashPeriodProblem,
  type CouponDisplayStatus,
  type FlashItem,
  type FlashLive,
  type FlashPass,
  type FlashSession,
  type FlashSessionInput,
  type Page,
  type ShopFlashSales,
  type ShopFlashSession,
  type UpdateFlashSessionBody,
} from '@shopfleet/contracts';
import type { RequestContext, TenantContext } from '../../kernel/context';
import { shopperIdOf } from '../../kernel/context';
import type { Transactions } from '../../kernel/db/database';
import { retryOnDeadlock } from '../../kernel/db/retry';
import {
  AppError,
  ConflictError,
  NotFoundError,
  TooManyRequestsError,
  ValidationError,
  issue,
} from '../../kernel/errors';
import type { Queues } from '../../kernel/queue';
import type { AuditService } from '../audit';
import type { CatalogService, ImagesService, StockService } from '../catalog';
import type { TenantsService } from '../tenants';
import type { ActivityOffers, OrderActivity, PricingSlot } from '../orders';
import type { FlashGate, GateLimits, GateState } from './flash-gate';
import type { FlashItemFigures, FlashRepository, StoredFlashItem, StoredFlashSession } from './flash.repository';
import { periodStatus } from './coupons.service';
import { scheduleFlashEnd } from './marketing.jobs';
import { flashOrderMachine, onOrderClosed } from './flash-states';

export interface FlashDeps {
  repo: FlashRepository;
  gate: FlashGate;
  tx: Transactions;
  catalog: Pick<CatalogService, 'skuFacts'>;
  images: Pick<ImagesService, 'byIds'>;
  /** The SKUs' stock: set aside for a session at set-up, given back at its end. */
  stock: Pick<StockService, 'lock' | 'take' | 'giveBack'>;
  queues: Queues;
  audit: AuditService;
  tenants: Pick<TenantsService, 'forEachId'>;
  /** The secret passes are signed with (a key is derived from it). */
  passSecret: string;
  limits: GateLimits;
  now?: () => Date;
}

/** A reservation the gate made, on its way to becoming an order. */
export interface FlashReservation {
  activity: OrderActivity;
  skuId: number;
  /** Made now, or a retry of a request already holding it. */
  fresh: boolean;
}

/** How long a reservation not in MySQL is given before the reconciliation frees it (its placement has failed). */
const STALE_RESERVATION_MS = 60_000;

const displayStatusOf = (s: Pick<StoredFlashSession, 'status' | 'startsAt' | 'endsAt'>, at: Date) =>
  periodStatus(s.status, s.startsAt, s.endsAt, at);

const soldOut = () => new ConflictError({ reason: 'FLASH_SOLD_OUT', message: 'Sold out' });
const ended = () => new ConflictError({ reason: 'FLASH_ENDED', message: 'This flash sale is over' });
const notStarted = (ms: number) =>
  new ConflictError({
    reason: 'FLASH_NOT_STARTED',
    params: { seconds: Math.max(1, Math.ceil(ms / 1000)) },
    message: 'This flash sale has not started',
  });
const passInvalid = () =>
  new AppError('FORBIDDEN', { reason: 'FLASH_PASS_INVALID', message: 'Fetch a new pass for this flash sale' }, 403);

/**
 * 秒杀: sessions of SKUs at a flash price, each with stock set aside from its SKU at set-up and given back at its end;
 * the rush through a Redis gate (./flash-gate.ts), then MySQL (the authority); passes; the live view; the part flash
 * orders take in checkout (their price, their stock, the shopper's limit) and in an order's end.
 */
export function flashService(deps: FlashDeps) {
  const now = deps.now ?? (() => new Date());
  const { repo, gate } = deps;
  const passKey = Buffer.from(hkdfSync('sha256', deps.passSecret, 'shopfleet-flash', 'pass', 32));

  // ---- passes -------------------------------------------------------------------------------------------------------

  const sign = (tenantId: number, sessionId: number, shopperId: number, expMs: number) =>
    createHmac('sha256', passKey).update(`${tenantId}.${sessionId}.${shopperId}.${expMs}`).digest('base64url');

  /** The session a pass is for, if it is this shopper's, for this shop, and not expired. */
  function sessionOfPass(ctx: TenantContext, pass: string, at: Date): number | null {
    const [session, exp, sig] = pass.split('.');
    const sessionId = Number(session);
    const expMs = Number(exp);
    if (!Number.isSafeInteger(sessionId) || !Number.isSafeInteger(expMs) || !sig || at.getTime() >= expMs) return null;
    const want = Buffer.from(sign(ctx.tenantId, sessionId, shopperIdOf(ctx), expMs));
    const got = Buffer.from(sig);
    return got.length === want.length && timingSafeEqual(got, want) ? sessionId : null;
  }

  // ---- views --------------------------------------------------------------------------------------------------------

  async function skuViews(ctx: TenantContext, skuIds: number[]) {
    const facts = await deps.catalog.skuFacts(ctx, skuIds);
    const images = await deps.images.byIds(
      ctx,
      [...facts.values()].flatMap((f) => (f.imageId ? [f.imageId] : [])),
    );
    return new Map(
      [...facts].map(([id, f]) => [
        id,
        {
          title: f.title,
          specValues: f.specValues,
          imageUrl: f.imageId ? (images.get(f.imageId)?.thumb.jpeg ?? null) : null,
          priceFen: f.priceFen,
          productId: f.productId,
        },
      ]),
    );
  }

  async function views(ctx: TenantContext, list: StoredFlashSession[]): Promise<FlashSession[]> {
    const ids = list.map((s) => s.id);
    const [items, figures] = await Promise.all([repo.itemsOf(ctx, ids), repo.figures(ctx, ids)]);
    const skus = await skuViews(
      ctx,
      items.map((i) => i.skuId),
    );
    const figuresOf = new Map(figures.map((f) => [f.itemId, f]));
    const at = now();
    return Promise.all(
      list.map(async (s) => {
        const own = items.filter((i) => i.sessionId === s.id);
        const f = own.map((i) => figuresOf.get(i.id)).filter((x): x is FlashItemFigures => x !== undefined);
        const visitors = s.stockReturnedAt ? s.visitors : await gate.visitors(ctx.tenantId, s.id);
        return {
          id: s.id,
          name: s.name,
          startsAt: s.startsAt.toISOString(),
          endsAt: s.endsAt.toISOString(),
          paymentWindowMinutes: s.paymentWindowMinutes,
          status: s.status,
          displayStatus: displayStatusOf(s, at),
          stockReturned: s.stockReturnedAt !== null,
          items: own.map((i): FlashItem => ({
            id: i.id,
            skuId: i.skuId,
            productId: i.productId,
            title: skus.get(i.skuId)?.title ?? '',
            specValues: skus.get(i.skuId)?.specValues ?? [],
            imageUrl: skus.get(i.skuId)?.imageUrl ?? null,
            priceFen: skus.get(i.skuId)?.priceFen ?? 0,
            flashPriceFen: i.flashPriceFen,
            stock: i.stock,
            sold: i.sold,
            paid: figuresOf.get(i.id)?.paidUnits ?? 0,
            perShopperLimit: i.perShopperLimit,
          })),
          figures: {
            orders: f.reduce((n, x) => n + x.orders, 0),
            paidOrders: f.reduce((n, x) => n + x.paidOrders, 0),
            paidFen: f.reduce((n, x) => n + x.paidFen, 0),
            visitors,
          },
          createdAt: s.createdAt.toISOString(),
        };
      }),
    );
  }

  async function mustGet(ctx: TenantContext, id: number, opts: { lock?: boolean } = {}) {
    const s = await repo.session(ctx, id, opts);
    if (!s) throw new NotFoundError('FLASH_SESSION_NOT_FOUND');
    return s;
  }

  const get = async (ctx: TenantContext, id: number) => (await views(ctx, [await mustGet(ctx, id)]))[0]!;

  /** No SKU of the session may be in another session over part of its period. */
  async function mustNotOverlap(tctx: TenantContext, skuIds: number[], from: Date, to: Date, except?: number) {
    const busy = await repo.overlapping(tctx, skuIds, from, to, except);
    if (busy[0])
      throw new ConflictError({
        reason: 'FLASH_SKU_BUSY',
        params: { skuId: busy[0].skuId },
        message: `SKU ${busy[0].skuId} is in another flash sale then`,
      });
  }

  // ---- the gate -----------------------------------------------------------------------------------------------------

  /** Loads an item's gate from MySQL (its session must be running or about to). */
  async function loadGate(ctx: TenantContext, item: StoredFlashItem, s: StoredFlashSession, at: Date) {
    const [buyers, live] = await Promise.all([repo.buyersOf(ctx, item.id), repo.liveOf(ctx, item.id)]);
    const state: GateState = {
      sessionId: s.id,
      skuId: item.skuId,
      stock: item.stock - item.sold,
      limit: item.perShopperLimit,
      startsAt: item.startsAt,
      endsAt: item.endsAt,
      paymentWindowMinutes: s.paymentWindowMinutes,
      buyers,
      held: live.map((o) => ({ reservation: o.reservation, shopperId: o.shopperId, units: o.quantity })),
    };
    await gate.load(ctx.tenantId, item.id, state, at);
  }

  /** One load per item at a time in this process: a rush that finds the gate cold waits for one read of MySQL. */
  const loading = new Map<string, Promise<void>>();
  async function warm(ctx: TenantContext, itemId: number, at: Date): Promise<void> {
    const key = `${ctx.tenantId}:${itemId}`;
    let pending = loading.get(key);
    if (!pending) {
      pending = (async () => {
        const item = await repo.item(ctx, itemId);
        if (!item) throw new NotFoundError('FLASH_ITEM_NOT_FOUND');
        const s = await mustGet(ctx, item.sessionId);
        if (item.returnedAt || s.status === 'stopped' || at >= item.endsAt) throw ended();
        await loadGate(ctx, item, s, at);
      })().finally(() => loading.delete(key));
      loading.set(key, pending);
    }
    await pending;
  }

  /** Ends the stock set aside for a session: what is left goes back to the SKUs, once; the gate forgets the items. */
  async function returnStock(ctx: TenantContext, sessionId: number): Promise<boolean> {
    const at = now();
    const returned = await retryOnDeadlock(() =>
      deps.tx.transaction(ctx, async (tctx) => {
        const s = await repo.session(tctx, sessionId, { lock: true });
        if (!s || s.stockReturnedAt) return null;
        const items = await repo.itemsOf(tctx, [sessionId], { lock: true });
        const back = items.filter((i) => !i.returnedAt);
        // SKUs locked in id order, as every stock change locks them.
        await deps.stock.lock(
          tctx,
          back.map((i) => i.skuId),
        );
        for (const i of back) {
          await repo.markItemReturned(tctx, i.id, at);
          if (i.stock > i.sold) await deps.stock.giveBack(tctx, i.skuId, i.stock - i.sold);
        }
        await repo.markReturned(tctx, sessionId, await gate.visitors(ctx.tenantId, sessionId), at);
        return items.map((i) => i.id);
      }),
    );
    if (!returned) return false;
    for (const id of returned) await gate.endNow(ctx.tenantId, id, at);
    return true;
  }

  // ---- reconciliation -----------------------------------------------------------------------------------------------

  /**
   * Checks an item's gate against MySQL and mends it: a reservation the gate holds with no order in MySQL for over a
   * minute (its placement failed, or its process died) is freed; an order MySQL has and the gate lost (Redis lost its
   * data, or a release crossed a placement) is taken back in. Returns what it found.
   */
  async function reconcileItem(ctx: TenantContext, item: StoredFlashItem, at: Date) {
    const [held, live] = await Promise.all([gate.held(ctx.tenantId, item.id), repo.liveOf(ctx, item.id)]);
    const left = (await gate.left(ctx.tenantId, [item.id])).get(item.id);
    if (left === null || left === undefined) return { freed: 0, adopted: 0, drift: 0 };
    const liveKeys = new Set(live.map((o) => o.reservation));
    const orphans = [...held].filter(([r, h]) => !liveKeys.has(r) && at.getTime() - h.at > STALE_RESERVATION_MS);
    // An orphan may have made an order that closed since: either way its unit is no longer held in MySQL.
    let freed = 0;
    for (const [r] of orphans) if (await gate.release(ctx.tenantId, item.id, r)) freed++;
    let adopted = 0;
    for (const o of live)
      if (!held.has(o.reservation) && (await gate.adopt(ctx.tenantId, item.id, { ...o, units: o.quantity }, at)))
        adopted++;
    // What the gate should show once every reservation on its way to MySQL has arrived.
    const fresh = await repo.item(ctx, item.id);
    const inFlight = [...(await gate.held(ctx.tenantId, item.id))].filter(([r]) => !liveKeys.has(r));
    const expected = (fresh ? fresh.stock - fresh.sold : 0) - inFlight.reduce((n, [, h]) => n + h.units, 0);
    const shown = (await gate.left(ctx.tenantId, [item.id])).get(item.id) ?? expected;
    return { freed, adopted, drift: shown - expected };
  }

  /**
   * For one shop: every session past its end with its stock not yet back (a lost job) gets it back, and every running
   * session's gates are checked against MySQL and mended.
   */
  async function reconcile(ctx: TenantContext) {
    const at = now();
    let returned = 0;
    for (const id of await repo.endedUnreturned(ctx, at)) if (await returnStock(ctx, id)) returned++;
    const totals = { returned, checked: 0, freed: 0, adopted: 0, drift: 0 };
    const running = await repo.running(ctx, at);
    for (const item of await repo.itemsOf(ctx, running)) {
      const r = await reconcileItem(ctx, item, at);
      totals.checked++;
      totals.freed += r.freed;
      totals.adopted += r.adopted;
      totals.drift += Math.abs(r.drift);
    }
    return totals;
  }

  return {
    // ---- merchant ---------------------------------------------------------------------------------------------------

    /**
     * Sets up a session: its SKUs are the shop's and for sale, each flash price below the SKU's price, no SKU in
     * another session then; each item's stock is taken from its SKU now (all or nothing).
     */
    async create(ctx: TenantContext, input: FlashSessionInput): Promise<FlashSession> {
      const at = now();
      const startsAt = new Date(input.startsAt);
      const endsAt = new Date(input.endsAt);
      const skuIds = input.items.map((i) => i.skuId);
      const facts = await deps.catalog.skuFacts(ctx, skuIds);
      for (const i of input.items) {
        const f = facts.get(i.skuId);
        if (!f || !f.forSale)
          throw new ConflictError({
            reason: 'FLASH_SKU_UNKNOWN',
            params: { skuId: i.skuId },
            message: `SKU ${i.skuId} is not for sale in this shop`,
          });
        if (i.flashPriceFen >= f.priceFen)
          throw new ConflictError({
            reason: 'FLASH_PRICE_NOT_BELOW',
            params: { skuId: i.skuId },
            message: `the flash price of SKU ${i.skuId} must be below its price`,
          });
      }
      const id = await retryOnDeadlock(() =>
        deps.tx.transaction(ctx, async (tctx) => {
          // The SKUs locked first: two sessions set up at once for one SKU queue here, then see each other.
          const locked = await deps.stock.lock(
            tctx,
            [...skuIds].sort((a, b) => a - b),
          );
          await mustNotOverlap(tctx, skuIds, startsAt, endsAt);
          for (const i of input.items) {
            const has = locked.get(i.skuId)?.stock ?? 0;
            if (has < i.stock)
              throw new ConflictError({
                reason: 'FLASH_STOCK_SHORT',
                params: { skuId: i.skuId, stock: has },
                message: `SKU ${i.skuId} has ${has} in stock`,
              });
          }
          await deps.stock.take(tctx, new Map(input.items.map((i) => [i.skuId, i.stock])), locked);
          const created = await repo.insertSession(
            tctx,
            { name: input.name, startsAt, endsAt, paymentWindowMinutes: input.paymentWindowMinutes },
            input.items.map((i) => ({ ...i, productId: facts.get(i.skuId)!.productId })),
            at,
          );
          await deps.audit.record(tctx, {
            action: 'flash_session.create',
            targetType: 'flash_session',
            targetId: created,
            data: { name: input.name, items: input.items.length },
          });
          return created;
        }),
      );
      await scheduleFlashEnd(deps.queues, ctx, id, endsAt, at);
      return get(ctx, id);
    },

    async list(
      ctx: TenantContext,
      q: { status?: CouponDisplayStatus; page: number; pageSize: number },
    ): Promise<Page<FlashSession>> {
      const { rows, total } = await repo.listSessions(ctx, { when: q.status, at: now(), ...q });
      return { items: await views(ctx, rows), page: q.page, pageSize: q.pageSize, total };
    },

    get,

    /** Before its start: the name, the period (no SKU in another session then) and the payment window. */
    async update(ctx: TenantContext, id: number, body: UpdateFlashSessionBody): Promise<FlashSession> {
      const at = now();
      const after = await retryOnDeadlock(() =>
        deps.tx.transaction(ctx, async (tctx) => {
          const s = await mustGet(tctx, id, { lock: true });
          if (s.status === 'stopped' || at >= s.startsAt)
            throw new ConflictError({ reason: 'FLASH_SESSION_STARTED', message: 'The session has started' });
          const startsAt = body.startsAt ? new Date(body.startsAt) : s.startsAt;
          const endsAt = body.endsAt ? new Date(body.endsAt) : s.endsAt;
          if (body.startsAt || body.endsAt) {
            const problem = flashPeriodProblem(startsAt.toISOString(), endsAt.toISOString());
            if (problem)
              throw new ValidationError(
                { reason: 'FLASH_PERIOD_INVALID', params: { hours: FLASH_LIMITS.sessionHoursMax }, message: problem },
                {
                  issues: [
                    issue('body.endsAt', {
                      reason: 'FLASH_PERIOD_INVALID',
                      params: { hours: FLASH_LIMITS.sessionHoursMax },
                      message: problem,
                    }),
                  ],
                },
              );
            const items = await repo.itemsOf(tctx, [id]);
            await mustNotOverlap(
              tctx,
              items.map((i) => i.skuId),
              startsAt,
              endsAt,
              id,
            );
          }
          await repo.updateSession(
            tctx,
            id,
            {
              name: body.name,
              startsAt: body.startsAt ? startsAt : undefined,
              endsAt: body.endsAt ? endsAt : undefined,
              paymentWindowMinutes: body.paymentWindowMinutes,
            },
            at,
          );
          await deps.audit.record(tctx, {
            action: 'flash_session.update',
            targetType: 'flash_session',
            targetId: id,
            data: body,
          });
          return { endsAt, items: await repo.itemsOf(tctx, [id]) };
        }),
      );
      // A gate loaded for passes given just before the start reloads with the new period.
      for (const i of after.items) await gate.forget(ctx.tenantId, i.id);
      await scheduleFlashEnd(deps.queues, ctx, id, after.endsAt, at);
      return get(ctx, id);
    },

    /** Stops a session now: no more purchases; what is left goes back to the SKUs. Orders placed stay as they are. */
    async stop(ctx: TenantContext, id: number): Promise<FlashSession> {
      const at = now();
      await deps.tx.transaction(ctx, async (tctx) => {
        const s = await mustGet(tctx, id, { lock: true });
        if (s.status === 'stopped' || s.stockReturnedAt) return;
        await repo.stopSession(tctx, id, at);
        await deps.audit.record(tctx, { action: 'flash_session.stop', targetType: 'flash_session', targetId: id });
      });
      await returnStock(ctx, id);
      return get(ctx, id);
    },

    /** The live view: each item's units left at the gate (MySQL's count when the gate is not loaded), and figures. */
    async live(ctx: TenantContext, id: number): Promise<FlashLive> {
      const s = await mustGet(ctx, id);
      const [items, figures, visitors] = await Promise.all([
        repo.itemsOf(ctx, [id]),
        repo.figures(ctx, [id]),
        s.stockReturnedAt ? Promise.resolve(s.visitors) : gate.visitors(ctx.tenantId, id),
      ]);
      const left = await gate.left(
        ctx.tenantId,
        items.map((i) => i.id),
      );
      const f = new Map(figures.map((x) => [x.itemId, x]));
      const at = now();
      return {
        sessionId: id,
        displayStatus: displayStatusOf(s, at),
        at: at.toISOString(),
        items: items.map((i) => ({
          id: i.id,
          stock: i.stock,
          left: i.returnedAt ? 0 : Math.max(0, left.get(i.id) ?? i.stock - i.sold),
          unpaid: f.get(i.id)?.unpaidUnits ?? 0,
          paid: f.get(i.id)?.paidUnits ?? 0,
          orders: f.get(i.id)?.orders ?? 0,
        })),
        figures: {
          orders: figures.reduce((n, x) => n + x.orders, 0),
          paidOrders: figures.reduce((n, x) => n + x.paidOrders, 0),
          paidFen: figures.reduce((n, x) => n + x.paidFen, 0),
          visitors,
        },
      };
    },

    // ---- shop -------------------------------------------------------------------------------------------------------

    /** The running and upcoming sessions (or those of one product), each item with its units left; counts a visit. */
    async shown(ctx: RequestContext & TenantContext, productId?: number): Promise<ShopFlashSales> {
      const at = now();
      const until = new Date(at.getTime() + FLASH_LIMITS.upcomingHours * 3_600_000);
      let sessions = await repo.shownSessions(ctx, at, until);
      let items = await repo.itemsOf(
        ctx,
        sessions.map((s) => s.id),
      );
      if (productId !== undefined) {
        items = items.filter((i) => i.productId === productId);
        sessions = sessions.filter((s) => items.some((i) => i.sessionId === s.id));
      }
      items = items.filter((i) => !i.returnedAt);
      const [skus, left] = await Promise.all([
        skuViews(
          ctx,
          items.map((i) => i.skuId),
        ),
        gate.left(
          ctx.tenantId,
          items.map((i) => i.id),
        ),
      ]);
      const visitor = ctx.actor.type === 'shopper' ? `s${ctx.actor.shopperId}` : `a${ctx.ip ?? ''}`;
      await gate
        .visit(
          ctx.tenantId,
          sessions.map((s) => s.id),
          visitor,
        )
        .catch((err: unknown) => ctx.log.warn({ err }, 'could not count a flash-sale visit'));
      return {
        now: at.toISOString(),
        sessions: sessions.map((s): ShopFlashSession => ({
          id: s.id,
          name: s.name,
          startsAt: s.startsAt.toISOString(),
          endsAt: s.endsAt.toISOString(),
          state: at < s.startsAt ? 'upcoming' : 'running',
          paymentWindowMinutes: s.paymentWindowMinutes,
          items: items
            .filter((i) => i.sessionId === s.id && skus.has(i.skuId))
            .map((i) => {
              const sku = skus.get(i.skuId)!;
              return {
                id: i.id,
                productId: i.productId,
                skuId: i.skuId,
                title: sku.title,
                specValues: sku.specValues,
                imageUrl: sku.imageUrl,
                priceFen: sku.priceFen,
                flashPriceFen: i.flashPriceFen,
                stock: i.stock,
                left: Math.max(0, left.get(i.id) ?? i.stock - i.sold),
                perShopperLimit: i.perShopperLimit,
              };
            }),
        })),
      };
    },

    /**
     * A pass to buy in a session, for this shopper: given from `passLeadSeconds` before the start (never earlier:
     * nothing tells how to buy before then) until the end, valid for `passTtlSeconds`. Its items' gates are loaded now,
     * so the rush at the start finds them warm.
     */
    async pass(ctx: TenantContext, sessionId: number): Promise<FlashPass> {
      const at = now();
      const s = await mustGet(ctx, sessionId);
      if (s.status === 'stopped' || at >= s.endsAt) throw ended();
      const opensAt = s.startsAt.getTime() - FLASH_LIMITS.passLeadSeconds * 1000;
      if (at.getTime() < opensAt) throw notStarted(s.startsAt.getTime() - at.getTime());
      const expMs = Math.min(at.getTime() + FLASH_LIMITS.passTtlSeconds * 1000, s.endsAt.getTime());
      const items = await repo.itemsOf(ctx, [sessionId]);
      const left = await gate.left(
        ctx.tenantId,
        items.map((i) => i.id),
      );
      for (const i of items)
        if (left.get(i.id) == null && !i.returnedAt) await warm(ctx, i.id, at).catch(() => undefined);
      return {
        pass: `${sessionId}.${expMs}.${sign(ctx.tenantId, sessionId, shopperIdOf(ctx), expMs)}`,
        validFrom: s.startsAt.toISOString(),
        expiresAt: new Date(expMs).toISOString(),
      };
    },

    /**
     * The rush: a pass checked (this shopper's, this session's, not expired), then one step at the gate — the rate
     * limits, the period, the stock and the shopper's limit. Most shoppers end here, answered from Redis alone. A cold
     * gate (first use, or Redis lost its data) is loaded from MySQL once, then asked again. `spent`: this reservation
     * was given back before (its order closed, or was never placed); `again` reserves it anew.
     */
    async reserve(
      ctx: TenantContext,
      itemId: number,
      a: { pass: string; quantity: number; reservation: string; again?: boolean },
    ): Promise<FlashReservation | 'spent'> {
      const at = now();
      const sessionId = sessionOfPass(ctx, a.pass, at);
      if (sessionId === null) throw passInvalid();
      const ask = {
        shopperId: shopperIdOf(ctx),
        quantity: a.quantity,
        reservation: a.reservation,
        sessionId,
        address: ctx.ip ?? '',
        at,
        again: a.again,
      };
      let r = await gate.reserve(ctx.tenantId, itemId, ask, deps.limits);
      if (r.kind === 'cold') {
        await warm(ctx, itemId, at);
        r = await gate.reserve(ctx.tenantId, itemId, ask, deps.limits);
      }
      switch (r.kind) {
        case 'ok':
        case 'held':
          return {
            activity: {
              kind: 'flash_sale',
              id: itemId,
              reservation: a.reservation,
              paymentWindowMinutes: r.meta.paymentWindowMinutes,
              ownStock: true,
            },
            skuId: r.meta.skuId,
            fresh: r.kind === 'ok',
          };
        case 'spent':
          return 'spent';
        case 'sold_out':
          throw soldOut();
        case 'limit':
          throw new ConflictError({
            reason: 'FLASH_LIMIT_REACHED',
            params: { limit: r.limit },
            message: `At most ${r.limit} per shopper`,
          });
        case 'early':
          throw notStarted(r.startsAt - at.getTime());
        case 'ended':
          throw ended();
        case 'wrong_session':
          throw passInvalid();
        case 'limited':
          throw new TooManyRequestsError('Too many attempts; try again in a moment', Math.ceil(r.retryMs / 1000));
        case 'cold':
          throw new Error(`flash gate of item ${itemId} still cold after loading`);
      }
    },

    /** Gives a reservation back to the gate: its order was not placed. */
    async release(ctx: TenantContext, itemId: number, reservation: string): Promise<void> {
      await gate.release(ctx.tenantId, itemId, reservation);
    },

    /** Flash orders priced at the flash price (the `activity` stage); an order in no session is left alone. */
    pricing: (async (ctx, batch) => {
      const ids = [...new Set(batch.inputs.flatMap((i) => (i.activity?.kind === 'flash_sale' ? [i.activity.id] : [])))];
      const items = new Map(
        (await Promise.all(ids.map((id) => repo.item(ctx, id)))).flatMap((i) => (i ? [[i.id, i] as const] : [])),
      );
      // A flash discount is named after its session, as a promotion's after the promotion.
      const sessionNames = new Map<number, string>();
      for (const sessionId of new Set([...items.values()].map((i) => i.sessionId))) {
        const s = await repo.session(ctx, sessionId);
        if (s) sessionNames.set(sessionId, s.name);
      }
      return {
        calculators: [
          {
            stage: 'activity',
            name: 'flash-sale',
            price(draft) {
              const a = draft.input.activity;
              if (a?.kind !== 'flash_sale') return;
              const item = items.get(a.id);
              if (!item) throw new NotFoundError('FLASH_ITEM_NOT_FOUND');
              for (const [i, line] of draft.lines.entries()) {
                if (line.skuId !== item.skuId) throw new NotFoundError('FLASH_ITEM_NOT_FOUND');
                const off = Math.max(0, line.unitPriceFen - item.flashPriceFen) * line.quantity;
                if (off > 0)
                  draft.discount({
                    source: 'flash_sale',
                    sourceId: item.id,
                    amountFen: off,
                    appliesTo: (_l, j) => j === i,
                  });
              }
            },
          },
        ],
        nameOf: (d) => {
          const item = d.source === 'flash_sale' && d.sourceId !== null ? items.get(d.sourceId) : undefined;
          return item ? sessionNames.get(item.sessionId) : undefined;
        },
      };
    }) satisfies PricingSlot,

    /** Checkout's part: the item's units and the shopper's count taken in MySQL, guarded; then the orders recorded. */
    placement: {
      async take(tctx, order, at) {
        const { activity, quantity, shopperId } = order;
        const item = await repo.item(tctx, activity.id);
        if (!item) return { refused: new NotFoundError('FLASH_ITEM_NOT_FOUND') };
        if (!(await repo.take(tctx, item.id, quantity, at))) {
          if (item.returnedAt || at >= item.endsAt || at < item.startsAt) return { refused: ended() };
          return { refused: soldOut() };
        }
        if (!(await repo.addBought(tctx, item.id, shopperId, quantity, item.perShopperLimit))) {
          await repo.untake(tctx, item.id, quantity);
          return {
            refused: new ConflictError({
              reason: 'FLASH_LIMIT_REACHED',
              params: { limit: item.perShopperLimit },
              message: `At most ${item.perShopperLimit} per shopper`,
            }),
          };
        }
        return { id: item.id, waiting: false };
      },
      async record(tctx, placed, at) {
        const items = new Map<number, StoredFlashItem>();
        for (const p of placed)
          if (!items.has(p.activity.id)) {
            const item = await repo.item(tctx, p.activity.id);
            if (item) items.set(item.id, item);
          }
        await repo.insertOrders(
          tctx,
          placed.map((p) => ({
            sessionId: items.get(p.activity.id)!.sessionId,
            itemId: p.activity.id,
            orderId: p.orderId,
            shopperId: p.shopperId,
            quantity: p.quantity,
            totalFen: p.totalFen,
            reservation: p.activity.reservation,
          })),
          at,
        );
      },
    } satisfies ActivityOffers,

    /**
     * A flash order closed. Unpaid: the shopper's count goes down and, while its session runs, its units go back to the
     * session (in MySQL now, at the gate once committed) — true: they do not go to the SKU. Paid (a refund in full, a
     * merchant's cancel): it stays sold; its goods go back to the SKU as any order's.
     */
    async orderClosed(tctx: TenantContext, orderId: number, how: { paid: boolean }): Promise<boolean> {
      const o = await repo.orderOf(tctx, orderId, { lock: true });
      const step = o && onOrderClosed(o.state, how.paid);
      if (!o || !step) return false;
      await repo.setOrderState(tctx, o.id, flashOrderMachine.next(o.state, step)!);
      if (step === 'close') return false;
      await repo.subtractBought(tctx, o.itemId, o.shopperId, o.quantity);
      const back = await repo.untake(tctx, o.itemId, o.quantity);
      await deps.tx.afterCommit(tctx, async () => {
        await gate.release(tctx.tenantId, o.itemId, o.reservation);
      });
      return back;
    },

    async orderPaid(tctx: TenantContext, orderId: number): Promise<void> {
      const o = await repo.orderOf(tctx, orderId, { lock: true });
      if (o && flashOrderMachine.can(o.state, 'pay')) await repo.setOrderState(tctx, o.id, 'paid');
    },

    /**
     * A merge (in its transaction): the flash purchases of `fromId` become `toId`'s, their units added to the survivor's
     * per-item counts, so the per-shopper limit counts both; once committed, the running gates move them too.
     */
    async absorbShopper(tctx: TenantContext, fromId: number, toId: number): Promise<void> {
      const itemIds = await repo.reassignShopper(tctx, fromId, toId);
      if (itemIds.length === 0) return;
      await deps.tx.afterCommit(tctx, async () => {
        for (const itemId of itemIds) await gate.moveBuyer(tctx.tenantId, itemId, fromId, toId);
      });
    },

    // ---- jobs -------------------------------------------------------------------------------------------------------

    /** A session's end came (its delayed job): its stock goes back, once. Early: nothing happens. */
    async endDue(ctx: TenantContext, sessionId: number): Promise<boolean> {
      const s = await repo.session(ctx, sessionId);
      if (!s || s.stockReturnedAt || now() < s.endsAt) return false;
      return returnStock(ctx, sessionId);
    },

    /** Every shop's flash sales reconciled (the job every 30 s). */
    reconcile,

    async reconcileAll(ctx: RequestContext) {
      const totals = { returned: 0, checked: 0, freed: 0, adopted: 0, drift: 0 };
      await deps.tenants.forEachId(['active', 'suspended', 'pending_review'], async (tenantId) => {
        const r = await reconcile({ ...ctx, tenantId });
        for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += r[k];
      });
      return totals;
    },
  };
}

export type FlashService = ReturnType<typeof flashService>;
