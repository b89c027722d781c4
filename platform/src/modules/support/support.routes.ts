import type { merchantApi, shopApi } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { SupportService, WechatInbound } from './support.service';

/** The agents' endpoints (live messages go over the WebSocket, `support.gateway.ts`). */
export function merchantSupportHandlers(support: SupportService) {
  return {
    supportMe: (ctx) => support.me(ctx),
    setSupportStatus: (ctx, { body }) => support.setStatus(ctx, body.status),
    supportAgents: (ctx) => support.agents(ctx),
    supportInbox: (ctx, { query }) => support.inbox(ctx, query),
    supportSearch: (ctx, { query }) => support.search(ctx, query),
    getSupportConversation: (ctx, { params }) => support.detail(ctx, params.id),
    supportConversationMessages: (ctx, { params, query }) => support.historyOf(ctx, params.id, query),
    sendSupportMessage: (ctx, { params, body }) => support.reply(ctx, params.id, body),
    readSupportConversation: (ctx, { params, body }) => support.readAsAgent(ctx, params.id, body.seq),
    claimSupportConversation: (ctx, { params }) => support.claim(ctx, params.id),
    transferSupportConversation: (ctx, { params, body }) => support.transfer(ctx, params.id, body.agentId),
    closeSupportConversation: (ctx, { params }) => support.close(ctx, params.id),
    uploadSupportImage: (ctx, { file }) => support.uploadImage(ctx, file!.buffer),
    listQuickReplies: (ctx) => support.quickReplies(ctx),
    createQuickReply: (ctx, { body }) => support.addQuickReply(ctx, body.text),
    updateQuickReply: (ctx, { params, body }) => support.updateQuickReply(ctx, params.id, body.text),
    deleteQuickReply: (ctx, { params }) => support.deleteQuickReply(ctx, params.id),
  } satisfies Partial<Handlers<typeof merchantApi>>;
}

/** The shopper's endpoints. */
export function shopSupportHandlers(support: SupportService) {
  return {
    mySupport: (ctx) => support.mine(ctx),
    mySupportMessages: (ctx, { query }) => support.myHistory(ctx, query),
    sendMySupportMessage: (ctx, { body }) => support.sendMine(ctx, body),
    readMySupport: (ctx, { body }) => support.readMine(ctx, body.seq),
    subscribeMySupport: (ctx, { body }) => support.subscribe(ctx, body),
    uploadMySupportImage: (ctx, { file }) => support.uploadMine(ctx, file!.buffer),
  } satisfies Partial<Handlers<typeof shopApi>>;
}

/**
 * A user's message to the shop's mini-program contact button, as WeChat's push carried it (already verified and
 * decrypted by the third-party platform's message URL): into the shop's inbox.
 */
export function wechatCustomerServiceHandler(support: SupportService) {
  return async (ctx: TenantContext, fields: Record<string, string>): Promise<void> => {
    const openid = fields.FromUserName ?? '';
    const msgId = fields.MsgId ?? `${openid}-${fields.CreateTime ?? ''}`;
    const at = new Date(Number(fields.CreateTime ?? 0) * 1000 || Date.now());
    if (!openid) return;
    let content: WechatInbound['content'];
    if (fields.MsgType === 'text') {
      const text = (fields.Content ?? '').trim();
      if (!text) return;
      content = { text };
    } else if (fields.MsgType === 'image') content = { picUrl: fields.PicUrl ?? '' };
    else content = { title: fields.Title ?? '' };
    await support.receiveWechat(ctx, { openid, msgId, at, content });
  };
}
