import type { z } from 'zod';
import type {
  BindPhoneResult,
  ShopperAvatar,
  ShopperMe,
  TokenPair,
  UpdateMyProfileBody,
  smsCodeResponseSchema,
} from '@shopfleet/contracts';
import { shopRequest, shopUpload } from '../request';

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

/** PUT /shops/:shopKey/me — change the nickname and/or the avatar (an image uploaded by `uploadMyAvatar`). */
export function updateMyProfile(body: UpdateMyProfileBody): Promise<ShopperMe> {
  return shopRequest<ShopperMe>({ method: 'PUT', path: '/me', body: { ...body }, auth: true });
}

/** POST /shops/:shopKey/me/avatar — upload an avatar (JPEG, PNG or WebP, at most 5 MB), field `file`; it is set at once. */
export function uploadMyAvatar(filePath: string): Promise<ShopperAvatar> {
  return shopUpload<ShopperAvatar>({ path: '/me/avatar', filePath, field: 'file', auth: true });
}

/** POST /shops/:shopKey/me/phone/wechat — bind the phone of WeChat's getPhoneNumber button (its `e.detail.code`). */
export function bindPhoneWechat(code: string): Promise<BindPhoneResult> {
  return shopRequest<BindPhoneResult>({ method: 'POST', path: '/me/phone/wechat', body: { code }, auth: true });
}

/** POST /shops/:shopKey/me/phone — bind a phone with the SMS code `sendSmsCode` sent to it. */
export function bindPhone(phone: string, code: string): Promise<BindPhoneResult> {
  return shopRequest<BindPhoneResult>({ method: 'POST', path: '/me/phone', body: { phone, code }, auth: true });
}
