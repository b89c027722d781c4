import type { PayParams, PaymentClient } from '@shopfleet/contracts';
import { ApiError } from '../request/api-error';
import { resolveShopContext } from './shop-context';

type JsapiParams = Extract<PayParams, { method: 'wechat_jsapi' }>['requestPayment'];

/** Which client asks for payment methods: the mini-program or the web build. */
function detectClient(): PaymentClient {
  let client: PaymentClient = 'h5';
  // #ifdef MP-WEIXIN
  client = 'mp-weixin';
  // #endif
  return client;
}

export const paymentClient: PaymentClient = detectClient();

/** How a wx.requestPayment ended; a failure other than the shopper's cancel is thrown. */
export type WechatPaymentOutcome = 'paid' | 'cancelled';

/** WeChat Pay JSAPI in the mini-program (uni.requestPayment with the server's signed parameters). */
export function requestWechatPayment(params: JsapiParams): Promise<WechatPaymentOutcome> {
  let outcome: Promise<WechatPaymentOutcome> | null = null;
  // #ifdef MP-WEIXIN
  outcome = new Promise<WechatPaymentOutcome>((resolve, reject) => {
    uni.requestPayment({
      provider: 'wxpay',
      timeStamp: params.timeStamp,
      nonceStr: params.nonceStr,
      package: params.package,
      signType: params.signType,
      paySign: params.paySign,
      success() {
        resolve('paid');
      },
      fail(err: { errMsg?: string }) {
        const message = err?.errMsg ?? '';
        if (/cancel/i.test(message)) resolve('cancelled');
        else reject(new ApiError('UPSTREAM_UNAVAILABLE', message || 'requestPayment failed'));
      },
    });
  });
  // #endif
  if (!outcome)
    return Promise.reject(new ApiError('UPSTREAM_UNAVAILABLE', 'WeChat Pay JSAPI only runs in the mini-program'));
  return outcome;
}

/** Leaves the app for a payment page (WeChat Pay H5, Alipay); the web build only. */
export function openPaymentPage(url: string): boolean {
  let opened = false;
  // #ifdef H5
  window.location.href = url;
  opened = true;
  // #endif
  return opened;
}

/** Posts a provider's signed form from the browser (UnionPay's front gateway); the web build only. */
export function postPaymentForm(action: string, fields: Record<string, string>): boolean {
  let posted = false;
  // #ifdef H5
  const form = document.createElement('form');
  form.method = 'POST';
  form.action = action;
  form.acceptCharset = 'UTF-8';
  for (const [name, value] of Object.entries(fields)) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }
  document.body.appendChild(form);
  form.submit();
  posted = true;
  // #endif
  return posted;
}

/**
 * Where the browser comes back after paying on a provider's page: the order's detail in this shop's
 * h5 site, which is served at /s/<slug>/ with a hash router (manifest h5.router.mode). None in the mini-program.
 */
export function paymentReturnPath(orderId: number): string | undefined {
  let path: string | undefined = undefined;
  // #ifdef H5
  path = `/s/${resolveShopContext().shopKey}/#/pages/order/detail?id=${orderId}&from=pay`;
  // #endif
  return path;
}
