import {
  type Arrival,
  type Commission,
  type CommissionEntry,
  type CommissionRule,
  type CommissionRuleInput,
  type CommissionState,
  type DistributionCentre,
  type DistributionOverview,
  type DistributionSettings,
  type Distributor,
  type DistributorStatus,
  type Page,
  type TeamMember,
  type Withdrawal,
  type WithdrawalMethod,
  type WithdrawalStatus,
} from '@shopfleet/contracts';
import { randomBytes } from 'node:crypto';
import { chinaStamp } from '../../kernel/china-time';
import { shopperIdOf, type TenantContext } from '../../kernel/context';
import type { Transactions } from '../../kernel/db/database';
import { iso, isoOrNull } from '../../kernel/db/rows';
import { retryOnDeadlock } from '../../kernel/db/retry';
import { ConflictError, ForbiddenError, NotFoundError } from '../../kernel/errors';
import { yuan } from '../../kernel/money';
import type { AuditService } from '../audit';
import type { ShoppersService } from '../shoppers';
import type { CommissionService } from './commission.service';
import type {
  BindDecision,
  DistributionRepository,
  StoredCommission,
  StoredDistributor,
  StoredWithdrawal,
} from './distribution.repository';

/** A WeChat Pay transfer's state, as the distribution needs it. */
export interface TransferState {
  /** `success` and `failed` are final; `pending` is on its way (or waits for the distributor to confirm receipt). */
  state: 'pending' | 'success' | 'failed';
  transferBillNo: string | null;
  /** For `wx.requestMerchantTransfer`, while the distributor must confirm receipt. */
  packageInfo: string | null;
  failReason: string | null;
}

/** WeChat Pay's transfer to a user's change (商家转账), as the shop's own merchant (payments'). */
export interface WalletTransfers {
  /** Whether the shop can pay by transfer: a WeChat Pay merchant of its own, out of test mode. */
  available(ctx: TenantContext): Promise<boolean>;
  transfer(
    ctx: TenantContext,
    t: { billNo: string; openid: string; amountFen: number; remark: string },
  ): Promise<TransferState>;
  /** The transfer's state; null when WeChat Pay has no such bill (it was never received). */
  query(ctx: TenantContext, billNo: string): Promise<TransferState | null>;
  /** The shop's WeChat Pay merchant number (for the distributor to confirm receipt); null without one. */
  merchantId(ctx: TenantContext): Promise<string | null>;
}

export interface DistributionDeps {
  repo: DistributionRepository;
  commission: CommissionService;
  tx: Transactions;
  audit: AuditService;
  shoppers: Pick<ShoppersService, 'identities' | 'openid'>;
  /** Order numbers by id (orders'). */
  orderNos(ctx: TenantContext, ids: number[]): Promise<Map<number, string>>;
  /** Product titles by id (catalog's), for the rules list. */
  productTitles(ctx: TenantContext, ids: number[]): Promise<Map<number, string>>;
  /** The sharer of a share code (sharing's); null for an unknown code. */
  sharerOf(ctx: TenantContext, code: string): Promise<number | null>;
  transfers?: WalletTransfers;
  now?: () => Date;
}

const DAY = 86_400_000;
const person = (id: number, who?: { nickname: string | null; avatarUrl: string | null }) => ({
  shopperId: id,
  nickname: who?.nickname ?? null,
  avatarUrl: who?.avatarUrl ?? null,
});

/**
 * Distribution (分销): binding shoppers who arrive through a share to its sharer, distributors and their applications,
 * commission rules and records, withdrawals and their payment. Commission itself moves in `commission.service.ts`.
 */
