import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import type { PlatformMe } from '@shopfleet/contracts';
import { getPlatformMe, platformLogin, platformLogout, type PasswordLoginBody } from '@/api/auth';
import { platformHttp } from '@/api/request';
import type { ConsolePermission } from './permissions';

/** The signed-in platform staff member: `/me`, loaded once per sign-in. */
export const usePlatformSessionStore = defineStore('platform-session', () => {
  const me = ref<PlatformMe | null>(null);
  let loading: Promise<PlatformMe> | null = null;

  const permissions = computed<ReadonlySet<string>>(() => new Set(me.value?.permissions ?? []));

  /** Hides what the user may not do; the server still decides every request. */
  function can(permission: ConsolePermission): boolean {
    return permissions.value.has(permission);
  }

  function hasTokens(): boolean {
    return platformHttp.tokens.read() !== null;
  }

  function ensureMe(): Promise<PlatformMe> {
    if (me.value) return Promise.resolve(me.value);
    loading ??= getPlatformMe()
      .then((loaded) => {
        me.value = loaded;
        return loaded;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  async function login(body: PasswordLoginBody): Promise<PlatformMe> {
    const pair = await platformLogin(body);
    platformHttp.tokens.save(pair);
    me.value = null;
    return ensureMe();
  }

  async function logout(): Promise<void> {
    const pair = platformHttp.tokens.read();
    platformHttp.tokens.clear();
    reset();
    if (pair) await platformLogout(pair.refreshToken).catch(() => undefined);
  }

  function reset(): void {
    me.value = null;
  }

  return { me, can, hasTokens, ensureMe, login, logout, reset };
});
