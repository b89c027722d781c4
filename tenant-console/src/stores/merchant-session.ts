import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import type { MerchantLoginBody, MerchantMe, ShopSettings, SignupBody, TokenPair } from '@shopfleet/contracts';
import { getMerchantMe, merchantLogin, merchantLogout } from '@/api/auth';
import { acceptInvitation as acceptInvitationRequest, type AcceptInvitationBody } from '@/api/invitations';
import { merchantHttp } from '@/api/request';
import { signup as signupRequest } from '@/api/signup';
import type { ConsolePermission } from './permissions';

/** The signed-in merchant staff member: `/me`, loaded once per sign-in. */
export const useMerchantSessionStore = defineStore('merchant-session', () => {
  const me = ref<MerchantMe | null>(null);
  let loading: Promise<MerchantMe> | null = null;

  const permissions = computed<ReadonlySet<string>>(() => new Set(me.value?.permissions ?? []));

  /** Hides what the user may not do; the server still decides every request. */
  function can(permission: ConsolePermission): boolean {
    return permissions.value.has(permission);
  }

  function hasTokens(): boolean {
    return merchantHttp.tokens.read() !== null;
  }

  function ensureMe(): Promise<MerchantMe> {
    if (me.value) return Promise.resolve(me.value);
    loading ??= getMerchantMe()
      .then((loaded) => {
        me.value = loaded;
        return loaded;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  /** Every way of signing in ends here: keep the tokens, forget the previous user, load /me. */
  function startSession(pair: TokenPair): Promise<MerchantMe> {
    merchantHttp.tokens.save(pair);
    me.value = null;
    return ensureMe();
  }

  async function login(body: MerchantLoginBody): Promise<MerchantMe> {
    return startSession(await merchantLogin(body));
  }

  /** Create the account and its shop, and sign in to it. */
  async function signup(body: SignupBody): Promise<MerchantMe> {
    return startSession(await signupRequest(body));
  }

  /** Join a shop by invitation, and sign in to it. */
  async function acceptInvitation(token: string, body: AcceptInvitationBody): Promise<MerchantMe> {
    return startSession(await acceptInvitationRequest(token, body));
  }

  async function logout(): Promise<void> {
    const pair = merchantHttp.tokens.read();
    merchantHttp.tokens.clear();
    reset();
    if (pair) await merchantLogout(pair.refreshToken).catch(() => undefined);
  }

  function reset(): void {
    me.value = null;
  }

  /** Keep the header in step after the shop's settings or status change (settings page, application page). */
  function applyShop(shop: Pick<ShopSettings, 'name' | 'slug' | 'status'>): void {
    if (!me.value) return;
    me.value = { ...me.value, tenant: { ...me.value.tenant, name: shop.name, slug: shop.slug, status: shop.status } };
  }

  return { me, can, hasTokens, ensureMe, login, signup, acceptInvitation, logout, reset, applyShop };
});
