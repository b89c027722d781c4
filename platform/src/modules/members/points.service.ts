import { DEFAULT_MEMBER_SETTINGS, type MemberSettings } from '@shopfleet/contracts';
import { creditAgainstDebt, refundedShare } from '../../kernel/balance-math';
import type { TenantContext } from '../../kernel/context';
import { ConflictError } from '../../kernel/errors';
import type { LotSource, MembersRepository, PointsChange, StoredLevel, StoredMember } from './members.repository';

/**
 * The points and growth of members, exact under concurrency. Every change runs in the caller's transaction with the
 * shopper's member row locked first (`lockMembers`), so changes of one shopper queue; then it moves batches
 * (`points_lots`), writes one ledger row per change and shifts the member row by the same amounts. Kept at every step:
 * - per part, the ledger's sum is the balance: Σ available = points, Σ frozen = points_frozen, Σ debt = points_debt;
 * - points = what is left of the unfrozen batches, points_frozen = what is left of the frozen ones;
 * - no part is ever negative, and a shopper never has both points and a debt: arriving points settle the debt first.
 *
 * Points are spent from the batches that expire first. A refund takes back its share of what its order earned — from
 * the order's frozen batch, then from the spendable points, and what is still missing becomes a debt: it never blocks
 * the refund (yudao's reversal refuses when the points were spent).
 */
