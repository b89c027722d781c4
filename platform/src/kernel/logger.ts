import pino, { type Logger } from 'pino';

export type { Logger };

/** What request and job code logs with: pino's levels and child(). */
export interface Log extends Pick<Logger, 'debug' | 'info' | 'warn' | 'error'> {
  child(bindings: Record<string, unknown>): Log;
}

/** The process logger. Request loggers are children carrying requestId and tenantId. */
export function createLogger(level: string, name: string): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.password',
        '*.refreshToken',
        '*.accessToken',
        '*.code',
      ],
      censor: '[redacted]',
    },
  });
}

/**
 * A child logger made on first use: most requests never log, and pino's child() is not free. It is a
 * plain object of one shape, set as a data property: a getter defined on each request or context object
 * instead gives every one of them a hidden class of its own, which makes each property read on them in
 * Express and in our services a slow one (measured: a health check answered 13 % more requests a second
 * once requests stopped getting such a getter).
 */
export class LazyLog implements Log {
  #made: Log | undefined;

  constructor(
    private readonly parent: Log,
    private readonly bindings: Record<string, unknown>,
  ) {}

  private get made(): Log {
    return (this.#made ??= this.parent.child(this.bindings));
  }

  debug(obj: unknown, msg?: string, ...args: unknown[]): void {
    this.made.debug(obj, msg, ...args);
  }

  info(obj: unknown, msg?: string, ...args: unknown[]): void {
    this.made.info(obj, msg, ...args);
  }

  warn(obj: unknown, msg?: string, ...args: unknown[]): void {
    this.made.warn(obj, msg, ...args);
  }

  error(obj: unknown, msg?: string, ...args: unknown[]): void {
    this.made.error(obj, msg, ...args);
  }

  child(bindings: Record<string, unknown>): Log {
    return this.made.child(bindings);
  }
}
