import type { ConsoleAudience } from '@/api/request';
import { useMerchantSessionStore } from './merchant-session';
import type { ConsolePermission } from './permissions';
import { usePlatformSessionStore } from './platform-session';

/** What the router needs from either audience's session. */
export interface SessionHandle {
  hasTokens(): boolean;
  ensureMe(): Promise<unknown>;
  can(permission: ConsolePermission): boolean;
  reset(): void;
}

export function useSession(audience: ConsoleAudience): SessionHandle {
  return audience === 'merchant' ? useMerchantSessionStore() : usePlatformSessionStore();
}
