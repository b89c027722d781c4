import { randomInt } from 'node:crypto';
import {
  AFTER_SALES_JOBS,
  AFTER_SALES_OPEN_STATUSES,
  AFTER_SALES_STATUSES,
  AFTER_SALES_TIMER_DEFAULTS,
  QUEUES,
  type AfterSalesSettings,
  type OrderAfterSales,
  type AfterSalesCase,
  type AfterSalesRequestBody,
  type AfterSalesStatus,
  type CarrierCode,
  type Page,
  type ReturnAddress,
  type ReturnAddressInput,
} from '@shopfleet/contracts';
import { actorId, shopperIdOf, type TenantContext } from '../../kernel/context';
import type { Transactions } from '../../kernel/db/database';
import type { Queues } from '../../kernel/queue';
import { chinaStamp } from '../../kernel/china-time';
import { ConflictError, NotFoundError, ValidationError, issue } from '../../kernel/errors';
import type { AuditAction } from '@shopfleet/contracts';
import type { NotificationsService } from '../notifications';
import type { AuditService } from '../audit';
import type { ImagesService } from '../catalog';
import { afterSalesMachine, type AfterSalesEvent } from './after-sales-states';
import type { AfterSalesRepository, CaseChange, ReturnTo, StoredCase } from './after-sales.repository';

const DAY_MS = 86_400_000;

