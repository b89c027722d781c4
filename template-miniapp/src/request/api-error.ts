import type { ErrorCode, ErrorReason } from '@shopfleet/contracts';
import { hasText, t } from '../locales';

/** Codes the client raises itself, next to the server's stable codes. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'BAD_RESPONSE' | 'SHOP_CONTEXT_MISSING' | 'PLATFORM_LOGIN_FAILED';

export type ApiErrorCode = ErrorCode | ClientErrorCode;

/** Every failure of the request client: the server's `{ error: { code, message, details } }` or a client-side one. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  /** HTTP status; 0 when the request never got an answer. */
  readonly status: number;
  readonly details: unknown;
  readonly requestId: string | undefined;
  /** Why, within the code: a stable key the shop says in the shopper's language. */
  readonly reason: ErrorReason | undefined;
  readonly params: Record<string, string | number> | undefined;

  constructor(
    code: ApiErrorCode,
    message: string,
    status = 0,
    details?: unknown,
    requestId?: string,
    reason?: { reason?: ErrorReason; params?: Record<string, string | number> },
  ) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
    this.requestId = requestId;
    this.reason = reason?.reason;
    this.params = reason?.params;
  }
}

/** Codes whose message the client wrote itself, in the device's language, for the case at hand (`shopContext.*`). */
const CLIENT_WORDED: ReadonlySet<ApiErrorCode> = new Set<ApiErrorCode>(['SHOP_CONTEXT_MISSING']);

/**
 * The one place that turns any thrown value into text for a shopper, in the device's language: the
 * error's reason (with its params) where the shop has a text for it, else its code. The server's
 * message is English, meant for developers, and never shown.
 */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (CLIENT_WORDED.has(error.code) && error.message) return error.message;
    const byReason = `errors.reasons.${error.reason ?? ''}`;
    if (error.reason && hasText(byReason)) return t(byReason, error.params);
    const byCode = `errors.${error.code}`;
    if (hasText(byCode)) return t(byCode);
    return t('errors.INTERNAL');
  }
  return t('errors.fallback');
}