export function distributionService(deps: DistributionDeps) {
  const { repo, commission } = deps;
  const now = deps.now ?? (() => new Date());
  const inTx = <T>(ctx: TenantContext, fn: (tctx: TenantContext) => Promise<T>) =>
    retryOnDeadlock(() => deps.tx.transaction(ctx, fn));

  async function distributorViews(ctx: TenantContext, ds: StoredDistributor[]): Promise<Distributor[]> {
    const ids = ds.map((d) => d.shopperId);
    const bindings = await repo.bindings(ctx, ids);
    const parents = [...bindings.values()].map((b) => b.distributorId);
    const [who, level1, level2, orders] = await Promise.all([
      deps.shoppers.identities(ctx, [...ids, ...parents]),
      repo.teamSizes(ctx, ids),
      repo.level2Sizes(ctx, ids),
      repo.orderCounts(ctx, ids),
    ]);
    return ds.map((d) => {
      const parent = bindings.get(d.shopperId)?.distributorId;
      return {
        ...person(d.shopperId, who.get(d.shopperId)),
        phoneMasked: who.get(d.shopperId)?.phoneMasked ?? null,
        status: d.status,
        parent: parent === undefined ? null : person(parent, who.get(parent)),
        team: { level1: level1.get(d.shopperId) ?? 0, level2: level2.get(d.shopperId) ?? 0 },
        orders: orders.get(d.shopperId) ?? 0,
        balance: {
          frozenFen: d.frozenFen,
          availableFen: d.availableFen,
          withdrawingFen: d.withdrawingFen,
          withdrawnFen: d.withdrawnFen,
          debtFen: d.debtFen,
        },
        appliedAt: iso(d.appliedAt),
        decidedAt: isoOrNull(d.decidedAt),
        rejectReason: d.rejectReason,
      };
    });
  }

  async function commissionViews(ctx: TenantContext, cs: StoredCommission[]): Promise<Commission[]> {
    const [who, nos] = await Promise.all([
      deps.shoppers.identities(
        ctx,
        cs.flatMap((c) => [c.distributorId, c.buyerId]),
      ),
      deps.orderNos(
        ctx,
        cs.map((c) => c.orderId),
      ),
    ]);
    return cs.map((c) => ({
      id: c.id,
      orderId: c.orderId,
      orderNo: nos.get(c.orderId) ?? null,
      distributor: person(c.distributorId, who.get(c.distributorId)),
      buyer: person(c.buyerId, who.get(c.buyerId)),
      level: c.level,
      baseFen: c.baseFen,
      amountFen: c.amountFen,
      takenBackFen: c.takenBackFen,
      state: c.state,
      createdAt: iso(c.createdAt),
      releasedAt: isoOrNull(c.releasedAt),
    }));
  }

  async function withdrawalViews(ctx: TenantContext, ws: StoredWithdrawal[]): Promise<Withdrawal[]> {
    const who = await deps.shoppers.identities(
      ctx,
      ws.map((w) => w.distributorId),
    );
    const awaitsReceipt = (w: StoredWithdrawal) => w.status === 'paying' && w.packageInfo !== null;
    const mchId = deps.transfers && ws.some(awaitsReceipt) ? await deps.transfers.merchantId(ctx) : null;
    return ws.map((w) => ({
      id: w.id,
      billNo: w.billNo,
      distributor: person(w.distributorId, who.get(w.distributorId)),
      amountFen: w.amountFen,
      status: w.status,
      method: w.method,
      transferBillNo: w.transferBillNo,
      packageInfo: w.status === 'paying' ? w.packageInfo : null,
      mchId: awaitsReceipt(w) ? mchId : null,
      reason: w.reason,
      requestedAt: iso(w.requestedAt),
      decidedAt: isoOrNull(w.decidedAt),
      paidAt: isoOrNull(w.paidAt),
    }));
  }

  async function mustDistributor(ctx: TenantContext, id: number): Promise<StoredDistributor> {
    const d = (await repo.distributors(ctx, [id])).get(id);
    if (!d) throw new NotFoundError('DISTRIBUTOR_NOT_FOUND');
    return d;
  }

  async function oneDistributor(ctx: TenantContext, id: number): Promise<Distributor> {
    return (await distributorViews(ctx, [await mustDistributor(ctx, id)]))[0]!;
  }

  async function oneWithdrawal(ctx: TenantContext, id: number): Promise<Withdrawal> {
    const w = await repo.withdrawal(ctx, id);
    if (!w) throw new NotFoundError('WITHDRAWAL_NOT_FOUND');
    return (await withdrawalViews(ctx, [w]))[0]!;
  }

  async function centre(ctx: TenantContext): Promise<DistributionCentre> {
    const shopperId = shopperIdOf(ctx);
    const [settings, mine, binding] = await Promise.all([
      commission.settingsOf(ctx),
      repo.distributors(ctx, [shopperId]),
      repo.bindings(ctx, [shopperId]),
    ]);
    const me = mine.get(shopperId);
    const boundTo = binding.get(shopperId)?.distributorId;
    const who = boundTo === undefined ? new Map() : await deps.shoppers.identities(ctx, [boundTo]);
    return {
      enabled: settings.enabled,
      applyMode: settings.applyMode,
      withdrawMinFen: settings.withdrawMinFen,
      me: me ? (await distributorViews(ctx, [me]))[0]! : null,
      boundTo: boundTo === undefined ? null : person(boundTo, who.get(boundTo)),
    };
  }

  /** Moves a withdrawal's money out of `withdrawing`: paid (to `withdrawn`), or back to `available`. */
  async function settleWithdrawal(
    tctx: TenantContext,
    w: StoredWithdrawal,
    to: Extract<WithdrawalStatus, 'paid' | 'rejected' | 'failed'>,
    patch: Partial<StoredWithdrawal>,
  ): Promise<void> {
    const d = (await repo.lock(tctx, [w.distributorId])).get(w.distributorId)!;
    const at = now();
    if (to === 'paid')
      await commission.record(
        tctx,
        d,
        commission.change('withdraw_paid', { withdrawingFen: -w.amountFen, withdrawalId: w.id }),
        at,
      );
    else
      await commission.record(
        tctx,
        d,
        commission.change('withdraw_returned', {
          withdrawingFen: -w.amountFen,
          availableFen: w.amountFen,
          withdrawalId: w.id,
        }),
        at,
      );
    await repo.updateWithdrawal(tctx, w.id, { ...patch, status: to, ...(to === 'paid' ? { paidAt: at } : {}) });
  }

  /** Applies a transfer's state to a withdrawal being paid (locked again: a second answer changes nothing). */
  async function applyTransfer(ctx: TenantContext, id: number, state: TransferState): Promise<void> {
    await inTx(ctx, async (tctx) => {
      const w = await repo.withdrawal(tctx, id, { lock: true });
      if (!w || w.status !== 'paying') return;
      if (state.state === 'success')
        await settleWithdrawal(tctx, w, 'paid', { transferBillNo: state.transferBillNo ?? w.transferBillNo });
      else if (state.state === 'failed')
        await settleWithdrawal(tctx, w, 'failed', {
          transferBillNo: state.transferBillNo ?? w.transferBillNo,
          reason: state.failReason,
        });
      else
        await repo.updateWithdrawal(tctx, id, {
          transferBillNo: state.transferBillNo ?? w.transferBillNo,
          packageInfo: state.packageInfo ?? w.packageInfo,
        });
    });
  }

  async function decide(
    ctx: TenantContext,
    id: number,
    to: Exclude<DistributorStatus, 'pending'>,
    reason: string | null,
  ): Promise<Distributor> {
    await inTx(ctx, async (tctx) => {
      const d = (await repo.lock(tctx, [id])).get(id);
      if (!d) throw new NotFoundError('DISTRIBUTOR_NOT_FOUND');
      const allowed: Record<typeof to, DistributorStatus[]> = {
        approved: ['pending', 'disabled'],
        rejected: ['pending'],
        disabled: ['approved'],
      };
      if (!allowed[to].includes(d.status))
        throw new ConflictError({
          reason: 'DISTRIBUTOR_NOT_PENDING',
          params: { status: d.status },
          message: `The distributor is ${d.status}`,
        });
      await repo.setStatus(tctx, id, to, now(), { reason: to === 'approved' ? null : reason });
      const action = {
        approved: 'distributor.approve',
        rejected: 'distributor.reject',
        disabled: 'distributor.disable',
      } as const;
      await deps.audit.record(tctx, {
        action: action[to],
        targetType: 'distributor',
        targetId: id,
        data: reason ? { reason } : undefined,
      });
    });
    return oneDistributor(ctx, id);
  }

  return {
    // ---- the shopper's --------------------------------------------------------------------------------------------

    centre,

    /** Applies to become a distributor: approved at once when the shop admits everyone. Applying again is harmless. */
    async apply(ctx: TenantContext): Promise<DistributionCentre> {
      const shopperId = shopperIdOf(ctx);
      const settings = await commission.settingsOf(ctx);
      if (!settings.enabled)
        throw new ConflictError({ reason: 'DISTRIBUTION_OFF', message: 'This shop has no distribution' });
      const status: DistributorStatus = settings.applyMode === 'auto' ? 'approved' : 'pending';
      await inTx(ctx, async (tctx) => {
        if (await repo.apply(tctx, shopperId, status, now())) return;
        const d = (await repo.lock(tctx, [shopperId])).get(shopperId)!;
        if (d.status === 'disabled')
          throw new ForbiddenError({ reason: 'DISTRIBUTOR_DISABLED', message: 'This distributor is disabled' });
        if (d.status === 'rejected')
          await repo.setStatus(tctx, shopperId, status, now(), { reason: null, reapplied: true });
      });
      return centre(ctx);
    },

    /**
     * A shopper arrived through a share (its code): bound to the sharer by the shop's rule, if the sharer is an approved
     * distributor other than the shopper and not bound to the shopper. `first`: a binding stays through its protection
     * period, then the next sharer may take it; `latest`: the latest sharer always does. Every decision is logged.
     */
    async arrive(ctx: TenantContext, code: string): Promise<Arrival> {
      const shopperId = shopperIdOf(ctx);
      const sharerId = await deps.sharerOf(ctx, code);
      if (sharerId === null) throw new NotFoundError('SHARE_NOT_FOUND');
      const settings = await commission.settingsOf(ctx);
      const at = now();
      const decision = await inTx(ctx, async (tctx): Promise<BindDecision> => {
        const current = await repo.lockBinding(tctx, shopperId);
        const decide = async (d: BindDecision) => {
          await repo.logBinding(
            tctx,
            { shopperId, sharerId, previousId: current?.distributorId ?? null, decision: d, code },
            at,
          );
          return d;
        };
        if (!settings.enabled) return decide('off');
        if (sharerId === shopperId) return decide('self');
        const sharer = (await repo.distributors(tctx, [sharerId])).get(sharerId);
        if (sharer?.status !== 'approved') return decide('not_distributor');
        if ((await repo.bindings(tctx, [sharerId])).get(sharerId)?.distributorId === shopperId) return decide('loop');
        if (current?.distributorId === sharerId) return decide('same');
        if (current && settings.bindMode === 'first') {
          const holder = (await repo.distributors(tctx, [current.distributorId])).get(current.distributorId);
          const protectedNow = current.protectUntil !== null && current.protectUntil.getTime() > at.getTime();
          if (holder?.status === 'approved' && protectedNow) return decide('kept');
        }
        await repo.bind(tctx, {
          shopperId,
          distributorId: sharerId,
          boundAt: at,
          protectUntil: settings.bindMode === 'first' ? new Date(at.getTime() + settings.protectDays * DAY) : null,
        });
        return decide(current ? 'moved' : 'bound');
      });
      const boundTo = (await repo.bindings(ctx, [shopperId])).get(shopperId)?.distributorId;
      const who = boundTo === undefined ? new Map() : await deps.shoppers.identities(ctx, [boundTo]);
      return {
        bound: decision === 'bound' || decision === 'moved' || decision === 'same',
        boundTo: boundTo === undefined ? null : person(boundTo, who.get(boundTo)),
      };
    },

    async team(ctx: TenantContext, level: number, page: number, pageSize: number): Promise<Page<TeamMember>> {
      const me = shopperIdOf(ctx);
      const heads = level === 1 ? [me] : await repo.approvedBoundTo(ctx, me);
      const { rows, total } = await repo.team(ctx, heads, page, pageSize);
      const ids = rows.map((r) => r.shopperId);
      const [who, ds] = await Promise.all([deps.shoppers.identities(ctx, ids), repo.distributors(ctx, ids)]);
      return {
        items: rows.map((r) => ({
          ...person(r.shopperId, who.get(r.shopperId)),
          boundAt: iso(r.boundAt),
          distributor: ds.get(r.shopperId)?.status === 'approved',
        })),
        page,
        pageSize,
        total,
      };
    },

    async myCommissions(
      ctx: TenantContext,
      q: { state?: CommissionState; page: number; pageSize: number },
    ): Promise<Page<Commission>> {
      const { rows, total } = await repo.commissions(ctx, { ...q, distributorId: shopperIdOf(ctx) });
      return { items: await commissionViews(ctx, rows), page: q.page, pageSize: q.pageSize, total };
    },

    async myWithdrawals(ctx: TenantContext, page: number, pageSize: number): Promise<Page<Withdrawal>> {
      const { rows, total } = await repo.withdrawals(ctx, { distributorId: shopperIdOf(ctx), page, pageSize });
      return { items: await withdrawalViews(ctx, rows), page, pageSize, total };
    },

    /**
     * Asks to withdraw: the amount moves from available to withdrawing under the distributor's row lock, so two
     * withdrawals of the whole balance at once leave one (the other: COMMISSION_NOT_ENOUGH).
     */
    async requestWithdrawal(ctx: TenantContext, amountFen: number): Promise<Withdrawal> {
      const shopperId = shopperIdOf(ctx);
      const settings = await commission.settingsOf(ctx);
      if (amountFen < settings.withdrawMinFen)
        throw new ConflictError({
          reason: 'WITHDRAWAL_BELOW_MINIMUM',
          params: { min: yuan(settings.withdrawMinFen) },
          message: `Withdraw at least ¥${yuan(settings.withdrawMinFen)}`,
        });
      const id = await inTx(ctx, async (tctx) => {
        const d = (await repo.lock(tctx, [shopperId])).get(shopperId);
        if (!d || (d.status !== 'approved' && d.status !== 'disabled'))
          throw new ForbiddenError({
            reason: 'DISTRIBUTOR_NOT_APPROVED',
            params: { status: d?.status ?? 'none' },
            message: 'Not a distributor',
          });
        if (d.availableFen < amountFen)
          throw new ConflictError({
            reason: 'COMMISSION_NOT_ENOUGH',
            params: { available: yuan(d.availableFen) },
            message: `¥${yuan(d.availableFen)} can be withdrawn`,
          });
        const at = now();
        const billNo = `W${chinaStamp(at)}${randomBytes(6).toString('hex').toUpperCase()}`;
        const withdrawalId = await repo.addWithdrawal(tctx, { billNo, distributorId: shopperId, amountFen }, at);
        await commission.record(
          tctx,
          d,
          commission.change('withdraw_requested', {
            availableFen: -amountFen,
            withdrawingFen: amountFen,
            withdrawalId,
          }),
          at,
        );
        return withdrawalId;
      });
      return oneWithdrawal(ctx, id);
    },

    /**
     * Two identities of one person linked (the link-phone workflow, in its transaction): `from`'s distribution becomes
     * `to`'s; a debt on one side is settled from the other's available money.
     */
    async absorbShopper(tctx: TenantContext, fromId: number, toId: number): Promise<void> {
      const locked = await repo.lock(tctx, [fromId, toId]);
      await repo.absorb(tctx, fromId, toId, { from: locked.get(fromId), to: locked.get(toId) });
      const d = (await repo.lock(tctx, [toId])).get(toId);
      const settle = d ? Math.min(d.debtFen, d.availableFen) : 0;
      if (d && settle > 0)
        await commission.record(
          tctx,
          d,
          commission.change('debt_settled', { availableFen: -settle, debtFen: -settle }),
          now(),
        );
    },

    // ---- the merchant's -------------------------------------------------------------------------------------------

    overview: (ctx: TenantContext): Promise<DistributionOverview> => repo.overview(ctx),

    settings: (ctx: TenantContext) => commission.settingsOf(ctx),

    async updateSettings(ctx: TenantContext, settings: DistributionSettings): Promise<DistributionSettings> {
      await deps.tx.transaction(ctx, async (tctx) => {
        await repo.saveSettings(tctx, settings);
        await deps.audit.record(tctx, { action: 'distribution.settings.update', data: { ...settings } });
      });
      return commission.settingsOf(ctx);
    },

    async distributors(
      ctx: TenantContext,
      q: { status?: DistributorStatus; page: number; pageSize: number },
    ): Promise<Page<Distributor>> {
      const { rows, total } = await repo.page(ctx, q);
      return { items: await distributorViews(ctx, rows), page: q.page, pageSize: q.pageSize, total };
    },

    approve: (ctx: TenantContext, id: number) => decide(ctx, id, 'approved', null),
    reject: (ctx: TenantContext, id: number, reason: string) => decide(ctx, id, 'rejected', reason),
    disable: (ctx: TenantContext, id: number, reason: string) => decide(ctx, id, 'disabled', reason),

    async ledger(ctx: TenantContext, id: number, page: number, pageSize: number): Promise<Page<CommissionEntry>> {
      await mustDistributor(ctx, id);
      const { rows, total } = await repo.entries(ctx, id, page, pageSize);
      return {
        items: rows.map((e) => ({
          id: e.id,
          kind: e.kind,
          availableFen: e.availableFen,
          frozenFen: e.frozenFen,
          withdrawingFen: e.withdrawingFen,
          debtFen: e.debtFen,
          orderId: e.orderId,
          withdrawalId: e.withdrawalId,
          createdAt: iso(e.createdAt),
        })),
        page,
        pageSize,
        total,
      };
    },

    async rules(ctx: TenantContext): Promise<CommissionRule[]> {
      const rules = await repo.rules(ctx);
      const titles = await deps.productTitles(ctx, [...rules.keys()]);
      return [...rules].map(([productId, r]) => ({ productId, title: titles.get(productId) ?? null, ...r }));
    },

    async setRule(ctx: TenantContext, productId: number, rule: CommissionRuleInput): Promise<CommissionRule> {
      const titles = await deps.productTitles(ctx, [productId]);
      if (!titles.has(productId)) throw new NotFoundError('PRODUCT_NOT_FOUND');
      await deps.tx.transaction(ctx, async (tctx) => {
        await repo.setRule(tctx, productId, rule);
        await deps.audit.record(tctx, {
          action: 'commission.rule.set',
          targetType: 'product_commission',
          targetId: productId,
          data: { ...rule },
        });
      });
      return { productId, title: titles.get(productId)!, ...rule };
    },

    async deleteRule(ctx: TenantContext, productId: number): Promise<{ ok: true }> {
      await deps.tx.transaction(ctx, async (tctx) => {
        if (!(await repo.deleteRule(tctx, productId))) throw new NotFoundError('COMMISSION_RULE_NOT_FOUND');
        await deps.audit.record(tctx, {
          action: 'commission.rule.delete',
          targetType: 'product_commission',
          targetId: productId,
        });
      });
      return { ok: true };
    },

    async commissions(
      ctx: TenantContext,
      q: { distributorId?: number; state?: CommissionState; page: number; pageSize: number },
    ): Promise<Page<Commission>> {
      const { rows, total } = await repo.commissions(ctx, q);
      return { items: await commissionViews(ctx, rows), page: q.page, pageSize: q.pageSize, total };
    },

    async withdrawals(
      ctx: TenantContext,
      q: { status?: WithdrawalStatus; page: number; pageSize: number },
    ): Promise<Page<Withdrawal>> {
      const { rows, total } = await repo.withdrawals(ctx, q);
      return { items: await withdrawalViews(ctx, rows), page: q.page, pageSize: q.pageSize, total };
    },

    /**
     * Pays a waiting withdrawal. By hand: paid at once. By WeChat Pay: marked `paying` (so it is paid once), then the
     * transfer goes out with the withdrawal's bill number (WeChat Pay's idempotency key); its answer — or, if it never
     * came, the transfer sync — settles it: paid, or failed with the money back.
     */
    async approveWithdrawal(ctx: TenantContext, id: number, method: WithdrawalMethod): Promise<Withdrawal> {
      let openid: string | null = null;
      if (method === 'wechat') {
        if (!deps.transfers || !(await deps.transfers.available(ctx)))
          throw new ConflictError({
            reason: 'WECHAT_TRANSFER_UNAVAILABLE',
            message: 'This shop cannot pay by WeChat Pay transfer',
          });
        const w = await repo.withdrawal(ctx, id);
        if (!w) throw new NotFoundError('WITHDRAWAL_NOT_FOUND');
        openid = await deps.shoppers.openid(ctx, w.distributorId);
        if (!openid)
          throw new ConflictError({ reason: 'WITHDRAWAL_NO_WECHAT', message: 'The distributor has no WeChat account' });
      }
      const w = await inTx(ctx, async (tctx) => {
        const found = await repo.withdrawal(tctx, id, { lock: true });
        if (!found) throw new NotFoundError('WITHDRAWAL_NOT_FOUND');
        if (found.status !== 'requested')
          throw new ConflictError({
            reason: 'WITHDRAWAL_NOT_WAITING',
            params: { status: found.status },
            message: `The withdrawal is ${found.status}`,
          });
        if (method === 'manual') await settleWithdrawal(tctx, found, 'paid', { method, decidedAt: now() });
        else await repo.updateWithdrawal(tctx, id, { status: 'paying', method, decidedAt: now() });
        await deps.audit.record(tctx, {
          action: 'withdrawal.approve',
          targetType: 'withdrawal',
          targetId: id,
          data: { method, amountFen: found.amountFen },
        });
        return found;
      });
      if (method === 'wechat') {
        const state = await deps
          .transfers!.transfer(ctx, {
            billNo: w.billNo,
            openid: openid!,
            amountFen: w.amountFen,
            remark: '佣金提现',
          })
          .catch((err: unknown) => {
            ctx.log.warn({ err, withdrawalId: id }, 'the transfer did not answer; the transfer sync will settle it');
            return null;
          });
        if (state) await applyTransfer(ctx, id, state);
      }
      return oneWithdrawal(ctx, id);
    },

    async rejectWithdrawal(ctx: TenantContext, id: number, reason: string): Promise<Withdrawal> {
      await inTx(ctx, async (tctx) => {
        const w = await repo.withdrawal(tctx, id, { lock: true });
        if (!w) throw new NotFoundError('WITHDRAWAL_NOT_FOUND');
        if (w.status !== 'requested')
          throw new ConflictError({
            reason: 'WITHDRAWAL_NOT_WAITING',
            params: { status: w.status },
            message: `The withdrawal is ${w.status}`,
          });
        await settleWithdrawal(tctx, w, 'rejected', { reason, decidedAt: now() });
        await deps.audit.record(tctx, {
          action: 'withdrawal.reject',
          targetType: 'withdrawal',
          targetId: id,
          data: { reason },
        });
      });
      return oneWithdrawal(ctx, id);
    },

    /**
     * The withdrawals being paid by WeChat Pay: each asked again (a bill WeChat Pay never received goes out again, with
     * the same number) and settled when final.
     */
    async syncTransfers(ctx: TenantContext): Promise<number> {
      if (!deps.transfers) return 0;
      let settled = 0;
      for (const w of await repo.paying(ctx, 100)) {
        let state = await deps.transfers.query(ctx, w.billNo);
        if (state === null) {
          const openid = await deps.shoppers.openid(ctx, w.distributorId);
          if (!openid) continue;
          state = await deps.transfers.transfer(ctx, {
            billNo: w.billNo,
            openid,
            amountFen: w.amountFen,
            remark: '佣金提现',
          });
        }
        await applyTransfer(ctx, w.id, state);
        if (state.state !== 'pending') settled++;
      }
      return settled;
    },
  };
}

export type DistributionService = ReturnType<typeof distributionService>;
