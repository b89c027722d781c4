import type { ErrorCode } from '@shopfleet/contracts';

/** An error whose code and status the HTTP layer maps to the one error shape. Message text is for humans only. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super('VALIDATION_FAILED', message, 400, details);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(code: 'UNAUTHENTICATED' | 'TOKEN_EXPIRED' | 'TOKEN_INVALID' | 'INVALID_CREDENTIALS' | 'OTP_INVALID' = 'UNAUTHENTICATED', message = 'Sign in first') {
    super(code, message, 401);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this', code: 'FORBIDDEN' | 'WRONG_SHOP' | 'TENANT_NOT_ACTIVE' = 'FORBIDDEN') {
    super(code, message, 403);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, code: 'NOT_FOUND' | 'SHOP_NOT_FOUND' = 'NOT_FOUND') {
    super(code, `${what} not found`, 404);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super('CONFLICT', message, 409, details);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('TOO_MANY_REQUESTS', message, 429, { retryAfterSeconds });
  }
}

/** The server has more of this work in hand than it takes at once; the client should try again shortly. */
export class BusyError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('BUSY', message, 503, { retryAfterSeconds });
  }
}

export class UpstreamError extends AppError {
  constructor(message: string, details?: unknown) {
    super('UPSTREAM_UNAVAILABLE', message, 502, details);
  }
}
