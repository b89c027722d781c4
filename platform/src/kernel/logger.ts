import pino, { type Logger } from 'pino';

export type { Logger };

/** The process logger. Request loggers are children carrying requestId and tenantId. */
export function createLogger(level: string, name: string): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.refreshToken', '*.accessToken', '*.code'],
      censor: '[redacted]',
    },
  });
}
