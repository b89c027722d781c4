import {
  MEMBER_LIMITS,
  type MemberCentre,
  type MemberDetail,
  type MemberLevel,
  type MemberLevelInput,
  type MemberListQuery,
  type MemberSettings,
  type MemberSummary,
  type Page,
  type PointsEntry,
  type ProductCard,
  type SavedProduct,
  type SignInResult,
} from '@shopfleet/contracts';
import { chinaDay } from '../../kernel/china-time';
import { actorId, shopperIdOf, type TenantContext } from '../../kernel/context';
import type { Transactions } from '../../kernel/db/database';
import { retryOnDeadlock } from '../../kernel/db/retry';
import { iso, isoOrNull } from '../../kernel/db/rows';
import { ConflictError, NotFoundError } from '../../kernel/errors';
import type { AuditService } from '../audit';
import type { ShoppersService } from '../shoppers';
import type { MembersRepository, StoredEntry, StoredLevel, StoredMember } from './members.repository';
import type { PointsService } from './points.service';

export interface MembersDeps {
  repo: MembersRepository;
  points: PointsService;
  tx: Transactions;
  audit: AuditService;
  /** Shoppers as the member lists show them, a nickname or phone search, the shoppers by last visit. */
  shoppers: Pick<ShoppersService, 'identities' | 'search' | 'recentlySeen'>;
  /** The cards of products on sale, by id (catalog's); a product not on sale is absent. */
  cards(ctx: TenantContext, productIds: number[]): Promise<Map<number, ProductCard>>;
  now?: () => Date;
}

const dayBefore = (day: string): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** What signing in on the n-th day of a streak gives: the rules' n-th reward, the last one repeating. */
const rewardOf = (rewards: readonly number[], streak: number): number =>
  rewards[Math.min(streak, rewards.length) - 1] ?? 0;

const toEntry = (e: StoredEntry): PointsEntry => ({
  id: e.id,
  kind: e.kind,
  available: e.available,
  frozen: e.frozen,
  debt: e.debt,
  orderId: e.orderId,
  reason: e.reason,
  createdAt: iso(e.createdAt),
});

/**
 * Members (会员): the shopper's centre, sign-in, points ledger, favourites and history; the merchant's member list,
 * detail, points adjustments, levels and rules. Points themselves move in `points.service.ts`.
 */
