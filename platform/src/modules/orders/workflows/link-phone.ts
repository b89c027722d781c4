import type { BindPhoneResult } from '@shopfleet/contracts';
import { shopperIdOf, type TenantContext } from '../../../kernel/context';
import type { Transactions } from '../../../kernel/db/database';
import { isDuplicateKey } from '../../../kernel/db/rows';
import type { AfterSalesService, ComplaintsService } from '../../after-sales';
import type { CartService } from '../../cart';
import type { ImagesService } from '../../catalog';
import type { SessionsService } from '../../identity';
import type { CouponsService, FlashService, GroupBuysService } from '../../marketing';
import type { ReviewsService } from '../../reviews';
import { PhoneClaimMoved, type ShoppersService } from '../../shoppers';
import type { SupportService } from '../../support';
import type { OrdersService } from '../orders.service';

/**
 * Moves everything one shopper has in a module to another, in the merge's transaction (the context carries it), without
 * loss. The merge calls one per module that keeps anything per shopper; a module built later adds its own here.
 */
export type ShopperAbsorber = (tctx: TenantContext, fromId: number, toId: number) => Promise<void>;

export interface LinkPhoneDeps {
  tx: Transactions;
  shoppers: Pick<ShoppersService, 'wechatPhone' | 'verifyPhone' | 'claimPhone' | 'absorbShopper' | 'me'>;
  sessions: Pick<SessionsService, 'revokeAllFor'>;
  orders: Pick<OrdersService, 'absorbShopper'>;
  cart: Pick<CartService, 'absorbShopper'>;
  coupons: Pick<CouponsService, 'absorbShopper'>;
  flash: Pick<FlashService, 'absorbShopper'>;
  groupBuys: Pick<GroupBuysService, 'absorbShopper'>;
  afterSales: Pick<AfterSalesService, 'absorbShopper'>;
  complaints: Pick<ComplaintsService, 'absorbShopper'>;
  reviews: Pick<ReviewsService, 'absorbShopper'>;
  support: Pick<SupportService, 'absorbShopper'>;
  images: Pick<ImagesService, 'absorbShopper'>;
  /** Modules built after this workflow (members: points, favourites, history), each moving its own tables. */
  absorbers?: ShopperAbsorber[];
}

/** How many times a bind runs its transaction again when the phone changed hands under it (a concurrent bind). */
const ATTEMPTS = 5;

/**
 * A signed-in shopper binds a phone — proven by WeChat's phone-number button (mini-program) or an SMS code (h5) — and
 * one person's two shoppers of a shop (WeChat in the mini-program, phone on h5) become one:
 *
 * 1. before any transaction: the phone is proven (WeChat is asked for the button's phone; or the SMS code is checked);
 * 2. shoppers: the shopper and the phone's holder are locked, lower id first, and what the phone means is decided: it
 *    is free (the shopper takes it), already theirs, or another shopper's — merged into this one, unless both signed
 *    in with different WeChat accounts (409 `PHONE_TAKEN`) or the other is blocked (403);
 * 3. for a merge, in the same transaction: identity: the other shopper's sessions end (at once: their access tokens
 *    are refused from now on); orders: their orders and unpaid count; cart: their lines (quantities of a SKU in both
 *    carts added) and addresses; marketing: coupons (numbered after the survivor's), 秒杀 counts and orders, groups
 *    led, seats and units; after-sales: cases and complaints; reviews; support: conversations and every message,
 *    subscribe credits; catalog: the images they uploaded; then every `absorbers` port; last, shoppers: the other
 *    becomes a tombstone (`merged`, its openid and phone cleared) and the survivor takes the phone, and the other's
 *    openid and unionid when it has none;
 * 4. after commit: the 秒杀 gates move the other's units too, and the merge is logged with both ids.
 *
 * Two binds of one phone at once queue on the holder's row; the one that finds the holder changed (merged meanwhile,
 * or the phone taken by the other bind) runs again from step 2, so the phone ends on one shopper and nothing is
 * merged twice.
 */
export function linkPhoneWorkflow(deps: LinkPhoneDeps) {
  async function bind(ctx: TenantContext, phone: string): Promise<BindPhoneResult> {
    const meId = shopperIdOf(ctx);
    for (let attempt = 1; ; attempt++) {
      try {
        const merged = await deps.tx.transaction(ctx, async (tctx) => {
          const claim = await deps.shoppers.claimPhone(tctx, phone);
          if (claim.kind !== 'merge') return null;
          const fromId = claim.other.id;
          await deps.sessions.revokeAllFor('shopper', fromId);
          await deps.orders.absorbShopper(tctx, fromId, meId);
          await deps.cart.absorbShopper(tctx, fromId, meId);
          await deps.coupons.absorbShopper(tctx, fromId, meId);
          await deps.flash.absorbShopper(tctx, fromId, meId);
          await deps.groupBuys.absorbShopper(tctx, fromId, meId);
          await deps.afterSales.absorbShopper(tctx, fromId, meId);
          await deps.complaints.absorbShopper(tctx, fromId, meId);
          await deps.reviews.absorbShopper(tctx, fromId, meId);
          await deps.support.absorbShopper(tctx, fromId, meId);
          await deps.images.absorbShopper(tctx, fromId, meId);
          for (const absorb of deps.absorbers ?? []) await absorb(tctx, fromId, meId);
          await deps.shoppers.absorbShopper(tctx, claim.other, claim.me, phone);
          return fromId;
        });
        if (merged !== null) ctx.log.info({ shopperId: meId, mergedShopperId: merged }, 'shopper merged by phone');
        return { me: await deps.shoppers.me(ctx), merged: merged !== null };
      } catch (err) {
        const again =
          err instanceof PhoneClaimMoved ||
          isDuplicateKey(err) ||
          (err as { code?: string }).code === 'ER_LOCK_DEADLOCK';
        if (!again || attempt >= ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 10 * attempt));
      }
    }
  }

  return {
    /** Binds the phone of the mini-program's getPhoneNumber button (`e.detail.code`), merging its other shopper. */
    async byWechat(ctx: TenantContext, code: string): Promise<BindPhoneResult> {
      return bind(ctx, await deps.shoppers.wechatPhone(ctx, code));
    },

    /** Binds a phone with the SMS code sent to it (the sign-in code), merging its other shopper. */
    async bySms(ctx: TenantContext, phone: string, code: string): Promise<BindPhoneResult> {
      await deps.shoppers.verifyPhone(ctx, phone, code);
      return bind(ctx, phone);
    },
  };
}

export type LinkPhoneWorkflow = ReturnType<typeof linkPhoneWorkflow>;
