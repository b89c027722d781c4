import express, { type Router } from 'express';
import type { merchantApi } from '@shopfleet/contracts';
import { systemContext } from '../../kernel/context';
import { AppError } from '../../kernel/errors';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { Logger } from '../../kernel/logger';
import { PushRejected, type WechatAuthorizationService } from './wechat-authorization.service';

export function merchantMiniappHandlers(auth: WechatAuthorizationService) {
  return {
    getWechatAuthorization: (ctx) => auth.status(ctx),
    createWechatAuthorizationLink: (ctx, { body }) => auth.link(ctx, body.device),
  } satisfies Partial<Handlers<typeof merchantApi>>;
}

const one = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * `/webhooks/wechat/component`: WeChat's encrypted pushes to the third-party platform (answer the
 * text `success`); `/webhooks/wechat/authorized`: where WeChat sends the merchant's browser back after
 * authorizing, which lands on the console page with the outcome.
 */
export function wechatWebhooks(auth: WechatAuthorizationService, log: Logger): Router {
  const router = express.Router();
  router.post('/component', express.text({ type: () => true, limit: '64kb' }), async (req, res, next) => {
    const ctx = systemContext(log.child({ component: 'wechat-push' }), 'wechat-push');
    try {
      const outcome = await auth.handlePush(ctx, {
        timestamp: one(req.query.timestamp),
        nonce: one(req.query.nonce),
        msgSignature: one(req.query.msg_signature),
        rawBody: typeof req.body === 'string' ? req.body : '',
      });
      ctx.log.info({ outcome }, 'wechat push applied');
      res.type('text/plain').send('success');
    } catch (err) {
      if (err instanceof PushRejected) {
        ctx.log.warn({ reason: err.message }, 'wechat push rejected');
        res.status(400).type('text/plain').send('fail');
        return;
      }
      next(err);
    }
  });
  router.get('/authorized', async (req, res) => {
    const ctx = systemContext(log.child({ component: 'wechat-authorization' }), 'wechat-authorization');
    const back = (query: Record<string, string>) =>
      res.redirect(302, `/console/miniapp/authorization?${new URLSearchParams(query).toString()}`);
    try {
      const code = one(req.query.auth_code);
      if (!code) return back({ result: 'failed', reason: 'WeChat sent no authorization code' });
      await auth.complete(ctx, one(req.query.state), code);
      back({ result: 'authorized' });
    } catch (err) {
      ctx.log.warn({ err: (err as Error).message }, 'wechat authorization not completed');
      back({
        result: 'failed',
        reason: err instanceof AppError ? err.message : 'WeChat could not confirm the authorization',
      });
    }
  });
  return router;
}
