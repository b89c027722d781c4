import { couponPeriodProblems } from '@shopfleet/contracts';
import type {
  CampaignFigures,
  CopyCouponTemplateBody,
  ClaimableCoupon,
  Coupon,
  CouponDisplayStatus,
  CouponShownState,
  CouponTemplate,
  CouponTemplateInput,
  Page,
  SendCouponsResult,
} from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { shopperIdOf } from '../../kernel/context';
import type { Transactions } from '../../kernel/db/database';
import { isDuplicateKey } from '../../kernel/db/rows';
import { AppError, ConflictError, NotFoundError, ValidationError, issue as issueAt } from '../../kernel/errors';
import type { AuditService } from '../audit';
import type { CatalogService } from '../catalog';
import type { OrdersService } from '../orders';
import type { ShoppersService } from '../shoppers';
import type { CouponRules, MarketingRepository, StoredCoupon, StoredTemplate } from './marketing.repository';
import { NO_FIGURES, type CampaignOrdersRepository } from './campaign-orders.repository';
import { covers } from './offers';

const DAY_MS = 24 * 60 * 60 * 1000;

const SOLD_OUT = { reason: 'COUPON_SOLD_OUT', message: 'Every coupon of this template is issued' } as const;
const NOT_CLAIMABLE = { reason: 'COUPON_NOT_CLAIMABLE', message: 'This coupon cannot be claimed now' } as const;
const NEW_ONLY = { reason: 'COUPON_NEW_SHOPPERS_ONLY', message: 'For shoppers with no paid order' } as const;
const NOT_SENDABLE = { reason: 'COUPON_NOT_SENDABLE', message: 'This template is not sent by the shop now' } as const;
const limitReached = (limit: number) =>
  new ConflictError({ reason: 'CLAIM_LIMIT_REACHED', params: { limit }, message: `At most ${limit} per shopper` });

/**
 * What the console shows of a campaign (a template's claim period, a promotion, a flash session, a group campaign) at
 * `now`: stopped by the merchant, or where `now` falls in its period.
 */
export function periodStatus(status: string, from: Date, to: Date, now: Date): CouponDisplayStatus {
  if (status === 'stopped') return 'stopped';
  if (now < from) return 'not_started';
  if (now >= to) return 'ended';
  return 'running';
}

/** A template's display status at `now`: stopped by the merchant, or where `now` falls in its claim period. */
export const displayStatus = (t: Pick<StoredTemplate, 'status' | 'claimFrom' | 'claimTo'>, now: Date) =>
  periodStatus(t.status, t.claimFrom, t.claimTo, now);

/** The validity of a coupon issued at `at`: the template's fixed dates, or `validDays` from then. */
export function validityAt(t: Pick<StoredTemplate, 'validFrom' | 'validTo' | 'validDays'>, at: Date) {
  if (t.validFrom && t.validTo) return { validFrom: t.validFrom, validTo: t.validTo };
  return { validFrom: at, validTo: new Date(at.getTime() + (t.validDays ?? 0) * DAY_MS) };
}

const rulesOf = (t: CouponRules): CouponRules => ({
  name: t.name,
  kind: t.kind,
  thresholdFen: t.thresholdFen,
  amountOffFen: t.amountOffFen,
  discountPercent: t.discountPercent,
  maxOffFen: t.maxOffFen,
  scope: t.scope,
  scopeIds: t.scopeIds,
  excludedProductIds: t.excludedProductIds,
  combinesWith: t.combinesWith,
});

const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/** What a template's list or page shows besides its row: coupons used, and what its campaign brought. */
interface TemplateFigures {
  used: number;
  figures: CampaignFigures;
}

function templateView(t: StoredTemplate, now: Date, f: TemplateFigures): CouponTemplate {
  return {
    ...rulesOf(t),
    id: t.id,
    claimFrom: t.claimFrom.toISOString(),
    claimTo: t.claimTo.toISOString(),
    validFrom: isoOrNull(t.validFrom),
    validTo: isoOrNull(t.validTo),
    validDays: t.validDays,
    totalQuantity: t.totalQuantity,
    perShopperLimit: t.perShopperLimit,
    audience: t.audience,
    issueMode: t.issueMode,
    status: t.status,
    displayStatus: displayStatus(t, now),
    issued: t.issued,
    used: f.used,
    remaining: Math.max(0, t.totalQuantity - t.issued),
    figures: f.figures,
    createdAt: t.createdAt.toISOString(),
  };
}

export function couponView(c: StoredCoupon, now: Date): Coupon {
  return {
    ...rulesOf(c),
    id: c.id,
    templateId: c.templateId,
    state: c.state === 'used' ? 'used' : c.validTo <= now ? 'expired' : 'unused',
    validFrom: c.validFrom.toISOString(),
    validTo: c.validTo.toISOString(),
    orderId: c.orderId,
    claimedAt: c.claimedAt.toISOString(),
    usedAt: isoOrNull(c.usedAt),
  };
}

