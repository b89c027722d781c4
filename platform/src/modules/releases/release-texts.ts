import {
  WECHAT_ERRCODE_REASONS,
  type ErrorParamValue,
  type JobFailure,
  type Reasoned,
  type RELEASE_EVENTS,
  type ReleaseEventCode,
  type ReleaseEventParams,
  type ReleaseNoteCode,
} from '@shopfleet/contracts';
import type { AppError } from '../../kernel/errors';
import { parseJsonColumn } from '../../kernel/db/rows';
import { describeJobFailure } from '../../kernel/job-failure';
import type { WechatApiError } from '../../integrations/wechat';

/** What releases and code uploads refuse with, said once for both. */
export const NOT_ACTIVE = {
  reason: 'SHOP_NOT_ACTIVE_FOR_RELEASE',
  message: 'Only an active shop (qualifications approved) can release its mini-program',
} as const;
export const NOT_BUILT = {
  reason: 'TEMPLATE_VERSION_NOT_BUILT',
  message: 'This template version is not built',
} as const;
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

type Params = Record<string, ErrorParamValue>;

/**
 * What an event or a note says: a stable code (`RELEASE_EVENTS`, or an error reason or job failure code
 * when it says why something stopped), its params, and the English sentence stored beside them for logs
 * and as the fallback.
 */
export interface Said {
  code: ReleaseNoteCode;
  params: Params;
  message: string;
}

/** The English of each event code, from its params: the stored message. */
const ENGLISH: { [C in ReleaseEventCode]: (p: ReleaseEventParams<C>) => string } = {
  RELEASE_REQUESTED: (p) => `Release of ${p.version} requested`,
  DOMAINS_SET: () => 'Server domains set',
  PRIVACY_SET: () => 'Privacy guide set',
  CODE_COMMITTED: (p) => `Code committed (template ${p.templateId})`,
  CODE_COMMITTED_EARLIER: () => 'Code committed (found on WeChat after a restart)',
  TRIAL_QRCODE_READY: () => 'Trial QR code ready',
  PRIVACY_SCAN_WAITING: () => 'Waiting for WeChat to finish its privacy scan of the code',
  AUDIT_SUBMITTED: (p) => `Submitted for audit (audit ${p.auditId})`,
  AUDIT_PASSED_PUSHED: () => 'Audit passed (pushed)',
  AUDIT_PASSED_POLLED: () => 'Audit passed (polled)',
  AUDIT_REJECTED_PUSHED: (p) => `Audit rejected (pushed): ${p.reason}`,
  AUDIT_REJECTED_POLLED: (p) => `Audit rejected (polled): ${p.reason}`,
  AUDIT_WITHDRAWN_PUSHED: () => 'The audit was withdrawn (pushed)',
  AUDIT_WITHDRAWN_POLLED: () => 'The audit was withdrawn (polled)',
  AUDIT_DELAYED_PUSHED: (p) => `WeChat delayed the audit (pushed)${p.reason ? `: ${p.reason}` : ''}`,
  AUDIT_DELAYED_POLLED: (p) => `WeChat delayed the audit (polled)${p.reason ? `: ${p.reason}` : ''}`,
  GRAY_RELEASED: (p) => `Released to ${p.percentage}% of users`,
  RELEASED: () => 'Released to all users',
  GRAY_WITHDRAWN: () => 'Gray release withdrawn: its users are back on the previous version',
  ROLLED_BACK: () => 'Rolled back to the previous version',
  CANCELLED_BY_MERCHANT: () => 'Cancelled by the merchant',
  RELEASE_RETRIED: () => 'Retried from where it stopped',
  TEMPLATE_NOT_IN_LIBRARY: (p) =>
    `Template version ${p.version} is not in the third-party platform's template library or draft box: upload it with the developer tools first`,
  NO_SERVICE_CATEGORY: () =>
    'The mini-program has no service category in WeChat: add one in the mini-program admin (mp.weixin.qq.com) first',
  STOPPED_ON_ERROR: (p) => `The release stopped on an error: ${p.error}`,
  STOPPED_UNEXPECTEDLY: () => 'The release stopped on an unexpected error',
  UPLOAD_REQUESTED: (p) => `Upload of ${p.version} to ${p.appid} requested`,
  UPLOAD_ATTEMPT: (p) => `Attempt ${p.attempt}: packing and uploading with miniprogram-ci`,
  UPLOAD_ATTEMPT_FAILED: (p) => `Attempt failed, to be tried again: ${p.error}`,
  UPLOADED: () => 'WeChat took the development version: submit it for review in mp.weixin.qq.com',
  UPLOADED_VERSION: (p) =>
    `WeChat took the development version (${p.wechatVersion}): submit it for review in mp.weixin.qq.com`,
  UPLOAD_KEY_REMOVED: () => 'The code-upload key of this AppID was removed before the upload ran',
  UPLOAD_IP_NOT_ALLOWED: (p) =>
    `WeChat refused the upload from the platform's address (${p.ip}): add it to the code-upload IP whitelist in mp.weixin.qq.com, or turn the whitelist off`,
  UPLOAD_KEY_REJECTED: () =>
    'WeChat did not accept the signature: the code-upload key does not belong to this AppID, or it was reset in mp.weixin.qq.com (upload the current key)',
  UPLOAD_REFUSED: (p) => `WeChat refused the upload: ${p.error}`,
  UPLOAD_FAILED: (p) => `The upload failed: ${p.error}`,
  RELEASE_NOT_STARTED: (p) => String(p.error),
  BULK_RELEASE_STOPPED: () => 'The bulk release was stopped',
};