export function pointsService(deps: { repo: MembersRepository; now?: () => Date }) {
  const { repo } = deps;
  const now = deps.now ?? (() => new Date());

  async function settingsOf(ctx: TenantContext): Promise<MemberSettings> {
    return (
      (await repo.settings(ctx)) ?? {
        ...DEFAULT_MEMBER_SETTINGS,
        signInRewards: [...DEFAULT_MEMBER_SETTINGS.signInRewards],
      }
    );
  }

  /** When a batch of points released or given at `at` expires: the shop's validity in months, or never. */
  function expiryOf(settings: MemberSettings, at: Date): Date | null {
    if (settings.pointsValidMonths === 0) return null;
    const d = new Date(at);
    d.setUTCMonth(d.getUTCMonth() + settings.pointsValidMonths);
    return d;
  }

  async function lockOne(tctx: TenantContext, shopperId: number): Promise<StoredMember> {
    return (await repo.lockMembers(tctx, [shopperId])).get(shopperId)!;
  }

  /** Writes a change: its ledger row, and the member row moved by the same amounts (kept in `m` too). */
  async function record(tctx: TenantContext, m: StoredMember, c: PointsChange): Promise<void> {
    if (c.available === 0 && c.frozen === 0 && c.debt === 0) return;
    await repo.addEntry(tctx, m.shopperId, c);
    await repo.shiftMember(tctx, m.shopperId, { points: c.available, points_frozen: c.frozen, points_debt: c.debt });
    m.points += c.available;
    m.pointsFrozen += c.frozen;
    m.pointsDebt += c.debt;
    if (m.points < 0 || m.pointsFrozen < 0 || m.pointsDebt < 0)
      throw new Error(`points of shopper ${m.shopperId} would go negative (${c.kind})`);
  }

  /**
   * Takes up to `n` points from the shopper's spendable batches, soonest-expiring first (a batch past its end is the
   * expiry job's, not spendable); returns how many it took.
   */
  async function takeSpendable(tctx: TenantContext, shopperId: number, n: number, at: Date): Promise<number> {
    if (n <= 0) return 0;
    const left = new Map<number, number>();
    let taken = 0;
    for (const lot of await repo.spendableLots(tctx, shopperId)) {
      if (taken === n) break;
      if (lot.expiresAt && lot.expiresAt.getTime() <= at.getTime()) continue;
      const x = Math.min(lot.remaining, n - taken);
      left.set(lot.id, lot.remaining - x);
      taken += x;
    }
    await repo.setRemaining(tctx, left);
    return taken;
  }

  async function spendableOf(tctx: TenantContext, shopperId: number, at: Date): Promise<number> {
    return (await repo.spendable(tctx, [shopperId], at)).get(shopperId) ?? 0;
  }

  /** What the shopper can spend, read under the lock (in a transaction holding their member row). */
  async function spendableLocked(tctx: TenantContext, shopperId: number, at: Date): Promise<number> {
    return (await repo.spendableLocked(tctx, [shopperId], at)).get(shopperId) ?? 0;
  }

  /** Points arriving as spendable: they settle the debt first; the rest is a new batch. */
  async function credit(
    tctx: TenantContext,
    m: StoredMember,
    amount: number,
    lot: { source: LotSource; orderId?: number | null },
    entry: Omit<PointsChange, 'available' | 'frozen' | 'debt'>,
    settings: MemberSettings,
    at: Date,
  ): Promise<void> {
    if (amount <= 0) return;
    const { settle, rest } = creditAgainstDebt(m.pointsDebt, amount);
    if (rest > 0)
      await repo.addLot(tctx, {
        shopperId: m.shopperId,
        source: lot.source,
        orderId: lot.orderId ?? null,
        amount: rest,
        frozen: false,
        expiresAt: expiryOf(settings, at),
      });
    await record(tctx, m, { ...entry, available: amount, frozen: 0, debt: 0 });
    if (settle > 0)
      await record(tctx, m, {
        kind: 'debt_settled',
        available: -settle,
        frozen: 0,
        debt: -settle,
        orderId: entry.orderId,
      });
  }

  const levelFor = (levels: StoredLevel[], growth: number): StoredLevel | null =>
    [...levels].reverse().find((l) => growth >= l.growthThreshold) ?? null;

  /** Moves a member's growth (never below 0) and places them at the level it reaches. */
  async function grow(
    tctx: TenantContext,
    m: StoredMember,
    by: number,
    figures: { orders?: number; spendFen?: number },
  ) {
    const growth = Math.max(0, m.growth + by);
    await repo.shiftMember(tctx, m.shopperId, {
      growth: growth - m.growth,
      orders_count: figures.orders ?? 0,
      spend_fen: figures.spendFen ?? 0,
    });
    m.growth = growth;
    const level = levelFor(await repo.levels(tctx), growth);
    if ((level?.id ?? null) !== m.levelId) {
      await repo.setMember(tctx, m.shopperId, { levelId: level?.id ?? null });
      m.levelId = level?.id ?? null;
    }
  }

  /**
   * Takes `n` points back for an order: from its frozen batch first, then the spendable points, the rest as a debt.
   */
  async function takeBack(tctx: TenantContext, m: StoredMember, orderId: number, n: number, at: Date): Promise<void> {
    if (n <= 0) return;
    let fromFrozen = 0;
    const left = new Map<number, number>();
    for (const lot of await repo.orderLots(tctx, orderId)) {
      if (!lot.frozen || fromFrozen === n) continue;
      const x = Math.min(lot.remaining, n - fromFrozen);
      left.set(lot.id, lot.remaining - x);
      fromFrozen += x;
    }
    await repo.setRemaining(tctx, left);
    const fromAvailable = await takeSpendable(tctx, m.shopperId, n - fromFrozen, at);
    const owed = n - fromFrozen - fromAvailable;
    await record(tctx, m, {
      kind: 'order_taken_back',
      available: -fromAvailable,
      frozen: -fromFrozen,
      debt: owed,
      orderId,
    });
  }

  /**
   * An order's refunds so far come to `refundedFen` (capped at what was paid for the goods): its points and growth are
   * taken back in proportion, rounding in the shopper's favour until the whole is refunded.
   */
  async function settleRefunds(tctx: TenantContext, m: StoredMember, orderId: number, refundedFen: number, at: Date) {
    const o = (await repo.order(tctx, orderId))!;
    const refunded = Math.min(o.paidFen, Math.max(o.refundedFen, refundedFen));
    const share = (whole: number) => refundedShare(whole, refunded, o.paidFen);
    const points = share(o.pointsEarned) - o.pointsTakenBack;
    const growth = share(o.growth) - o.growthTakenBack;
    await takeBack(tctx, m, orderId, points, at);
    if (growth > 0 || refunded > o.refundedFen) await grow(tctx, m, -growth, { spendFen: -(refunded - o.refundedFen) });
    await repo.updateOrder(tctx, orderId, {
      refundedFen: refunded,
      pointsTakenBack: o.pointsTakenBack + Math.max(0, points),
      growthTakenBack: o.growthTakenBack + Math.max(0, growth),
    });
    return o;
  }

  /** The member row of an order's shopper, locked, with the order's record (null: the order has none). */
  async function lockOrder(tctx: TenantContext, orderId: number) {
    const shopperId = await repo.shopperOfOrder(tctx, orderId);
    if (shopperId === null) return null;
    const m = await lockOne(tctx, shopperId);
    const o = await repo.order(tctx, orderId);
    return o ? { m, o } : null;
  }

  return {
    settingsOf,
    expiryOf,
    levelFor,
    lockOne,
    spendableOf,

    // ---- checkout and an order's life (in the callers' transactions) ----------------------------------------------

    /** Locks the shoppers' member rows (after the placement's SKUs) and says what each can spend now. */
    async lockForPlacement(tctx: TenantContext, shopperIds: number[], at: Date): Promise<Map<number, number>> {
      await repo.lockMembers(tctx, shopperIds);
      return repo.spendableLocked(tctx, shopperIds, at);
    },

    /** Orders placed with points spend them (checked by `lockForPlacement` under the same lock). */
    async spendForOrders(
      tctx: TenantContext,
      placed: Array<{ orderId: number; shopperId: number; points: number }>,
      at: Date,
    ): Promise<void> {
      const members = await repo.lockMembers(
        tctx,
        placed.map((p) => p.shopperId),
      );
      for (const p of placed) {
        const m = members.get(p.shopperId)!;
        const taken = await takeSpendable(tctx, p.shopperId, p.points, at);
        if (taken !== p.points)
          throw new Error(`order ${p.orderId} was placed with ${p.points} points; ${taken} were there`);
        await record(tctx, m, { kind: 'order_spent', available: -p.points, frozen: 0, debt: 0, orderId: p.orderId });
      }
      await repo.addOrders(
        tctx,
        placed.map((p) => ({ orderId: p.orderId, shopperId: p.shopperId, pointsUsed: p.points })),
      );
    },

    /** An order paid: it earns points (frozen until its after-sales window passes) and growth. */
    async orderPaid(tctx: TenantContext, order: { orderId: number; shopperId: number; goodsPaidFen: number }) {
      const settings = await settingsOf(tctx);
      const m = await lockOne(tctx, order.shopperId);
      const paid = Math.max(0, order.goodsPaidFen);
      const earned = settings.pointsEnabled ? Math.floor((paid * settings.earnPointsPerYuan) / 100) : 0;
      const growth = Math.floor((paid * settings.growthPerYuan) / 100);
      await repo.orderPaid(tctx, {
        orderId: order.orderId,
        shopperId: order.shopperId,
        paidFen: paid,
        pointsEarned: earned,
        growth,
      });
      if (earned > 0) {
        await repo.addLot(tctx, {
          shopperId: m.shopperId,
          source: 'order',
          orderId: order.orderId,
          amount: earned,
          frozen: true,
          expiresAt: null,
        });
        await record(tctx, m, { kind: 'order_earned', available: 0, frozen: earned, debt: 0, orderId: order.orderId });
      }
      await grow(tctx, m, growth, { orders: 1, spendFen: paid });
    },

    /** Part of a paid order was refunded: `amountFen` more. */
    async orderRefunded(tctx: TenantContext, orderId: number, amountFen: number): Promise<void> {
      const found = await lockOrder(tctx, orderId);
      if (!found || found.o.state === 'placed' || found.o.state === 'closed') return;
      await settleRefunds(tctx, found.m, orderId, found.o.refundedFen + amountFen, now());
    },

    /**
     * An order closed: unpaid (its window ended, cancelled), or paid and refunded in full. The points it spent come
     * back; a paid one's earned points and growth are taken back whole. Once.
     */
    async orderClosed(tctx: TenantContext, orderId: number, how: { paid: boolean }): Promise<void> {
      const found = await lockOrder(tctx, orderId);
      if (!found || found.o.state === 'closed') return;
      const { m, o } = found;
      const at = now();
      if (how.paid && o.state !== 'placed') await settleRefunds(tctx, m, orderId, o.paidFen, at);
      if (o.pointsUsed > 0 && !o.pointsReturned)
        await credit(
          tctx,
          m,
          o.pointsUsed,
          { source: 'returned', orderId },
          { kind: 'order_returned', orderId },
          await settingsOf(tctx),
          at,
        );
      await repo.updateOrder(tctx, orderId, {
        pointsReturned: o.pointsUsed > 0 ? true : o.pointsReturned,
        state: 'closed',
      });
    },

    /** The order's after-sales window has passed: its frozen points become spendable (settling a debt first). */
    async release(tctx: TenantContext, orderId: number): Promise<boolean> {
      const found = await lockOrder(tctx, orderId);
      if (!found || found.o.state !== 'frozen') return false;
      const { m } = found;
      const settings = await settingsOf(tctx);
      const at = now();
      for (const lot of await repo.orderLots(tctx, orderId)) {
        if (!lot.frozen) continue;
        const settle = Math.min(m.pointsDebt, lot.remaining);
        await repo.releaseLot(tctx, lot.id, expiryOf(settings, at));
        await repo.setRemaining(tctx, new Map([[lot.id, lot.remaining - settle]]));
        await record(tctx, m, {
          kind: 'order_released',
          available: lot.remaining,
          frozen: -lot.remaining,
          debt: 0,
          orderId,
        });
        if (settle > 0)
          await record(tctx, m, { kind: 'debt_settled', available: -settle, frozen: 0, debt: -settle, orderId });
      }
      await repo.updateOrder(tctx, orderId, { state: 'released' });
      return true;
    },

    // ---- the shopper's and the merchant's -------------------------------------------------------------------------

    /** Gives points now (a sign-in's), settling a debt first. The member row must be locked (`lockOne`). */
    async give(
      tctx: TenantContext,
      m: StoredMember,
      amount: number,
      source: LotSource,
      entry: Omit<PointsChange, 'available' | 'frozen' | 'debt'>,
    ): Promise<void> {
      await credit(tctx, m, amount, { source }, entry, await settingsOf(tctx), now());
    },

    /** The merchant adds or takes points; taking more than is spendable is a 409 and changes nothing. */
    async adjust(
      tctx: TenantContext,
      shopperId: number,
      delta: number,
      reason: string,
      actorId: number | null,
    ): Promise<void> {
      const m = await lockOne(tctx, shopperId);
      const at = now();
      if (delta > 0) {
        await credit(
          tctx,
          m,
          delta,
          { source: 'adjusted' },
          { kind: 'adjusted', reason, actorId },
          await settingsOf(tctx),
          at,
        );
        return;
      }
      const available = await spendableLocked(tctx, shopperId, at);
      if (available < -delta)
        throw new ConflictError({
          reason: 'POINTS_NOT_ENOUGH',
          params: { available },
          message: `Only ${available} points are available`,
        });
      await takeSpendable(tctx, shopperId, -delta, at);
      await record(tctx, m, { kind: 'adjusted', available: delta, frozen: 0, debt: 0, reason, actorId });
    },

    /** Ends the shopper's batches past their validity. */
    async expire(tctx: TenantContext, shopperId: number): Promise<number> {
      const m = await lockOne(tctx, shopperId);
      const lots = await repo.expiredLots(tctx, shopperId, now());
      const total = lots.reduce((n, l) => n + l.remaining, 0);
      if (total === 0) return 0;
      await repo.setRemaining(tctx, new Map(lots.map((l) => [l.id, 0])));
      await record(tctx, m, { kind: 'expired', available: -total, frozen: 0, debt: 0 });
      return total;
    },

    /**
     * Moves shopper `from`'s membership into `to`'s (two identities of one person linked): every batch, ledger row and
     * order record; then a debt on one side is settled from the other's points.
     */
    async absorb(tctx: TenantContext, fromId: number, toId: number): Promise<void> {
      const both = await repo.lockMembers(tctx, [fromId, toId]);
      const from = both.get(fromId)!;
      const before = both.get(toId)!;
      await repo.absorb(tctx, from, toId);
      // The later sign-in's streak carries on.
      if (from.lastSignOn && (!before.lastSignOn || from.lastSignOn > before.lastSignOn))
        await repo.setMember(tctx, toId, { signStreak: from.signStreak, lastSignOn: from.lastSignOn });
      const to = (await repo.lockMembers(tctx, [toId])).get(toId)!;
      const settle = Math.min(to.pointsDebt, await spendableLocked(tctx, toId, now()));
      if (settle > 0) {
        await takeSpendable(tctx, toId, settle, now());
        await record(tctx, to, { kind: 'debt_settled', available: -settle, frozen: 0, debt: -settle });
      }
      const level = levelFor(await repo.levels(tctx), to.growth);
      if ((level?.id ?? null) !== to.levelId) await repo.setMember(tctx, toId, { levelId: level?.id ?? null });
    },
  };
}

export type PointsService = ReturnType<typeof pointsService>;
