import type { ErrorCode, ErrorIssue, ErrorParamValue, ErrorReason, Reasoned } from '@shopfleet/contracts';

/**
 * What an error says: a reason the front ends render in the reader's language (with its params and
 * an English fallback), or, where no reason is declared yet, English text alone.
 */
export type ErrorText = Reasoned | string;

/**
 * An error whose code and status the HTTP layer maps to the one error shape. The reason and params
 * are what a client shows; the message text is for humans reading logs, and the last fallback.
 */
export class AppError extends Error {
  readonly reason: ErrorReason | undefined;
  readonly params: Record<string, ErrorParamValue> | undefined;

  constructor(
    readonly code: ErrorCode,
    text: ErrorText,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(typeof text === 'string' ? text : text.message);
    this.name = new.target.name;
    this.reason = typeof text === 'string' ? undefined : text.reason;
    this.params = typeof text === 'string' ? undefined : (text.params as Record<string, ErrorParamValue> | undefined);
  }
}

/** A problem with one input field, for `details.issues`: its path, our reason, and an English fallback. */
export function issue(path: string, text: Reasoned): ErrorIssue {
  return {
    path,
    code: 'custom',
    reason: text.reason,
    ...(text.params ? { params: text.params as Record<string, ErrorParamValue> } : {}),
    message: text.message,
  };
}

export class ValidationError extends AppError {
  constructor(text: ErrorText, details?: unknown) {
    super('VALIDATION_FAILED', text, 400, details);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(
    code:
      'UNAUTHENTICATED' | 'TOKEN_EXPIRED' | 'TOKEN_INVALID' | 'INVALID_CREDENTIALS' | 'OTP_INVALID' = 'UNAUTHENTICATED',
    text: ErrorText = 'Sign in first',
  ) {
    super(code, text, 401);
  }
}

export class ForbiddenError extends AppError {
  constructor(
    text: ErrorText = 'You are not allowed to do this',
    code: 'FORBIDDEN' | 'WRONG_SHOP' | 'TENANT_NOT_ACTIVE' = 'FORBIDDEN',
  ) {
    super(code, text, 403);
  }
}

/** A reason that names what was not found (`ORDER_NOT_FOUND`). */
export type NotFoundReason = Extract<ErrorReason, `${string}_NOT_FOUND`>;

/**
 * A 404 that says what was missing: `new NotFoundError('ORDER_NOT_FOUND')` reads "Order not found" in
 * logs and 订单不存在 in the console. A shop address that names no shop is its own code, SHOP_NOT_FOUND.
 */
export class NotFoundError extends AppError {
  constructor(what: NotFoundReason | 'SHOP_NOT_FOUND') {
    const thing = what
      .replace(/_NOT_FOUND$/, '')
      .replace(/_/g, ' ')
      .toLowerCase();
    const message = `${thing.charAt(0).toUpperCase()}${thing.slice(1)} not found`;
    if (what === 'SHOP_NOT_FOUND') super('SHOP_NOT_FOUND', message, 404);
    else super('NOT_FOUND', { reason: what, message } as Reasoned, 404);
  }
}

export class ConflictError extends AppError {
  constructor(text: ErrorText, details?: unknown) {
    super('CONFLICT', text, 409, details);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(
    text: ErrorText,
    readonly retryAfterSeconds: number,
  ) {
    super('TOO_MANY_REQUESTS', text, 429, { retryAfterSeconds });
  }
}

/** The server has more of this work in hand than it takes at once; the client should try again shortly. */
export class BusyError extends AppError {
  constructor(
    text: ErrorText,
    readonly retryAfterSeconds: number,
  ) {
    super('BUSY', text, 503, { retryAfterSeconds });
  }
}

export class UpstreamError extends AppError {
  constructor(text: ErrorText, details?: unknown) {
    super('UPSTREAM_UNAVAILABLE', text, 502, details);
  }
}
