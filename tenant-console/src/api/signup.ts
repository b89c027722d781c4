import type { BusinessCategory, EndpointResponse, SignupBody, TokenPair, merchantApi } from '@shopfleet/contracts';
import { merchantHttp } from './request';

export type SlugAvailability = EndpointResponse<typeof merchantApi.slugAvailability>;
export type SmsCodeSent = EndpointResponse<typeof merchantApi.signupSmsCode>;

/** GET /merchant-api/v1/auth/slug-availability: checked live while the slug is typed; the page shows failures itself. */
export function checkSlugAvailability(slug: string, signal?: AbortSignal): Promise<SlugAvailability> {
  return merchantHttp.get<SlugAvailability>('/auth/slug-availability', { slug }, { auth: false, silent: true, signal });
}

/** GET /merchant-api/v1/auth/business-categories: the active ones, to choose from when signing up. */
export function listSignupCategories(): Promise<BusinessCategory[]> {
  return merchantHttp.get<BusinessCategory[]>('/auth/business-categories', undefined, { auth: false });
}

/** POST /merchant-api/v1/auth/signup/sms-code: a code to verify the contact phone. */
export function sendSignupSmsCode(phone: string): Promise<SmsCodeSent> {
  return merchantHttp.post<SmsCodeSent>('/auth/signup/sms-code', { phone }, { auth: false });
}

/** POST /merchant-api/v1/auth/signup: account and shop (pending review) in one step; answers with a session. */
export function signup(body: SignupBody): Promise<TokenPair> {
  return merchantHttp.post<TokenPair>('/auth/signup', body, { auth: false, silent: true });
}
