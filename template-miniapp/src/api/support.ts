import type { z } from 'zod';
import type {
  ShopSupport,
  SupportMessage,
  SupportSendBody,
  reviewImageSchema,
  supportMessagesSchema,
} from '@shopfleet/contracts';
import { shopRequest, shopUpload } from '../request';

export type SupportMessages = z.infer<typeof supportMessagesSchema>;
export type SupportImage = z.infer<typeof reviewImageSchema>;

/**
 * GET /shops/:shopKey/support — the shopper's conversation with the shop: its last seq, unread replies, its status,
 * the agent's name once one has it, and whether an agent is online now.
 */
export function mySupport(): Promise<ShopSupport> {
  return shopRequest<ShopSupport>({ method: 'GET', path: '/support', auth: true });
}

/** GET /shops/:shopKey/support/messages — the newest messages, those before a seq (older), or after one (catching up). */
export function mySupportMessages(query: {
  before?: number;
  after?: number;
  limit?: number;
}): Promise<SupportMessages> {
  return shopRequest<SupportMessages>({
    method: 'GET',
    path: '/support/messages',
    query: { before: query.before, after: query.after, limit: query.limit },
    auth: true,
  });
}

/**
 * POST /shops/:shopKey/support/messages — write to the shop (the socket's `send` when it is down); the first message
 * opens the conversation. A retry with the same clientMsgId answers with the first.
 */
export function sendMySupportMessage(body: SupportSendBody): Promise<SupportMessage> {
  return shopRequest<SupportMessage>({ method: 'POST', path: '/support/messages', body: { ...body }, auth: true });
}

/** POST /shops/:shopKey/support/subscribe — the shopper's answer to the subscribe-message request (mini-program). */
export function subscribeMySupport(templateId: string, accepted: boolean): Promise<{ ok: true }> {
  return shopRequest<{ ok: true }>({
    method: 'POST',
    path: '/support/subscribe',
    body: { templateId, accepted },
    auth: true,
  });
}

/** POST /shops/:shopKey/support/read — the shop's replies are read up to `seq`. */
export function readMySupport(seq: number): Promise<{ ok: true }> {
  return shopRequest<{ ok: true }>({ method: 'POST', path: '/support/read', body: { seq }, auth: true });
}

/** POST /shops/:shopKey/support/images — upload one image to send (JPEG, PNG or WebP, at most 5 MB), field `file`. */
export function uploadSupportImage(filePath: string): Promise<SupportImage> {
  return shopUpload<SupportImage>({ path: '/support/images', filePath, field: 'file', auth: true });
}
