import type { z } from 'zod';
import type { ShopperMe, TokenPair, smsCodeResponseSchema } from '@shopfleet/contracts';
import { shopRequest } from '../request';

export type SmsCodeResponse = z.infer<typeof smsCodeResponseSchema>;

/** POST /shops/:shopKey/auth/wechat — trade a uni.login() code for tokens. */
export function wechatLogin(code: string): Promise<TokenPair> {
  return shopRequest<TokenPair>({ method: 'POST', path: '/auth/wechat', body: { code } });
}

/** POST /shops/:shopKey/auth/sms-code — text a one-time code to the phone. */
export function sendSmsCode(phone: string): Promise<SmsCodeResponse> {
  return shopRequest<SmsCodeResponse>({ method: 'POST', path: '/auth/sms-code', body: { phone } });
}

/** POST /shops/:shopKey/auth/phone — sign in with phone and the six-digit code. */
export function phoneLogin(phone: string, code: string): Promise<TokenPair> {
  return shopRequest<TokenPair>({ method: 'POST', path: '/auth/phone', body: { phone, code } });
}

/** POST /shops/:shopKey/auth/logout — revoke the refresh token. (Refresh itself lives in the request client.) */
export function logout(refreshToken: string): Promise<{ ok: true }> {
  return shopRequest<{ ok: true }>({ method: 'POST', path: '/auth/logout', body: { refreshToken } });
}

/** GET /shops/:shopKey/me — the signed-in shopper. */
export function getMe(): Promise<ShopperMe> {
  return shopRequest<ShopperMe>({ method: 'GET', path: '/me', auth: true });
}
