import { z } from 'zod';
import { isoDateTime } from './common';
import type { DocumentTypeName } from './notifications.constants';

/** A document type as a notification names it (see `DocumentTypeName`). */
export const documentTypeNameSchema = z.object({
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
}) satisfies z.ZodType<DocumentTypeName>;

/** A param as stored and sent: text, a number, or a document type's names. */
export const notificationParamSchema = z.union([z.string(), z.number(), documentTypeNameSchema]);
export const notificationParamsSchema = z.record(z.string(), notificationParamSchema);

export const notificationSchema = z
  .object({
    id: z.number().int(),
    kind: z.string(),
    /** In Chinese, as the email and the SMS said it: the only text of a notification from before the codes. */
    title: z.string(),
    body: z.string(),
    /** What to say, in the reader's language (`NotificationTextCode`); null on a notification from before the codes. */
    textCode: z.string().nullable(),
    textParams: notificationParamsSchema,
    data: z.unknown(),
    readAt: isoDateTime.nullable(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof notificationSchema>;

/** What the alerts socket sends: `ready` once signed in, an `alert` (the notification just written), `pong`. */
export const alertServerFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('alert'), notification: notificationSchema }),
  z.object({ type: z.literal('pong') }),
]);
export type AlertServerFrame = z.infer<typeof alertServerFrameSchema>;