/** The params argument of a code: none for a code that declares none. */
type ParamsOf<C extends ReleaseEventCode> = (typeof RELEASE_EVENTS)[C] extends readonly []
  ? []
  : [ReleaseEventParams<C>];

/** An event by its code and the params its texts use; the English follows from them. */
export function said<C extends ReleaseEventCode>(code: C, ...args: ParamsOf<C>): Said {
  const params = (args[0] ?? {}) as ReleaseEventParams<C>;
  return { code, params, message: (ENGLISH[code] as (p: ReleaseEventParams<C>) => string)(params) };
}

/** A refusal said by its error reason (WeChat refusing a step, a release that could not start). */
export function saidReason(r: Reasoned): Said {
  return { code: r.reason, params: (r.params ?? {}) as Params, message: r.message };
}

/** A job that gave up, said by its failure code. */
export function saidFailure(f: JobFailure): Said {
  return { code: f.code, params: f.params, message: describeJobFailure(f) };
}

/** An application error: by its reason where it has one, else as `otherwise` with its English text. */
export function saidError(err: AppError, otherwise: 'STOPPED_ON_ERROR' | 'RELEASE_NOT_STARTED'): Said {
  if (err.reason) return { code: err.reason, params: err.params ?? {}, message: err.message };
  return said(otherwise, { error: err.message });
}

/** The columns of an event row that keep what it says (the message cut to its column). */
export function eventColumns(s: Said): { code: string; params: string; message: string } {
  return { code: s.code, params: JSON.stringify(s.params), message: s.message.slice(0, 500) };
}

/** The columns of a stopped release's or upload's error: its stored code, the English, and the reason and params to say it by. */
export function errorColumns(
  code: string,
  s: Said,
): { error_code: string; error_message: string; error_reason: string; error_params: string } {
  return {
    error_code: code,
    error_message: s.message.slice(0, 500),
    error_reason: s.code,
    error_params: JSON.stringify(s.params),
  };
}

/** The error columns of a release or upload that goes on (or ended well). */
export const NO_ERROR = { error_code: null, error_message: null, error_reason: null, error_params: null } as const;

/** The reason and params a stopped release's or upload's error is said by; none on a row from before the codes. */
export function storedReason(reason: unknown, params: unknown): { reason: string | null; params: Params } {
  const stored = storedSaid(reason, params);
  return { reason: stored.code, params: stored.params };
}

/** What a stored row says: its code (null on a row from before the codes) and params. */
export function storedSaid(code: unknown, params: unknown): { code: string | null; params: Params } {
  return { code: typeof code === 'string' ? code : null, params: (parseJsonColumn(params) as Params | null) ?? {} };
}
