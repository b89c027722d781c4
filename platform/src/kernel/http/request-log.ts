import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { LazyLog, type Logger } from '../logger';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const QUIET = new Set(['/healthz', '/readyz', '/metrics']);
/**
 * Refusals that are the API working as designed — a state conflict (sold out, a limit reached, changed meanwhile) or a
 * thing not found — logged at info, not warn: a flash sale answers thousands of them a second. Bad input, failed
 * sign-ins, forbidden requests and rate limits stay warnings.
 */
const EXPECTED = new Set([404, 409]);

/**
 * Request ids and one log line per request, with pino. It does what pino-http did for us, without a
 * child logger per request: `req.log` is made on first use (`LazyLog`), so the hot read paths that never
 * log pay nothing for it (measured: pino-http took about a seventh of a cached shop read's CPU).
 */
export function requestLog(root: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    req.log = new LazyLog(root, { reqId: id });
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      if (QUIET.has(req.path)) return;
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 && !EXPECTED.has(status) ? 'warn' : 'info';
      if (!root.isLevelEnabled(level)) return;
      const tenantId = res.locals.tenantId as number | undefined;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      root[level](
        {
          reqId: id,
          ...(tenantId ? { tenantId } : {}),
          req: { method: req.method, url: req.originalUrl },
          res: { statusCode: status },
          responseTime: Math.round(ms * 10) / 10,
        },
        'request completed',
      );
    });
    next();
  };
}
