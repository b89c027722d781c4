import type { ErrorParamValue, ErrorReason } from './errors';
import type { JobFailureCode } from './jobs';

/**
 * What a release's timeline, a code upload's timeline and a bulk release target's note say: stable
 * codes the console renders in the reader's language (`releaseEvents.<code>`), each with the names of
 * the params its texts may use. The server stores the code and params beside an English sentence, kept
 * for logs and for rows written before the codes. Text from WeChat (an audit rejection's reason, an
 * errmsg) is a param, shown as it is. A unit test checks every code has a zh-CN and an en text.
 *
 * Where an event says why something stopped or was refused, its code may also be an error reason
 * (`ERROR_REASONS`: a refusal from WeChat, a release that could not start) or a job failure code
 * (`JOB_FAILURE_CODES`: a step's job gave up), said by the texts those already have.
 */
export const RELEASE_EVENTS = {
  // ---- a release through the third-party platform ----------------------------------------------------
  RELEASE_REQUESTED: ['version'],
  DOMAINS_SET: [],
  PRIVACY_SET: [],
  CODE_COMMITTED: ['templateId'],
  /** The commit had reached WeChat before a worker stopped; it was not sent again. */
  CODE_COMMITTED_EARLIER: [],
  TRIAL_QRCODE_READY: [],
  /** WeChat answered 61039: its privacy scan of the commit is still running. */
  PRIVACY_SCAN_WAITING: [],
  AUDIT_SUBMITTED: ['auditId'],
  // The audit's outcome, as WeChat pushed it or as a poll found it; `reason` is WeChat's own words.
  AUDIT_PASSED_PUSHED: [],
  AUDIT_PASSED_POLLED: [],
  AUDIT_REJECTED_PUSHED: ['reason'],
  AUDIT_REJECTED_POLLED: ['reason'],
  AUDIT_WITHDRAWN_PUSHED: [],
  AUDIT_WITHDRAWN_POLLED: [],
  AUDIT_DELAYED_PUSHED: ['reason'],
  AUDIT_DELAYED_POLLED: ['reason'],
  GRAY_RELEASED: ['percentage'],
  RELEASED: [],
  GRAY_WITHDRAWN: [],
  ROLLED_BACK: [],
  CANCELLED_BY_MERCHANT: [],
  /** A failed release goes on from the status it had reached (the event's status). */
  RELEASE_RETRIED: [],
  // Why a release stopped, when neither WeChat's refusal nor a job failure says it.
  TEMPLATE_NOT_IN_LIBRARY: ['version'],
  NO_SERVICE_CATEGORY: [],
  /** An error with no reason of its own; `error` is the technical text, in English. */
  STOPPED_ON_ERROR: ['error'],
  STOPPED_UNEXPECTEDLY: [],

  // ---- an upload with the shop's own code-upload key ------------------------------------------------
  UPLOAD_REQUESTED: ['version', 'appid'],
  UPLOAD_ATTEMPT: ['attempt'],
  UPLOAD_ATTEMPT_FAILED: ['error'],
  UPLOADED: [],
  /** WeChat named the development version it took. */
  UPLOADED_VERSION: ['wechatVersion'],
  UPLOAD_KEY_REMOVED: [],
  /** WeChat refused the platform's address (-10008): the code-upload IP whitelist. */
  UPLOAD_IP_NOT_ALLOWED: ['ip'],
  /** WeChat did not accept the signature (-10003): the key is not this AppID's, or was reset. */
  UPLOAD_KEY_REJECTED: [],
  /** Any other refusal; `error` is WeChat's errmsg (or errcode). */
  UPLOAD_REFUSED: ['error'],
  UPLOAD_FAILED: ['error'],

  // ---- a bulk release's target ---------------------------------------------------------------------
  /** The shop's release could not start on an error with no reason of its own (`error`, in English). */
  RELEASE_NOT_STARTED: ['error'],
  /** The bulk release was stopped before this shop's turn. */
  BULK_RELEASE_STOPPED: [],
} as const satisfies Record<string, readonly string[]>;

export type ReleaseEventCode = keyof typeof RELEASE_EVENTS;
export const RELEASE_EVENT_CODES = Object.keys(RELEASE_EVENTS) as ReleaseEventCode[];
export type ReleaseEventParams<C extends ReleaseEventCode> = {
  [P in (typeof RELEASE_EVENTS)[C][number]]: ErrorParamValue;
};

/** Every code an event or note can carry: its own, an error reason, or a job failure code. */
export type ReleaseNoteCode = ReleaseEventCode | ErrorReason | JobFailureCode;