export interface CouponsDeps {
  repo: MarketingRepository;
  campaigns: CampaignOrdersRepository;
  tx: Transactions;
  orders: Pick<OrdersService, 'hasPaidOrder'>;
  shoppers: Pick<ShoppersService, 'get'>;
  /** Where a product sits (its category path), for the coupons that cover it. */
  catalog: Pick<CatalogService, 'productPlaces'>;
  audit: AuditService;
  now?: () => Date;
}

/**
 * Coupons: the merchant writes templates (满减 / 折扣 / 无门槛); shoppers claim coupons of them in the coupon centre, or
 * the merchant sends them. Issuing is exact under any concurrency: one guarded UPDATE takes from the template's remaining
 * and the coupons are inserted under a unique (template, shopper, seq) key in the same transaction, so the total and the
 * per-shopper limit both hold and `issued` always equals the coupon rows. Using coupons at checkout comes next.
 */
export function couponsService(deps: CouponsDeps) {
  const now = deps.now ?? (() => new Date());
  const { repo } = deps;

  /** The templates as the console shows them, with their figures (two grouped queries for a page). */
  async function views(ctx: TenantContext, list: StoredTemplate[]): Promise<CouponTemplate[]> {
    const ids = list.map((t) => t.id);
    const [used, figures] = await Promise.all([
      repo.usedByTemplate(ctx, ids),
      deps.campaigns.figures(ctx, 'coupon', ids),
    ]);
    const at = now();
    return list.map((t) =>
      templateView(t, at, { used: used.get(t.id) ?? 0, figures: figures.get(t.id) ?? NO_FIGURES }),
    );
  }

  const viewOf = async (ctx: TenantContext, t: StoredTemplate) => (await views(ctx, [t]))[0]!;

  async function mustGet(ctx: TenantContext, id: number): Promise<StoredTemplate> {
    const t = await repo.templateById(ctx, id);
    if (!t) throw new NotFoundError('COUPON_TEMPLATE_NOT_FOUND');
    return t;
  }

  /**
   * Issues `n` coupons of a template to one shopper, all or none, in one transaction: the guarded take from the
   * remaining first (its row lock orders issuers of the template), then the shopper's next seqs under the unique key.
   * Any refusal rolls the take back, so `issued` stays equal to the rows.
   */
  async function issue(ctx: TenantContext, t: StoredTemplate, shopperId: number, n: number): Promise<number> {
    if (t.audience === 'new_shoppers' && (await deps.orders.hasPaidOrder(ctx, shopperId)))
      throw new ConflictError(NEW_ONLY);
    const at = now();
    try {
      return await deps.tx.transaction(ctx, async (tctx) => {
        if (!(await repo.takeIssue(tctx, t.id, n, t.issueMode, at))) {
          const current = await mustGet(tctx, t.id);
          if (displayStatus(current, at) !== 'running')
            throw new ConflictError(t.issueMode === 'send' ? NOT_SENDABLE : NOT_CLAIMABLE);
          throw new ConflictError(SOLD_OUT);
        }
        const held = await repo.countHeld(tctx, t.id, shopperId);
        if (held + n > t.perShopperLimit) throw limitReached(t.perShopperLimit);
        const validity = validityAt(t, at);
        return repo.insertCoupons(
          tctx,
          Array.from({ length: n }, (_, i) => ({
            templateId: t.id,
            shopperId,
            claimSeq: held + i + 1,
            ...validity,
            claimedAt: at,
          })),
        );
      });
    } catch (err) {
      if (isDuplicateKey(err)) throw limitReached(t.perShopperLimit);
      throw err;
    }
  }

  return {
    /**
     * A merge (in its transaction): the coupons of `fromId`, used or not, become `toId`'s, numbered after theirs. The
     * survivor may then hold more of a template than its per-shopper limit: nothing is taken away.
     */
    absorbShopper: (tctx: TenantContext, fromId: number, toId: number): Promise<number> =>
      repo.reassignShopper(tctx, fromId, toId),

    /** Creates a template, running from its claim period. */
    async create(ctx: TenantContext, input: CouponTemplateInput): Promise<CouponTemplate> {
      const id = await deps.tx.transaction(ctx, async (tctx) => {
        const created = await repo.insertTemplate(tctx, {
          name: input.name,
          kind: input.kind,
          thresholdFen: input.thresholdFen,
          amountOffFen: input.amountOffFen ?? null,
          discountPercent: input.discountPercent ?? null,
          maxOffFen: input.maxOffFen ?? null,
          scope: input.scope,
          scopeIds: input.scopeIds,
          excludedProductIds: input.excludedProductIds,
          combinesWith: input.combinesWith,
          claimFrom: new Date(input.claimFrom),
          claimTo: new Date(input.claimTo),
          validFrom: input.validFrom ? new Date(input.validFrom) : null,
          validTo: input.validTo ? new Date(input.validTo) : null,
          validDays: input.validDays ?? null,
          totalQuantity: input.totalQuantity,
          perShopperLimit: input.perShopperLimit,
          audience: input.audience,
          issueMode: input.issueMode,
        });
        await deps.audit.record(tctx, {
          action: 'coupon.template.create',
          targetType: 'coupon_template',
          targetId: created,
        });
        return created;
      });
      return viewOf(ctx, await mustGet(ctx, id));
    },

    /** The shop's templates, newest first, of one display status when given. */
    async list(
      ctx: TenantContext,
      q: { status?: CouponDisplayStatus; page: number; pageSize: number },
    ): Promise<Page<CouponTemplate>> {
      const at = now();
      const { rows, total } = await repo.list(ctx, { ...q, now: at });
      return { items: await views(ctx, rows), page: q.page, pageSize: q.pageSize, total };
    },

    /** A template with its figures. */
    async get(ctx: TenantContext, id: number): Promise<CouponTemplate> {
      return viewOf(ctx, await mustGet(ctx, id));
    },

    /** Renames a template or changes its total; the total never goes below the coupons issued. */
    async update(
      ctx: TenantContext,
      id: number,
      body: { name?: string; totalQuantity?: number },
    ): Promise<CouponTemplate> {
      await deps.tx.transaction(ctx, async (tctx) => {
        const t = await mustGet(tctx, id);
        if (body.name !== undefined) await repo.rename(tctx, id, body.name);
        if (body.totalQuantity !== undefined && !(await repo.setTotal(tctx, id, body.totalQuantity))) {
          const issued = (await mustGet(tctx, id)).issued;
          throw new ConflictError({
            reason: 'COUPON_TOTAL_BELOW_ISSUED',
            params: { issued },
            message: `${issued} coupons are issued already`,
          });
        }
        await deps.audit.record(tctx, {
          action: 'coupon.template.update',
          targetType: 'coupon_template',
          targetId: id,
          data: { from: { name: t.name, totalQuantity: t.totalQuantity }, to: body },
        });
      });
      return viewOf(ctx, await mustGet(ctx, id));
    },

    /** Stops a template early: no claim or send takes from it after; the coupons issued stay valid. Stopping twice is a no-op. */
    async stop(ctx: TenantContext, id: number): Promise<CouponTemplate> {
      await deps.tx.transaction(ctx, async (tctx) => {
        await mustGet(tctx, id);
        if (await repo.stop(tctx, id))
          await deps.audit.record(tctx, {
            action: 'coupon.template.stop',
            targetType: 'coupon_template',
            targetId: id,
          });
      });
      return viewOf(ctx, await mustGet(ctx, id));
    },

    /**
     * A new template with the same rules, running, its counters at zero: the name and periods given, or the same. The
     * periods that result are checked as a new template's are (a copy of an ended campaign is given new dates).
     */
    async copy(ctx: TenantContext, id: number, body: CopyCouponTemplateBody): Promise<CouponTemplate> {
      const t = await mustGet(ctx, id);
      const newValidity = body.validDays !== undefined || body.validFrom !== undefined;
      const periods = {
        claimFrom: body.claimFrom ?? t.claimFrom.toISOString(),
        claimTo: body.claimTo ?? t.claimTo.toISOString(),
        validFrom: newValidity ? body.validFrom : t.validFrom?.toISOString(),
        validTo: newValidity ? body.validTo : t.validTo?.toISOString(),
        validDays: newValidity ? body.validDays : (t.validDays ?? undefined),
      };
      const problems = couponPeriodProblems(periods);
      if (problems.length) {
        // As the schema's own checks answer: invalid input, each problem an issue with its reason.
        throw new ValidationError(
          { reason: 'INVALID_INPUT', message: 'invalid body' },
          { issues: problems.map((p) => issueAt(`body.${p.path}`, { reason: p.reason, message: p.message })) },
        );
      }
      const copyId = await deps.tx.transaction(ctx, async (tctx) => {
        const created = await repo.insertTemplate(tctx, {
          ...t,
          name: body.name ?? t.name,
          claimFrom: new Date(periods.claimFrom),
          claimTo: new Date(periods.claimTo),
          validFrom: periods.validFrom ? new Date(periods.validFrom) : null,
          validTo: periods.validTo ? new Date(periods.validTo) : null,
          validDays: periods.validDays ?? null,
        });
        await deps.audit.record(tctx, {
          action: 'coupon.template.copy',
          targetType: 'coupon_template',
          targetId: created,
          data: { from: id },
        });
        return created;
      });
      return viewOf(ctx, await mustGet(ctx, copyId));
    },

    /**
     * Sends `quantity` coupons of a send-mode template to each named shopper of the shop, each shopper all or none:
     * the total and the per-shopper limit hold as for claims. Says who received them and why the others did not.
     */
    async send(
      ctx: TenantContext,
      id: number,
      body: { shopperIds: number[]; quantity: number },
    ): Promise<SendCouponsResult> {
      const t = await mustGet(ctx, id);
      if (t.issueMode !== 'send' || displayStatus(t, now()) !== 'running') throw new ConflictError(NOT_SENDABLE);
      const result: SendCouponsResult = { sent: [], refused: [] };
      for (const shopperId of body.shopperIds) {
        try {
          await deps.shoppers.get(ctx, shopperId);
          await issue(ctx, t, shopperId, body.quantity);
          result.sent.push(shopperId);
        } catch (err) {
          const reason = err instanceof AppError ? err.reason : undefined;
          if (!reason) throw err;
          result.refused.push({ shopperId, reason });
        }
      }
      await deps.audit.record(ctx, {
        action: 'coupon.send',
        targetType: 'coupon_template',
        targetId: id,
        data: { quantity: body.quantity, sent: result.sent.length, refused: result.refused.length },
      });
      return result;
    },

    /**
     * The coupon centre: templates shoppers claim now, with whether this shopper still can and why not; for a product
     * (可领优惠券 on its page), those whose scope covers it.
     */
    async centre(ctx: TenantContext, productId?: number): Promise<ClaimableCoupon[]> {
      const shopperId = shopperIdOf(ctx);
      const at = now();
      let list = await repo.claimable(ctx, at);
      if (productId !== undefined) {
        const product = (await deps.catalog.productPlaces(ctx, [productId])).get(productId);
        list = product ? list.filter((t) => covers(t, product)) : [];
      }
      const [held, paid] = await Promise.all([
        repo.heldByTemplate(
          ctx,
          shopperId,
          list.map((t) => t.id),
        ),
        list.some((t) => t.audience === 'new_shoppers') ? deps.orders.hasPaidOrder(ctx, shopperId) : false,
      ]);
      return list.map((t) => {
        const mine = held.get(t.id) ?? 0;
        const why =
          mine >= t.perShopperLimit
            ? ('CLAIM_LIMIT_REACHED' as const)
            : t.audience === 'new_shoppers' && paid
              ? ('COUPON_NEW_SHOPPERS_ONLY' as const)
              : t.issued >= t.totalQuantity
                ? ('COUPON_SOLD_OUT' as const)
                : null;
        return {
          ...rulesOf(t),
          id: t.id,
          claimTo: t.claimTo.toISOString(),
          validFrom: isoOrNull(t.validFrom),
          validTo: isoOrNull(t.validTo),
          validDays: t.validDays,
          perShopperLimit: t.perShopperLimit,
          audience: t.audience,
          claimedByMe: mine,
          canClaim: why === null,
          cannotClaimReason: why,
        };
      });
    },

    /**
     * A new shopper's first sign-in: one coupon of each running 新人券 template (issued at first sign-in), each exact
     * against its total as a claim is. A template sold out or stopped meanwhile is passed over.
     */
    async welcome(ctx: TenantContext, shopperId: number): Promise<number> {
      let given = 0;
      for (const t of await repo.claimable(ctx, now(), 'first_sign_in')) {
        try {
          await issue(ctx, t, shopperId, 1);
          given++;
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          ctx.log.info({ templateId: t.id, reason: err.reason }, 'a first-sign-in coupon was not given');
        }
      }
      return given;
    },

    /** Claims one coupon of a claim-mode template for the signed-in shopper: exact against the total and the limit. */
    async claim(ctx: TenantContext, templateId: number): Promise<Coupon> {
      const shopperId = shopperIdOf(ctx);
      const t = await mustGet(ctx, templateId);
      if (t.issueMode !== 'claim') throw new ConflictError(NOT_CLAIMABLE);
      const id = await issue(ctx, t, shopperId, 1);
      const c = await repo.couponById(ctx, id);
      return couponView(c!, now());
    },

    /** The signed-in shopper's own coupons in one state (unused, used, expired), newest first. */
    async mine(
      ctx: TenantContext,
      q: { state: CouponShownState; page: number; pageSize: number },
    ): Promise<Page<Coupon>> {
      const at = now();
      const { rows, total } = await repo.ofShopper(ctx, { ...q, shopperId: shopperIdOf(ctx), now: at });
      return { items: rows.map((c) => couponView(c, at)), page: q.page, pageSize: q.pageSize, total };
    },
  };
}

export type CouponsService = ReturnType<typeof couponsService>;
