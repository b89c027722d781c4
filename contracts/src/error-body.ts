import { z } from 'zod';
import { ERROR_CODES, ERROR_REASON_KEYS, type ErrorReason } from './errors';

const paramsSchema = z.record(z.string(), z.union([z.string(), z.number()]));

/**
 * One problem with the input, in `details.issues`: where (`body.title`), what (a schema issue code, or
 * `custom` with a reason of ours), its params, and an English message as the fallback.
 */
export const errorIssueSchema = z
  .object({
    path: z.string(),
    code: z.string(),
    reason: z.enum(ERROR_REASON_KEYS as [ErrorReason, ...ErrorReason[]]).optional(),
    params: paramsSchema.optional(),
    message: z.string(),
  })
  .meta({ id: 'ErrorIssue' });
export type ErrorIssue = z.infer<typeof errorIssueSchema>;

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      /** Why, within the code; rendered by the front ends from their locale texts. */
      reason: z.enum(ERROR_REASON_KEYS as [ErrorReason, ...ErrorReason[]]).optional(),
      params: paramsSchema.optional(),
      /** English, for logs and as the last fallback; never branched on. */
      message: z.string(),
      details: z.unknown().optional(),
      requestId: z.string().optional(),
    }),
  })
  .meta({ id: 'ErrorBody' });

export type ErrorBody = z.infer<typeof errorBodySchema>;