/** A case number: 售后 "AS", China time to the second and eight random digits (the unique index decides). */
const caseNo = (at: Date) => `AS${chinaStamp(at)}${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;

const STEP_NOT_ALLOWED = {
  reason: 'AFTER_SALES_STEP_NOT_ALLOWED',
  message: 'This case is not at that step (it may have moved on meanwhile); reload it',
} as const;

/** Who takes a step: the shopper, the merchant's staff, platform staff (arbitrating), or the system (a timer). */
export type StepActor = 'shopper' | 'merchant' | 'platform' | 'system';

/** A step as the case's history shows it. */
export interface Step {
  event: AfterSalesEvent;
  actor: StepActor;
  note?: string;
  photoIds?: number[];
  change?: CaseChange;
}

export interface AfterSalesDeps {
  repo: AfterSalesRepository;
  tx: Transactions;
  queues: Queues;
  images: Pick<ImagesService, 'byIds' | 'ownedByShopper' | 'upload' | 'claimForShopper'>;
  audit: AuditService;
  /** The shop's staff who see after-sales hear of a new request (the bell; live in their open consoles). */
  alerts?: Pick<NotificationsService, 'alert'>;
  now?: () => Date;
}

/** The units a shopper asks for of a line, as the workflow read them from the order. */
export interface RequestedLine {
  orderId: number;
  orderNo: string;
  shopperId: number;
  skuId: number;
  title: string;
  specValues: string[];
  imageUrl: string | null;
  amountFen: number;
}

/**
 * After-sales cases on their own records: a shopper's request on units of one line of an order (仅退款, 退货退款,
 * 换货), each step a guarded move of the case's state (`after-sales-states.ts`) with its history, and the shop's
 * return addresses. The steps that move money (a refund-only case agreed, returned goods received) run in the
 * after-sales workflow (orders/workflows/after-sales-case.ts), which calls `step` in its refund's transaction.
 */
export function afterSalesService(deps: AfterSalesDeps) {
  const now = deps.now ?? (() => new Date());
  const { repo } = deps;

  /** The shop's timers: its own, or the defaults. */
  async function settingsOf(ctx: TenantContext): Promise<AfterSalesSettings> {
    return (await repo.settings(ctx)) ?? { ...AFTER_SALES_TIMER_DEFAULTS };
  }

  /**
   * When a case's current step times out, if it does, by the shop's timers: a request unanswered (then approved: a
   * refund-only one refunded, a return or an exchange sent back to the default return address), an approved return or
   * exchange not shipped back (closed), a return's goods not confirmed (refunded).
   */
  function deadlineOf(
    kind: StoredCase['kind'],
    status: AfterSalesStatus,
    from: Date,
    timers: AfterSalesSettings,
  ): Date | null {
    const days =
      status === 'requested'
        ? timers.autoApproveDays
        : status === 'approved'
          ? timers.returnShipDays
          : status === 'returned' && kind === 'return_refund'
            ? timers.receiveConfirmDays
            : null;
    return days === null ? null : new Date(from.getTime() + days * DAY_MS);
  }

  /** A job at the deadline, once the step's transaction has committed (the sweeper catches a lost one). */
  async function scheduleDeadline(ctx: TenantContext, caseId: number, deadline: Date | null): Promise<void> {
    if (!deadline) return;
    await deps.tx.afterCommit(ctx, async () => {
      await deps.queues
        .get(QUEUES.afterSales)
        .add(
          AFTER_SALES_JOBS.deadline,
          { tenantId: ctx.tenantId, caseId },
          {
            jobId: `as-${ctx.tenantId}-${caseId}-${deadline.getTime()}`,
            delay: Math.max(0, deadline.getTime() - now().getTime()),
            removeOnComplete: true,
          },
        )
        .catch((err: unknown) =>
          ctx.log.warn({ err, caseId }, 'could not schedule an after-sales deadline; the sweeper will act on it'),
        );
    });
  }

  async function views(ctx: TenantContext, list: StoredCase[]): Promise<AfterSalesCase[]> {
    const history = await repo.events(
      ctx,
      list.map((c) => c.id),
    );
    const photoIds = [
      ...new Set([...list.flatMap((c) => c.photoIds), ...[...history.values()].flat().flatMap((e) => e.photoIds)]),
    ];
    const photos = await deps.images.byIds(ctx, photoIds);
    const urls = (ids: number[]) => ids.flatMap((id) => (photos.has(id) ? [photos.get(id)!.medium.jpeg] : []));
    const shipment = (carrier: CarrierCode | null, trackingNo: string | null, at: Date | null) =>
      carrier && trackingNo && at ? { carrier, trackingNo, at: at.toISOString() } : null;
    return list.map((c) => ({
      id: c.id,
      caseNo: c.caseNo,
      orderId: c.orderId,
      orderNo: c.orderNo,
      skuId: c.skuId,
      title: c.title,
      specValues: c.specValues,
      imageUrl: c.imageUrl,
      quantity: c.quantity,
      kind: c.kind,
      status: c.status,
      reason: c.reason,
      description: c.description,
      photoUrls: urls(c.photoIds),
      amountFen: c.amountFen,
      returnAddress: c.returnAddress,
      returnShipment: shipment(c.returnCarrier, c.returnTrackingNo, c.returnedAt),
      replacementShipment: shipment(c.reshipCarrier, c.reshipTrackingNo, c.reshippedAt),
      deadlineAt: c.deadlineAt?.toISOString() ?? null,
      refundId: c.refundId,
      history: (history.get(c.id) ?? []).map((e) => ({
        type: e.type,
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        actorType: e.actorType,
        note: e.note,
        photoUrls: urls(e.photoIds),
        at: e.createdAt.toISOString(),
      })),
      createdAt: c.createdAt.toISOString(),
    }));
  }

  const viewOf = async (ctx: TenantContext, c: StoredCase) => (await views(ctx, [c]))[0]!;

  /** A case of the shop; with `shopperId`, only if it is that shopper's. */
  async function mustGet(ctx: TenantContext, id: number, shopperId?: number): Promise<StoredCase> {
    const c = await repo.byId(ctx, id, shopperId);
    if (!c) throw new NotFoundError('AFTER_SALES_NOT_FOUND');
    return c;
  }

  /**
   * Takes one step of a case, in the context's transaction: allowed from its state (else 409), a guarded move (a step
   * taken meanwhile by someone else: 409), its history entry, the next deadline. Returns the case as it was.
   */
  async function step(ctx: TenantContext, id: number, s: Step, shopperId?: number): Promise<StoredCase> {
    return deps.tx.transaction(ctx, async (tctx) => {
      const c = await mustGet(tctx, id, shopperId);
      const to = afterSalesMachine.next(c.status, s.event);
      if (!to) throw new ConflictError(STEP_NOT_ALLOWED);
      const at = now();
      const deadlineAt = deadlineOf(c.kind, to, at, await settingsOf(tctx));
      const moved = await repo.move(tctx, id, afterSalesMachine.sources(s.event), to, { deadlineAt, ...s.change }, at);
      if (!moved) throw new ConflictError(STEP_NOT_ALLOWED);
      await repo.addEvent(tctx, id, {
        type: s.event,
        fromStatus: c.status,
        toStatus: to,
        actorType: s.actor,
        actorId: actorId(tctx.actor),
        note: s.note ?? '',
        photoIds: s.photoIds ?? [],
        createdAt: at,
      });
      const action = AUDITED[s.event];
      if (s.actor === 'merchant' && action)
        await deps.audit.record(tctx, {
          action,
          targetType: 'after_sales_case',
          targetId: id,
          data: s.note ? { note: s.note } : undefined,
        });
      await scheduleDeadline(tctx, id, deadlineAt);
      return c;
    });
  }

  async function merchantPhotos(ctx: TenantContext, ids: number[]): Promise<number[]> {
    const found = await deps.images.byIds(ctx, ids);
    const unknown = ids.filter((id) => !found.has(id));
    if (unknown.length) throw photoProblem();
    return ids;
  }

  function photoProblem() {
    const text = { reason: 'AFTER_SALES_PHOTO_UNKNOWN', message: 'unknown photo' } as const;
    return new ValidationError(
      { reason: 'INVALID_INPUT', message: 'invalid body' },
      { issues: [issue('body.photoIds', text)] },
    );
  }

  async function returnAddressFor(ctx: TenantContext, id: number | undefined): Promise<ReturnTo> {
    const found = id !== undefined ? await repo.addressById(ctx, id) : (await repo.addresses(ctx))[0];
    if (id !== undefined && !found) throw new NotFoundError('RETURN_ADDRESS_NOT_FOUND');
    if (!found)
      throw new ConflictError({ reason: 'RETURN_ADDRESS_REQUIRED', message: 'Add a return address to the shop first' });
    const { id: _id, isDefault: _default, ...to } = found;
    return to;
  }

  return {
    /** A merge (in its transaction): the after-sales cases of `fromId` become `toId`'s. */
    absorbShopper: (tctx: TenantContext, fromId: number, toId: number): Promise<number> =>
      repo.reassignShopper(tctx, fromId, toId),
    views,
    viewOf,
    mustGet,
    step,
    settingsOf,

    /** The cases of these orders as the orders show them (orders' `AfterSalesOfOrders` port). */
    async ofOrders(ctx: TenantContext, orderIds: number[]): Promise<Map<number, OrderAfterSales[]>> {
      const found = await repo.ofOrders(ctx, orderIds);
      return new Map(
        [...found].map(([orderId, list]) => [
          orderId,
          list.map((c) => ({
            id: c.id,
            caseNo: c.caseNo,
            skuId: c.skuId,
            quantity: c.quantity,
            kind: c.kind,
            status: c.status,
          })),
        ]),
      );
    },

    /** The cases of the shop whose step's deadline has passed at `at`. */
    due: (ctx: TenantContext, at: Date) => repo.due(ctx, at),

    /** Sets the shop's timers; open cases keep the deadlines they have. */
    async updateSettings(ctx: TenantContext, timers: AfterSalesSettings): Promise<AfterSalesSettings> {
      await deps.tx.transaction(ctx, async (tctx) => {
        await repo.saveSettings(tctx, timers);
        await deps.audit.record(tctx, { action: 'after_sales.settings.update', data: { ...timers } });
      });
      return settingsOf(ctx);
    },

    /**
     * Opens a case on units of a line, in the caller's transaction (the workflow's, with the order's row locked and the
     * line's units checked). The shopper's photos must be theirs.
     */
    async open(
      ctx: TenantContext,
      line: RequestedLine,
      body: AfterSalesRequestBody,
      requestKey?: string,
    ): Promise<StoredCase> {
      const owned = await deps.images.ownedByShopper(ctx, body.photoIds, line.shopperId);
      if (owned.length !== body.photoIds.length) throw photoProblem();
      const at = now();
      const deadlineAt = deadlineOf(body.kind, 'requested', at, await settingsOf(ctx));
      const id = await repo.insert(ctx, {
        caseNo: caseNo(at),
        orderId: line.orderId,
        orderNo: line.orderNo,
        shopperId: line.shopperId,
        skuId: line.skuId,
        title: line.title,
        specValues: line.specValues,
        imageUrl: line.imageUrl,
        quantity: body.quantity,
        kind: body.kind,
        reason: body.reason,
        description: body.description,
        photoIds: body.photoIds,
        amountFen: body.kind === 'exchange' ? 0 : line.amountFen,
        deadlineAt,
        requestKey: requestKey ?? null,
        createdAt: at,
      });
      await scheduleDeadline(ctx, id, deadlineAt);
      await repo.addEvent(ctx, id, {
        type: 'request',
        fromStatus: null,
        toStatus: 'requested',
        actorType: 'shopper',
        actorId: line.shopperId,
        note: body.description,
        photoIds: body.photoIds,
        createdAt: at,
      });
      const opened = await mustGet(ctx, id);
      await deps.alerts?.alert(ctx, {
        textCode: 'AFTER_SALES_REQUESTED',
        textParams: { caseNo: opened.caseNo, orderNo: line.orderNo },
        data: { caseId: id, orderId: line.orderId },
      });
      return opened;
    },

    /**
     * The order was refunded in full (in the refund's transaction): its open cases close, by the system — nothing is
     * left for them to settle.
     */
    async closeForOrder(ctx: TenantContext, orderId: number): Promise<void> {
      const open = (await repo.ofOrders(ctx, [orderId])).get(orderId) ?? [];
      for (const c of open.filter((x) => (AFTER_SALES_OPEN_STATUSES as readonly string[]).includes(x.status)))
        await step(ctx, c.id, { event: 'orderRefunded', actor: 'system', note: '订单已全额退款' });
    },

    /** The case a shopper's request with this Idempotency-Key opened, if one did. */
    byRequestKey: (ctx: TenantContext, shopperId: number, key: string) => repo.byRequestKey(ctx, shopperId, key),

    /** Units of each of an order's SKUs in open cases (in the caller's transaction). */
    openUnits: (ctx: TenantContext, orderId: number) => repo.openUnits(ctx, orderId),

    /** Records the refund a case's step started, and what it gives back (in the step's transaction). */
    noteRefund: (ctx: TenantContext, id: number, refund: { refundId: number; amountFen: number }): Promise<void> =>
      repo.setRefund(ctx, id, refund),

    // ---- the shopper ----------------------------------------------------------------------------------

    async uploadPhoto(ctx: TenantContext, bytes: Buffer): Promise<{ id: number; url: string }> {
      const shopperId = shopperIdOf(ctx);
      const image = await deps.images.upload(ctx, bytes);
      await deps.images.claimForShopper(ctx, image.id, shopperId);
      return { id: image.id, url: image.medium.jpeg };
    },

    async mine(
      ctx: TenantContext,
      q: { status?: AfterSalesStatus; page: number; pageSize: number },
    ): Promise<Page<AfterSalesCase>> {
      const { rows, total } = await repo.list(ctx, { ...q, shopperId: shopperIdOf(ctx) });
      return { items: await views(ctx, rows), page: q.page, pageSize: q.pageSize, total };
    },

    async mineOne(ctx: TenantContext, id: number): Promise<AfterSalesCase> {
      return viewOf(ctx, await mustGet(ctx, id, shopperIdOf(ctx)));
    },

    /** The shopper withdraws a request not yet settled (before the goods went back). */
    async cancel(ctx: TenantContext, id: number): Promise<AfterSalesCase> {
      const shopperId = shopperIdOf(ctx);
      await step(ctx, id, { event: 'cancel', actor: 'shopper' }, shopperId);
      return viewOf(ctx, await mustGet(ctx, id));
    },

    /** The shopper sends the goods back to the address the case was approved with. */
    async shipBack(ctx: TenantContext, id: number, parcel: { carrier: CarrierCode; trackingNo: string }) {
      const shopperId = shopperIdOf(ctx);
      await step(
        ctx,
        id,
        {
          event: 'shipBack',
          actor: 'shopper',
          note: `${parcel.carrier} ${parcel.trackingNo}`,
          change: { returnCarrier: parcel.carrier, returnTrackingNo: parcel.trackingNo, returnedAt: now() },
        },
        shopperId,
      );
      return viewOf(ctx, await mustGet(ctx, id));
    },

    /** The shopper confirms an exchange's replacement arrived. */
    async confirmReplacement(ctx: TenantContext, id: number): Promise<AfterSalesCase> {
      await step(ctx, id, { event: 'confirmReplacement', actor: 'shopper' }, shopperIdOf(ctx));
      return viewOf(ctx, await mustGet(ctx, id));
    },

    // ---- the merchant ---------------------------------------------------------------------------------

    async list(
      ctx: TenantContext,
      q: { status?: AfterSalesStatus; page: number; pageSize: number },
    ): Promise<Page<AfterSalesCase>> {
      const { rows, total } = await repo.list(ctx, q);
      return { items: await views(ctx, rows), page: q.page, pageSize: q.pageSize, total };
    },

    /** How many cases are in each state: the shop's, or with `mine` the signed-in shopper's. */
    async counts(ctx: TenantContext, mine = false): Promise<{ counts: Record<AfterSalesStatus, number> }> {
      const found = await repo.counts(ctx, mine ? shopperIdOf(ctx) : undefined);
      return {
        counts: Object.fromEntries(AFTER_SALES_STATUSES.map((s) => [s, found.get(s) ?? 0])) as Record<
          AfterSalesStatus,
          number
        >,
      };
    },

    async get(ctx: TenantContext, id: number): Promise<AfterSalesCase> {
      return viewOf(ctx, await mustGet(ctx, id));
    },

    /**
     * Agrees to a return or an exchange (the merchant, or the system when the request went unanswered): the goods go
     * back to this return address (the default when none is named).
     */
    async approveReturn(
      ctx: TenantContext,
      id: number,
      body: { returnAddressId?: number; note: string },
      actor: 'merchant' | 'system' = 'merchant',
    ) {
      const c = await mustGet(ctx, id);
      if (c.kind === 'refund_only') throw new ConflictError(STEP_NOT_ALLOWED);
      const returnAddress = await returnAddressFor(ctx, body.returnAddressId);
      await step(ctx, id, { event: 'approveReturn', actor, note: body.note, change: { returnAddress } });
      return viewOf(ctx, await mustGet(ctx, id));
    },

    async refuse(ctx: TenantContext, id: number, body: { note: string; photoIds: number[] }) {
      await step(ctx, id, {
        event: 'refuse',
        actor: 'merchant',
        note: body.note,
        photoIds: await merchantPhotos(ctx, body.photoIds),
      });
      return viewOf(ctx, await mustGet(ctx, id));
    },

    /** The returned goods are not accepted, with photos: the case ends there (the shopper may complain). */
    async refuseReceipt(ctx: TenantContext, id: number, body: { note: string; photoIds: number[] }) {
      await step(ctx, id, {
        event: 'refuseReceipt',
        actor: 'merchant',
        note: body.note,
        photoIds: await merchantPhotos(ctx, body.photoIds),
      });
      return viewOf(ctx, await mustGet(ctx, id));
    },

    /** The returned goods of an exchange arrived: the replacement is next. */
    async receiveExchange(ctx: TenantContext, id: number): Promise<AfterSalesCase> {
      await step(ctx, id, { event: 'receiveExchange', actor: 'merchant' });
      return viewOf(ctx, await mustGet(ctx, id));
    },

    async reship(ctx: TenantContext, id: number, parcel: { carrier: CarrierCode; trackingNo: string }) {
      await step(ctx, id, {
        event: 'reship',
        actor: 'merchant',
        note: `${parcel.carrier} ${parcel.trackingNo}`,
        change: { reshipCarrier: parcel.carrier, reshipTrackingNo: parcel.trackingNo, reshippedAt: now() },
      });
      return viewOf(ctx, await mustGet(ctx, id));
    },

    // ---- return addresses -----------------------------------------------------------------------------

    async addresses(ctx: TenantContext): Promise<ReturnAddress[]> {
      return repo.addresses(ctx);
    },

    /** Adds a return address; the first one, or one marked default, becomes the default. */
    async addAddress(ctx: TenantContext, input: ReturnAddressInput): Promise<ReturnAddress> {
      const id = await deps.tx.transaction(ctx, async (tctx) => {
        const first = (await repo.countAddresses(tctx)) === 0;
        const created = await repo.insertAddress(tctx, { ...input, isDefault: false });
        if (first || input.isDefault) await repo.setDefaultAddress(tctx, created);
        await deps.audit.record(tctx, {
          action: 'return_address.create',
          targetType: 'return_address',
          targetId: created,
        });
        return created;
      });
      return (await repo.addressById(ctx, id))!;
    },

    async updateAddress(ctx: TenantContext, id: number, input: ReturnAddressInput): Promise<ReturnAddress> {
      await deps.tx.transaction(ctx, async (tctx) => {
        const was = await repo.addressById(tctx, id);
        if (!was) throw new NotFoundError('RETURN_ADDRESS_NOT_FOUND');
        await repo.updateAddress(tctx, id, { ...input, isDefault: was.isDefault });
        if (input.isDefault && !was.isDefault) await repo.setDefaultAddress(tctx, id);
        await deps.audit.record(tctx, { action: 'return_address.update', targetType: 'return_address', targetId: id });
      });
      return (await repo.addressById(ctx, id))!;
    },

    /** Removes a return address; when it was the default, the oldest left becomes the default. */
    async deleteAddress(ctx: TenantContext, id: number): Promise<{ ok: true }> {
      await deps.tx.transaction(ctx, async (tctx) => {
        const was = await repo.addressById(tctx, id);
        if (!was || !(await repo.deleteAddress(tctx, id))) throw new NotFoundError('RETURN_ADDRESS_NOT_FOUND');
        if (was.isDefault) await repo.setDefaultAddress(tctx, (await repo.addresses(tctx))[0]?.id ?? null);
        await deps.audit.record(tctx, { action: 'return_address.delete', targetType: 'return_address', targetId: id });
      });
      return { ok: true };
    },
  };
}

/** The audit action of each step the merchant takes. */
const AUDITED: Partial<Record<AfterSalesEvent, AuditAction>> = {
  approveRefund: 'after_sales.approve',
  approveReturn: 'after_sales.approve',
  refuse: 'after_sales.refuse',
  receiveRefund: 'after_sales.receive',
  receiveExchange: 'after_sales.receive',
  refuseReceipt: 'after_sales.refuse_receipt',
  reship: 'after_sales.reship',
};

export type AfterSalesService = ReturnType<typeof afterSalesService>;
