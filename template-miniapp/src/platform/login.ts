import type { TokenPair } from '@shopfleet/contracts';
import { wechatLogin } from '../api/auth';
import { ApiError } from '../request';

/** How a shopper signs in on this platform: WeChat in the mini-program, phone + SMS code on h5. */
export type LoginMethod = 'wechat' | 'phone';

function currentLoginMethod(): LoginMethod {
  let method: LoginMethod = 'phone';
  // #ifdef MP-WEIXIN
  method = 'wechat';
  // #endif
  return method;
}

export const loginMethod: LoginMethod = currentLoginMethod();

/**
 * How a signed-in shopper binds a phone: WeChat's phone-number button in the mini-program (`phone-button.vue`), an SMS
 * code on h5.
 */
export const phoneBindMethod: 'wechat' | 'sms' = loginMethod === 'wechat' ? 'wechat' : 'sms';

/** Signs in with the platform's own identity (wx.login on mp-weixin); not available on h5. */
export async function signInWithPlatform(): Promise<TokenPair> {
  let tokens: Promise<TokenPair> | null = null;
  // #ifdef MP-WEIXIN
  tokens = wechatLoginCode().then((code) => wechatLogin(code));
  // #endif
  if (!tokens) throw new ApiError('PLATFORM_LOGIN_FAILED', 'no platform sign-in on this platform');
  return tokens;
}

// #ifdef MP-WEIXIN
function wechatLoginCode(): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    uni.login({
      provider: 'weixin',
      success(res) {
        if (res.code) resolve(res.code);
        else reject(new ApiError('PLATFORM_LOGIN_FAILED', res.errMsg || 'uni.login returned no code'));
      },
      fail(err) {
        reject(new ApiError('PLATFORM_LOGIN_FAILED', err.errMsg || 'uni.login failed'));
      },
    });
  });
}
// #endif
