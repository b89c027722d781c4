import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ErrorBody } from '@shopfleet/contracts';
import { AppError, BusyError, TooManyRequestsError } from '../errors';

/** The one place errors become HTTP: AppErrors by their code, body-parser errors as 4xx, anything else a 500. */
export const errorMiddleware: ErrorRequestHandler = (err, req, res, _next) => {
  const requestId = req.id === undefined ? undefined : String(req.id);
  const send = (status: number, error: Omit<ErrorBody['error'], 'requestId'>) => {
    if (res.headersSent) return;
    res.status(status).json({ error: { ...error, requestId } } satisfies ErrorBody);
  };
  if (err instanceof AppError) {
    if (err instanceof TooManyRequestsError || err instanceof BusyError)
      res.setHeader('Retry-After', String(err.retryAfterSeconds));
    if (err.status >= 500 && !(err instanceof BusyError)) req.log?.error({ err }, err.message);
    return send(err.status, {
      code: err.code,
      ...(err.reason === undefined ? {} : { reason: err.reason }),
      ...(err.params === undefined ? {} : { params: err.params }),
      message: err.message,
      ...(err.details === undefined ? {} : { details: err.details }),
    });
  }
  const type = (err as { type?: string }).type;
  if (type === 'entity.parse.failed')
    return send(400, { code: 'MALFORMED_JSON', message: 'The body is not valid JSON' });
  if (type === 'entity.too.large') return send(413, { code: 'PAYLOAD_TOO_LARGE', message: 'The body is too large' });
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return send(415, { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported body encoding' });
  }
  const status = (err as { status?: number }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return send(status, { code: 'VALIDATION_FAILED', message: 'Bad request' });
  }
  (req.log ?? console).error({ err }, 'unhandled error');
  return send(500, { code: 'INTERNAL', message: 'Something went wrong; quote the request id if you report it' });
};

export const notFoundMiddleware: RequestHandler = (req, res) => {
  res.status(404).json({
    error: { code: 'NOT_FOUND', message: `No route for ${req.method} ${req.path}`, requestId: String(req.id) },
  } satisfies ErrorBody);
};
