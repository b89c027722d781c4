import type { LocationQueryValue, RouteLocationRaw, Router } from 'vue-router';
import type { MerchantMe } from '@shopfleet/contracts';
import { onSessionExpired, type ConsoleAudience } from '@/api/request';
import { useSession } from '@/stores/session';
import { FORBIDDEN_ROUTE, HOME_ROUTE, LOGIN_ROUTE, ONBOARDING_ROUTE } from './routes';

/**
 * Where to go after signing in: only a path inside this audience's own area, never another origin
 * (`//host`) and never a login page.
 */
export function safeRedirect(
  raw: LocationQueryValue | LocationQueryValue[] | undefined,
  audience: ConsoleAudience,
): string | null {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\'))
    return null;
  const inPlatformArea = value === '/platform' || value.startsWith('/platform/') || value.startsWith('/platform?');
  if (inPlatformArea !== (audience === 'platform')) return null;
  if (value.startsWith('/login') || value.startsWith('/platform/login')) return null;
  if (value.startsWith('/signup') || value.startsWith('/invite/')) return null;
  return value;
}

/**
 * Where a merchant lands after signing in (login, sign-up, invitation): a shop still under review goes
 * to its application, any other to the dashboard. An explicit `redirect` wins, unless it is the
 * dashboard itself.
 */
export function merchantLanding(me: MerchantMe, redirect: string | null): RouteLocationRaw {
  const pending = me.tenant.status === 'pending_review' && me.permissions.includes('onboarding:document:read');
  if (redirect && !(pending && (redirect === '/' || redirect === ''))) return redirect;
  return { name: pending ? ONBOARDING_ROUTE : HOME_ROUTE.merchant };
}

export function installGuards(router: Router): void {
  router.beforeEach(async (to) => {
    const audience = to.meta.audience;
    if (!audience || to.meta.public) return true;

    const session = useSession(audience);
    const toLogin = { name: LOGIN_ROUTE[audience], query: { redirect: to.fullPath } };
    if (!session.hasTokens()) return toLogin;
    try {
      await session.ensureMe();
    } catch {
      return toLogin;
    }

    const permission = to.meta.permission;
    if (permission && !session.can(permission)) {
      return { name: FORBIDDEN_ROUTE[audience], query: { from: to.fullPath }, replace: true };
    }
    return true;
  });

  // A refresh that failed (or a token the server no longer takes) ends the session of that audience.
  onSessionExpired((audience) => {
    useSession(audience).reset();
    const current = router.currentRoute.value;
    if (current.meta.audience === audience && !current.meta.public) {
      void router.replace({ name: LOGIN_ROUTE[audience], query: { redirect: current.fullPath } });
    }
  });
}

export function homeRoute(audience: ConsoleAudience): string {
  return HOME_ROUTE[audience];
}
