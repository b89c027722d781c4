import { z } from 'zod';

/** Queue names are nouns; job names verb-noun. Producers and processors both import these. */
export const QUEUES = {
  maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const MAINTENANCE_JOBS = {
  purgeExpiredTokens: 'purge-expired-tokens',
} as const;

export const purgeExpiredTokensPayloadSchema = z.strictObject({
  /** Tokens that expired or were revoked before this instant are deleted. ISO date-time. */
  before: z.string().optional(),
});
export type PurgeExpiredTokensPayload = z.infer<typeof purgeExpiredTokensPayloadSchema>;
