import { z } from 'zod';

/** Stable error codes. Clients branch on these, never on message text. */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'MALFORMED_REQUEST',
  'HEADERS_TOO_LARGE',
  'REQUEST_TIMEOUT',
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'TOKEN_INVALID',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'INVALID_CREDENTIALS',
  'TOO_MANY_REQUESTS',
  'TENANT_NOT_ACTIVE',
  'SHOP_NOT_FOUND',
  'SHOP_NOT_OPEN',
  'SHOP_SUSPENDED',
  'WRONG_SHOP',
  'OTP_INVALID',
  'WECHAT_LOGIN_FAILED',
  'WECHAT_NOT_CONFIGURED',
  'FILE_TYPE_NOT_ALLOWED',
  'UPSTREAM_UNAVAILABLE',
  'BUSY',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z.unknown().optional(),
      requestId: z.string().optional(),
    }),
  })
  .meta({ id: 'ErrorBody' });

export type ErrorBody = z.infer<typeof errorBodySchema>;