export function membersService(deps: MembersDeps) {
  const { repo, points } = deps;
  const now = deps.now ?? (() => new Date());

  const levelRef = (levels: StoredLevel[], id: number | null) => {
    const l = id === null ? undefined : levels.find((x) => x.id === id);
    return l ? { id: l.id, name: l.name, discountPercent: l.discountPercent } : null;
  };

  const blank = (shopperId: number): StoredMember => ({
    shopperId,
    growth: 0,
    levelId: null,
    points: 0,
    pointsFrozen: 0,
    pointsDebt: 0,
    ordersCount: 0,
    spendFen: 0,
    signStreak: 0,
    lastSignOn: null,
    createdAt: new Date(0),
  });

  /** The streak as of today: yesterday's carries on, an older one is broken. */
  const currentStreak = (m: StoredMember, today: string) =>
    m.lastSignOn === today || m.lastSignOn === dayBefore(today) ? m.signStreak : 0;

  async function summaries(ctx: TenantContext, members: StoredMember[]): Promise<MemberSummary[]> {
    const [levels, identities, spendable] = await Promise.all([
      repo.levels(ctx),
      deps.shoppers.identities(
        ctx,
        members.map((m) => m.shopperId),
      ),
      repo.spendable(
        ctx,
        members.map((m) => m.shopperId),
        now(),
      ),
    ]);
    return members.flatMap((m) => {
      const who = identities.get(m.shopperId);
      if (!who) return [];
      return [
        {
          shopperId: m.shopperId,
          nickname: who.nickname,
          avatarUrl: who.avatarUrl,
          phoneMasked: who.phoneMasked,
          hasWechat: who.hasWechat,
          level: levelRef(levels, m.levelId),
          growth: m.growth,
          points: { available: spendable.get(m.shopperId) ?? 0, frozen: m.pointsFrozen, debt: m.pointsDebt },
          orders: m.ordersCount,
          spendFen: m.spendFen,
          lastVisitAt: isoOrNull(who.lastVisitAt),
          joinedAt: iso(who.joinedAt),
        },
      ];
    });
  }

  async function detail(ctx: TenantContext, shopperId: number): Promise<MemberDetail> {
    const m = (await repo.members(ctx, [shopperId])).get(shopperId) ?? blank(shopperId);
    const [summary] = await summaries(ctx, [m]);
    if (!summary) throw new NotFoundError('MEMBER_NOT_FOUND');
    return {
      ...summary,
      signInStreak: currentStreak(m, chinaDay(now())),
      lastSignInOn: m.lastSignOn,
      favourites: await repo.countFavourites(ctx, shopperId),
    };
  }

  async function centre(ctx: TenantContext, shopperId: number): Promise<MemberCentre> {
    const at = now();
    const [settings, levels, members, spendable, expiring, favourites] = await Promise.all([
      points.settingsOf(ctx),
      repo.levels(ctx),
      repo.members(ctx, [shopperId]),
      points.spendableOf(ctx, shopperId, at),
      repo.nextExpiry(ctx, shopperId, at, new Date(at.getTime() + 30 * 86_400_000)),
      repo.countFavourites(ctx, shopperId),
    ]);
    const m = members.get(shopperId) ?? blank(shopperId);
    const today = chinaDay(at);
    const signedToday = m.lastSignOn === today;
    const streak = currentStreak(m, today);
    const next = levels.find((l) => l.growthThreshold > m.growth) ?? null;
    return {
      level: levelRef(levels, m.levelId),
      nextLevel: next && { name: next.name, growthThreshold: next.growthThreshold },
      growth: m.growth,
      pointsEnabled: settings.pointsEnabled,
      points: { available: spendable, frozen: m.pointsFrozen, debt: m.pointsDebt },
      expiring: expiring && { points: expiring.points, at: iso(expiring.at) },
      signIn: {
        signedToday,
        streak,
        todayReward: rewardOf(settings.signInRewards, signedToday ? streak : streak + 1),
        rewards: settings.signInRewards,
      },
      favourites,
    };
  }

  async function savedPage(
    ctx: TenantContext,
    found: { rows: Array<{ productId: number; at: Date }>; total: number },
    page: number,
    pageSize: number,
  ): Promise<Page<SavedProduct>> {
    const cards = await deps.cards(
      ctx,
      found.rows.map((r) => r.productId),
    );
    return {
      items: found.rows.map((r) => ({ productId: r.productId, card: cards.get(r.productId) ?? null, at: iso(r.at) })),
      page,
      pageSize,
      total: found.total,
    };
  }

  async function mustBeOnSale(ctx: TenantContext, productId: number): Promise<void> {
    if (!(await deps.cards(ctx, [productId])).has(productId)) throw new NotFoundError('PRODUCT_NOT_FOUND');
  }

  async function levelView(ctx: TenantContext, id: number): Promise<MemberLevel> {
    const [levels, counts] = await Promise.all([repo.levels(ctx), repo.levelCounts(ctx)]);
    const l = levels.find((x) => x.id === id);
    if (!l) throw new NotFoundError('MEMBER_LEVEL_NOT_FOUND');
    return { ...l, members: counts.get(l.id) ?? 0 };
  }

  const thresholdTaken = () =>
    new ConflictError({
      reason: 'MEMBER_LEVEL_THRESHOLD_TAKEN',
      message: 'Another level starts at this growth value',
    });

  /** Changes the levels and places every member again, with the level list locked so that changes queue. */
  function changeLevels<T>(ctx: TenantContext, fn: (tctx: TenantContext) => Promise<T>): Promise<T> {
    return deps.tx.transaction(ctx, async (tctx) => {
      await repo.lockLevels(tctx);
      const out = await fn(tctx);
      await repo.placeAll(tctx, await repo.levels(tctx));
      return out;
    });
  }

  return {
    // ---- the shopper's --------------------------------------------------------------------------------------------

    /**
     * Two identities of one person linked (the link-phone workflow, in its transaction): `from`'s points, growth,
     * orders' records, sign-ins, favourites and history become `to`'s.
     */
    absorbShopper: (tctx: TenantContext, fromId: number, toId: number) => points.absorb(tctx, fromId, toId),

    /** A new shopper becomes a member (level by growth 0, no points). */
    join: (ctx: TenantContext, shopperId: number) => repo.join(ctx, shopperId),

    centre: (ctx: TenantContext) => centre(ctx, shopperIdOf(ctx)),

    /**
     * Today's sign-in: once per day in China time. The member row is locked first, so concurrent taps queue and the
     * second finds today signed; the (shopper, day) key stops any that would not.
     */
    async signIn(ctx: TenantContext): Promise<SignInResult> {
      const shopperId = shopperIdOf(ctx);
      const settings = await points.settingsOf(ctx);
      if (!settings.pointsEnabled)
        throw new ConflictError({ reason: 'POINTS_OFF', message: 'This shop gives no points' });
      const signedIn = () => new ConflictError({ reason: 'SIGNED_IN_TODAY', message: 'Signed in today already' });
      const today = chinaDay(now());
      // Repeated taps are answered from a plain read; only a sign-in that may be the day's first takes the lock.
      if ((await repo.members(ctx, [shopperId])).get(shopperId)?.lastSignOn === today) throw signedIn();
      const result = await retryOnDeadlock(() =>
        deps.tx.transaction(ctx, async (tctx) => {
          const m = await points.lockOne(tctx, shopperId);
          if (m.lastSignOn === today) throw signedIn();
          const streak = currentStreak(m, today) + 1;
          const reward = rewardOf(settings.signInRewards, streak);
          if (!(await repo.addSignIn(tctx, { shopperId, on: today, streak, points: reward }))) throw signedIn();
          await repo.setMember(tctx, shopperId, { signStreak: streak, lastSignOn: today });
          await points.give(tctx, m, reward, 'sign_in', { kind: 'sign_in' });
          return { points: reward, streak };
        }),
      );
      return { ...result, centre: await centre(ctx, shopperId) };
    },

    async myPoints(ctx: TenantContext, page: number, pageSize: number): Promise<Page<PointsEntry>> {
      const { rows, total } = await repo.entries(ctx, shopperIdOf(ctx), page, pageSize);
      return { items: rows.map(toEntry), page, pageSize, total };
    },

    async favourites(ctx: TenantContext, page: number, pageSize: number): Promise<Page<SavedProduct>> {
      return savedPage(ctx, await repo.favourites(ctx, shopperIdOf(ctx), page, pageSize), page, pageSize);
    },

    async isFavourite(ctx: TenantContext, productId: number) {
      return { favourite: await repo.isFavourite(ctx, shopperIdOf(ctx), productId) };
    },

    async addFavourite(ctx: TenantContext, productId: number) {
      const shopperId = shopperIdOf(ctx);
      if (await repo.isFavourite(ctx, shopperId, productId)) return { favourite: true };
      await mustBeOnSale(ctx, productId);
      const max = MEMBER_LIMITS.favouritesMax;
      if ((await repo.countFavourites(ctx, shopperId)) >= max)
        throw new ConflictError({ reason: 'FAVOURITES_FULL', params: { max }, message: `At most ${max} favourites` });
      await repo.addFavourite(ctx, shopperId, productId);
      return { favourite: true };
    },

    async removeFavourite(ctx: TenantContext, productId: number) {
      await repo.removeFavourite(ctx, shopperIdOf(ctx), productId);
      return { favourite: false };
    },

    async history(ctx: TenantContext, page: number, pageSize: number): Promise<Page<SavedProduct>> {
      return savedPage(ctx, await repo.history(ctx, shopperIdOf(ctx), page, pageSize), page, pageSize);
    },

    /** A product seen: the history keeps the latest `historyKept` products. */
    async recordView(ctx: TenantContext, productId: number): Promise<{ ok: true }> {
      const shopperId = shopperIdOf(ctx);
      await mustBeOnSale(ctx, productId);
      await repo.recordView(ctx, shopperId, productId, now());
      await repo.trimHistory(ctx, shopperId, MEMBER_LIMITS.historyKept);
      return { ok: true };
    },

    async clearHistory(ctx: TenantContext): Promise<{ ok: true }> {
      await repo.clearHistory(ctx, shopperIdOf(ctx));
      return { ok: true };
    },

    // ---- the merchant's -------------------------------------------------------------------------------------------

    /**
     * The member list. A search (nickname or phone) asks the shoppers first; sorting by last visit pages the shoppers
     * by their last sign-in. Every shopper is a member: one with no member row yet shows as blank.
     */
    async list(ctx: TenantContext, q: MemberListQuery): Promise<Page<MemberSummary>> {
      if (q.sort === 'last_visit' && q.q === undefined && q.levelId === undefined) {
        const { ids, total } = await deps.shoppers.recentlySeen(ctx, q.page, q.pageSize);
        const found = await repo.members(ctx, ids);
        const items = await summaries(
          ctx,
          ids.map((id) => found.get(id) ?? blank(id)),
        );
        return { items, page: q.page, pageSize: q.pageSize, total };
      }
      const shopperIds = q.q === undefined ? undefined : await deps.shoppers.search(ctx, q.q, 500);
      const sort = q.sort === 'last_visit' ? 'newest' : q.sort;
      const { rows, total } = await repo.page(ctx, {
        shopperIds,
        levelId: q.levelId,
        sort,
        page: q.page,
        pageSize: q.pageSize,
      });
      return { items: await summaries(ctx, rows), page: q.page, pageSize: q.pageSize, total };
    },

    get: detail,

    async pointsOf(ctx: TenantContext, shopperId: number, page: number, pageSize: number): Promise<Page<PointsEntry>> {
      await detail(ctx, shopperId);
      const { rows, total } = await repo.entries(ctx, shopperId, page, pageSize);
      return { items: rows.map(toEntry), page, pageSize, total };
    },

    async adjust(ctx: TenantContext, shopperId: number, delta: number, reason: string): Promise<MemberDetail> {
      await detail(ctx, shopperId);
      await retryOnDeadlock(() =>
        deps.tx.transaction(ctx, async (tctx) => {
          await points.adjust(tctx, shopperId, delta, reason, actorId(ctx.actor));
          await deps.audit.record(tctx, {
            action: 'member.points.adjust',
            targetType: 'member',
            targetId: shopperId,
            data: { delta, reason },
          });
        }),
      );
      return detail(ctx, shopperId);
    },

    async levels(ctx: TenantContext): Promise<MemberLevel[]> {
      const [levels, counts] = await Promise.all([repo.levels(ctx), repo.levelCounts(ctx)]);
      return levels.map((l) => ({ ...l, members: counts.get(l.id) ?? 0 }));
    },

    async createLevel(ctx: TenantContext, input: MemberLevelInput): Promise<MemberLevel> {
      const id = await changeLevels(ctx, async (tctx) => {
        const max = MEMBER_LIMITS.levelsMax;
        if ((await repo.levels(tctx)).length >= max)
          throw new ConflictError({ reason: 'MEMBER_LEVELS_FULL', params: { max }, message: `At most ${max} levels` });
        const created = await repo.createLevel(tctx, input);
        if (created === null) throw thresholdTaken();
        await deps.audit.record(tctx, {
          action: 'member.level.create',
          targetType: 'member_level',
          targetId: created,
          data: { ...input },
        });
        return created;
      });
      return levelView(ctx, id);
    },

    async updateLevel(ctx: TenantContext, id: number, input: MemberLevelInput): Promise<MemberLevel> {
      await changeLevels(ctx, async (tctx) => {
        const changed = await repo.updateLevel(tctx, id, input);
        if (changed === null) throw thresholdTaken();
        if (!changed) throw new NotFoundError('MEMBER_LEVEL_NOT_FOUND');
        await deps.audit.record(tctx, {
          action: 'member.level.update',
          targetType: 'member_level',
          targetId: id,
          data: { ...input },
        });
      });
      return levelView(ctx, id);
    },

    async deleteLevel(ctx: TenantContext, id: number): Promise<{ ok: true }> {
      await changeLevels(ctx, async (tctx) => {
        if (!(await repo.deleteLevel(tctx, id))) throw new NotFoundError('MEMBER_LEVEL_NOT_FOUND');
        await deps.audit.record(tctx, { action: 'member.level.delete', targetType: 'member_level', targetId: id });
      });
      return { ok: true };
    },

    settings: (ctx: TenantContext) => points.settingsOf(ctx),

    async updateSettings(ctx: TenantContext, settings: MemberSettings): Promise<MemberSettings> {
      await deps.tx.transaction(ctx, async (tctx) => {
        await repo.saveSettings(tctx, settings);
        await deps.audit.record(tctx, { action: 'member.settings.update', data: { ...settings } });
      });
      return points.settingsOf(ctx);
    },
  };
}

export type MembersService = ReturnType<typeof membersService>;
