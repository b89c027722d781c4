import { DEFAULT_DISTRIBUTION_SETTINGS, type DistributionSettings } from '@shopfleet/contracts';
import { creditAgainstDebt, refundedShare, takeBackSplit } from '../../kernel/balance-math';
import type { TenantContext } from '../../kernel/context';
import type { DistributionRepository, MoneyChange, StoredDistributor } from './distribution.repository';

/** A paid order's line as commission counts it: its product and what was paid for it (discounts taken off). */
export interface PaidLine {
  productId: number;
  paidFen: number;
}

/**
 * Commission, exact under concurrency: every change runs in the caller's transaction with the distributors' rows locked
 * first (in id order); then it writes one ledger row per change and shifts the row by the same amounts. Kept at every
 * step, per distributor: each part's ledger sum is its balance (frozen, available, withdrawing, debt); no part is
 * negative (a take-back larger than what is left becomes a debt, yudao's clawback goes negative); never money and a
 * debt together; frozen = what is left of its frozen commissions; and frozen + available + withdrawing + withdrawn −
 * debt = all commission earned less all taken back.
 */
export function commissionService(deps: { repo: DistributionRepository; now?: () => Date }) {
  const { repo } = deps;
  const now = deps.now ?? (() => new Date());

  async function settingsOf(ctx: TenantContext): Promise<DistributionSettings> {
    return (await repo.settings(ctx)) ?? { ...DEFAULT_DISTRIBUTION_SETTINGS };
  }

  /** Writes a change: its ledger row, and the distributor's row moved by the same amounts (kept in `d` too). */
  async function record(tctx: TenantContext, d: StoredDistributor, c: MoneyChange, at: Date): Promise<void> {
    if (!c.availableFen && !c.frozenFen && !c.withdrawingFen && !c.debtFen) return;
    await repo.addEntry(tctx, d.shopperId, c, at);
    await repo.shift(tctx, d.shopperId, {
      available_fen: c.availableFen,
      frozen_fen: c.frozenFen,
      withdrawing_fen: c.withdrawingFen,
      debt_fen: c.debtFen,
      withdrawn_fen: c.kind === 'withdraw_paid' ? -c.withdrawingFen : 0,
    });
    d.availableFen += c.availableFen;
    d.frozenFen += c.frozenFen;
    d.withdrawingFen += c.withdrawingFen;
    d.debtFen += c.debtFen;
    if (c.kind === 'withdraw_paid') d.withdrawnFen -= c.withdrawingFen;
    if (d.availableFen < 0 || d.frozenFen < 0 || d.withdrawingFen < 0 || d.debtFen < 0)
      throw new Error(`commission of distributor ${d.shopperId} would go negative (${c.kind})`);
  }

  const change = (kind: MoneyChange['kind'], parts: Partial<MoneyChange>): MoneyChange => ({
    kind,
    availableFen: 0,
    frozenFen: 0,
    withdrawingFen: 0,
    debtFen: 0,
    ...parts,
  });

  /**
   * An order's record and commissions, read after their distributors' rows are locked (a read before the lock could
   * be outdated by a change that held it).
   */
  async function lockOrder(tctx: TenantContext, orderId: number) {
    const ids = (await repo.ofOrder(tctx, orderId)).map((c) => c.distributorId);
    if (ids.length === 0) return null;
    const locked = await repo.lock(tctx, ids);
    const o = await repo.order(tctx, orderId, { lock: true });
    return o ? { o, locked, commissions: await repo.ofOrder(tctx, orderId, { lock: true }) } : null;
  }

  /** Takes back an order's commissions in proportion to what its refunds now come to (`refundedFen`, or more). */
  async function settleRefunds(
    tctx: TenantContext,
    orderId: number,
    refundedFen: (paidFen: number, before: number) => number,
    at: Date,
  ) {
    const found = await lockOrder(tctx, orderId);
    if (!found || found.o.state === 'closed') return null;
    const { o, locked, commissions } = found;
    const refunded = Math.min(o.paidFen, Math.max(o.refundedFen, refundedFen(o.paidFen, o.refundedFen)));
    for (const c of commissions) {
      const n = refundedShare(c.amountFen, refunded, o.paidFen) - c.takenBackFen;
      if (n <= 0) continue;
      const d = locked.get(c.distributorId)!;
      const split = takeBackSplit(n, c.state === 'frozen' ? c.amountFen - c.takenBackFen : 0, d.availableFen);
      await record(
        tctx,
        d,
        change('taken_back', {
          frozenFen: -split.frozen,
          availableFen: -split.available,
          debtFen: split.debt,
          orderId,
        }),
        at,
      );
      const takenBackFen = c.takenBackFen + n;
      await repo.updateCommission(tctx, c.id, {
        takenBackFen,
        ...(takenBackFen >= c.amountFen ? { state: 'cancelled' as const } : {}),
      });
    }
    await repo.updateOrder(tctx, orderId, { refundedFen: refunded });
    return o;
  }

  return {
    settingsOf,
    record,
    change,

    /**
     * An order was paid: if its buyer is bound to an approved distributor, that distributor earns level-1 commission on
     * each line (the product's rate, or the shop's), and their own distributor level 2 — frozen until the order's
     * after-sales window passes. Nobody earns on their own order, and no level is counted twice.
     */
    async orderPaid(
      tctx: TenantContext,
      order: { orderId: number; shopperId: number; lines: PaidLine[] },
    ): Promise<void> {
      const settings = await settingsOf(tctx);
      if (!settings.enabled) return;
      const buyer = order.shopperId;
      const first = (await repo.bindings(tctx, [buyer])).get(buyer)?.distributorId;
      if (first === undefined || first === buyer) return;
      const second = (await repo.bindings(tctx, [first])).get(first)?.distributorId;
      const candidates = [first, ...(second !== undefined && second !== buyer && second !== first ? [second] : [])];
      const approved = await repo.distributors(tctx, candidates);
      const levels = candidates
        .map((id, i) => ({ id, level: (i + 1) as 1 | 2 }))
        .filter((l) => approved.get(l.id)?.status === 'approved');
      if (levels.length === 0 || levels[0]!.level !== 1) return;
      const rules = await repo.rules(
        tctx,
        order.lines.map((l) => l.productId),
      );
      const at = now();
      const paidFen = order.lines.reduce((s, l) => s + l.paidFen, 0);
      const rows = levels.flatMap(({ id, level }) => {
        let baseFen = 0;
        let amountFen = 0;
        for (const l of order.lines) {
          const rule = rules.get(l.productId) ?? settings;
          const bp = level === 1 ? rule.level1Bp : rule.level2Bp;
          if (bp <= 0 || l.paidFen <= 0) continue;
          baseFen += l.paidFen;
          amountFen += Math.floor((l.paidFen * bp) / 10_000);
        }
        return amountFen > 0
          ? [{ orderId: order.orderId, distributorId: id, buyerId: buyer, level, baseFen, amountFen, createdAt: at }]
          : [];
      });
      if (rows.length === 0) return;
      if (!(await repo.addOrder(tctx, { orderId: order.orderId, buyerId: buyer, paidFen }, at))) return;
      await repo.addCommissions(tctx, rows);
      const locked = await repo.lock(
        tctx,
        rows.map((r) => r.distributorId),
      );
      for (const r of rows)
        await record(
          tctx,
          locked.get(r.distributorId)!,
          change('earned', { frozenFen: r.amountFen, orderId: order.orderId }),
          at,
        );
    },

    /** `amountFen` more of a paid order was refunded: its commissions' share is taken back. */
    async orderRefunded(tctx: TenantContext, orderId: number, amountFen: number): Promise<void> {
      await settleRefunds(tctx, orderId, (_paid, before) => before + amountFen, now());
    },

    /** An order closed: a paid one's commissions are taken back whole. */
    async orderClosed(tctx: TenantContext, orderId: number, how: { paid: boolean }): Promise<void> {
      if (!how.paid) return;
      if (await settleRefunds(tctx, orderId, (paid) => paid, now()))
        await repo.updateOrder(tctx, orderId, { state: 'closed' });
    },

    /** The order's after-sales window has passed: its frozen commissions become available, settling a debt first. */
    async release(tctx: TenantContext, orderId: number): Promise<boolean> {
      const found = await lockOrder(tctx, orderId);
      if (!found || found.o.state !== 'frozen') return false;
      const { locked, commissions } = found;
      const at = now();
      for (const c of commissions) {
        if (c.state !== 'frozen') continue;
        const d = locked.get(c.distributorId)!;
        const left = c.amountFen - c.takenBackFen;
        const { settle } = creditAgainstDebt(d.debtFen, left);
        await record(tctx, d, change('released', { frozenFen: -left, availableFen: left, orderId }), at);
        if (settle > 0)
          await record(tctx, d, change('debt_settled', { availableFen: -settle, debtFen: -settle, orderId }), at);
        await repo.updateCommission(tctx, c.id, { state: 'released', releasedAt: at });
      }
      await repo.updateOrder(tctx, orderId, { state: 'released' });
      return true;
    },
  };
}

export type CommissionService = ReturnType<typeof commissionService>;
