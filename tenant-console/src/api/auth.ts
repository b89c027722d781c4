import type { MerchantLoginBody, MerchantMe, PlatformMe, TokenPair } from '@shopfleet/contracts';
import { merchantHttp, platformHttp } from './request';

export interface PasswordLoginBody {
  email: string;
  password: string;
}

/** POST /merchant-api/v1/auth/login */
export function merchantLogin(body: MerchantLoginBody): Promise<TokenPair> {
  return merchantHttp.post<TokenPair>('/auth/login', body, { auth: false });
}

/** POST /merchant-api/v1/auth/logout: revokes the refresh token's family. Quiet: the user is leaving anyway. */
export function merchantLogout(refreshToken: string): Promise<{ ok: true }> {
  return merchantHttp.post<{ ok: true }>('/auth/logout', { refreshToken }, { auth: false, silent: true });
}

/** GET /merchant-api/v1/me */
export function getMerchantMe(): Promise<MerchantMe> {
  return merchantHttp.get<MerchantMe>('/me');
}

/** POST /platform-api/v1/auth/login */
export function platformLogin(body: PasswordLoginBody): Promise<TokenPair> {
  return platformHttp.post<TokenPair>('/auth/login', body, { auth: false });
}

/** POST /platform-api/v1/auth/logout */
export function platformLogout(refreshToken: string): Promise<{ ok: true }> {
  return platformHttp.post<{ ok: true }>('/auth/logout', { refreshToken }, { auth: false, silent: true });
}

/** GET /platform-api/v1/me */
export function getPlatformMe(): Promise<PlatformMe> {
  return platformHttp.get<PlatformMe>('/me');
}
