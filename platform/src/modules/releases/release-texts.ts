import { WECHAT_ERRCODE_REASONS, type Reasoned } from '@shopfleet/contracts';
import type { WechatApiError } from '../../integrations/wechat';

/** What releases and code uploads refuse with, said once for both. */
export const NOT_ACTIVE = { reason: 'SHOP_NOT_ACTIVE_FOR_RELEASE', message: 'Only an active shop (qualifications approved) can release its mini-program' } as const;
export const NOT_BUILT = { reason: 'TEMPLATE_VERSION_NOT_BUILT', message: 'This template version is not built' } as const;
export const NO_VERSION = { reason: 'NO_TEMPLATE_VERSION', message: 'No template version has been built yet' } as const;

/** English for the WeChat errcodes a merchant meets; the console says them from WECHAT_ERRCODE_REASONS. */
export const PERMANENT_REASONS: Readonly<Record<number, string>> = {
  85085: "The platform's WeChat audit quota for this month is spent; the release can be started again when it renews",
  85009: 'WeChat already has a version of this mini-program under review',
  85013: 'The template is not in the third-party platform template library',
  85014: 'The template is not in the third-party platform template library',
  85048: 'WeChat could not parse the ext.json of the package',
  85019: 'WeChat has no audited version to release',
  85020: 'WeChat does not allow releasing in the current state',
  61040: 'The mini-program uses a location API it has not declared or been granted',
  61007: 'The mini-program has not granted the platform the code-management permission (set 18)',
  89231: 'The mini-program is not allowed to use this feature',
};

/** A permanent WeChat refusal as a reason: its own where the errcode has one, else WECHAT_REFUSED with the errcode. */
export function wechatRefusal(err: WechatApiError): Reasoned {
  const reason = WECHAT_ERRCODE_REASONS[err.errcode];
  const message = PERMANENT_REASONS[err.errcode] ?? `WeChat refused ${err.api}: ${err.errcode} ${err.errmsg}`;
  if (reason && reason !== 'WECHAT_REFUSED') return { reason, message } as Reasoned;
  return { reason: 'WECHAT_REFUSED', params: { errcode: err.errcode, errmsg: err.errmsg }, message };
}
