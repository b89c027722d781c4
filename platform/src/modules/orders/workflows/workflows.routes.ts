import express, { type Router } from 'express';
import type { merchantApi, platformApi, shopApi } from '@shopfleet/contracts';
import { systemContext } from '../../../kernel/context';
import type { Logger } from '../../../kernel/logger';
import type { Handlers } from '../../../kernel/http/endpoint-router';
import type { AfterSalesCaseWorkflow } from './after-sales-case';
import type { ApplyPaymentWorkflow } from './apply-payment';
import type { CancelOrderWorkflow } from './cancel-order';
import type { ComplaintsWorkflow } from './complaints';
import type { FlashPurchaseWorkflow } from './flash-purchase';
import type { GroupBuyWorkflow } from './group-buy';
import type { LinkPhoneWorkflow } from './link-phone';
import type { PlaceOrderWorkflow } from './place-order';
import type { RefundOrderWorkflow } from './refund-order';
import type { ShipOrderWorkflow } from './ship-order';
import type { WechatpayComplaintsWorkflow } from './wechatpay-complaints';

export interface Workflows {
  placeOrder: PlaceOrderWorkflow;
  flashPurchase: FlashPurchaseWorkflow;
  groupBuy: GroupBuyWorkflow;
  cancelOrder: CancelOrderWorkflow;
  applyPayment: ApplyPaymentWorkflow;
  refundOrder: RefundOrderWorkflow;
  shipOrder: ShipOrderWorkflow;
  afterSalesCase: AfterSalesCaseWorkflow;
  complaintsFlow: ComplaintsWorkflow;
  wechatComplaints: WechatpayComplaintsWorkflow;
  linkPhone: LinkPhoneWorkflow;
}

/** The shop's endpoints that run a workflow. */
export function shopWorkflowHandlers(flows: Workflows) {
  return {
    checkoutPreview: (ctx, { body }) => flows.placeOrder.preview(ctx, body),
    cartEstimate: (ctx) => flows.placeOrder.estimate(ctx),
    placeOrder: (ctx, { body, headers }) => flows.placeOrder.place(ctx, body, headers['idempotency-key']),
    buyFlashItem: (ctx, { params, body, headers }) =>
      flows.flashPurchase.buy(ctx, params.id, body, headers['idempotency-key']),
    buyInGroup: (ctx, { params, body, headers }) =>
      flows.groupBuy.buy(ctx, params.id, body, headers['idempotency-key']),
    cancelOrder: (ctx, { params, body }) => flows.cancelOrder.byShopper(ctx, params.id, body.reason),
    confirmSandboxPayment: (ctx, { params }) => flows.applyPayment.confirmSandbox(ctx, params.paymentNo),
    afterSalesQuote: (ctx, { query }) => flows.afterSalesCase.quote(ctx, query),
    requestAfterSales: (ctx, { body, headers }) => flows.afterSalesCase.request(ctx, body, headers['idempotency-key']),
    fileComplaint: (ctx, { body }) => flows.complaintsFlow.file(ctx, body),
    bindPhoneWechat: (ctx, { body }) => flows.linkPhone.byWechat(ctx, body.code),
    bindPhone: (ctx, { body }) => flows.linkPhone.bySms(ctx, body.phone, body.code),
  } satisfies Partial<Handlers<typeof shopApi>>;
}

/** The merchant's endpoints that run a workflow. */
export function merchantWorkflowHandlers(flows: Workflows) {
  return {
    shipOrder: (ctx, { params, body }) => flows.shipOrder(ctx, params.id, body.carrier, body.trackingNo),
    cancelMerchantOrder: (ctx, { params, body }) => flows.cancelOrder.byMerchant(ctx, params.id, body.reason),
    refundOrder: (ctx, { params, body }) =>
      flows.refundOrder(
        ctx,
        params.id,
        body.lines ? { lines: body.lines } : { amountFen: body.amountFen! },
        body.reason,
      ),
    approveAfterSales: (ctx, { params, body }) => flows.afterSalesCase.approve(ctx, params.id, body),
    receiveAfterSales: (ctx, { params }) => flows.afterSalesCase.receive(ctx, params.id),
  } satisfies Partial<Handlers<typeof merchantApi>>;
}

/** The platform's endpoints that run a workflow. */
export function platformWorkflowHandlers(flows: Workflows) {
  return {
    getArbitration: (ctx, { params }) => flows.complaintsFlow.detail(ctx, params.id),
    decideArbitration: (ctx, { params, body }) => flows.complaintsFlow.decide(ctx, params.id, body),
  } satisfies Partial<Handlers<typeof platformApi>>;
}

/** Where WeChat Pay posts the service provider's complaint notifications (under `/webhooks`). */
export const WECHATPAY_COMPLAINTS_WEBHOOK = '/webhooks/wechatpay/complaints';

/** WeChat Pay's complaint notifications, read raw: the signature is over the exact bytes sent. */
export function wechatComplaintWebhooks(flow: WechatpayComplaintsWorkflow, log: Logger): Router {
  const router = express.Router();
  router.post('/', express.text({ type: () => true, limit: '64kb' }), async (req, res, next) => {
    try {
      const ack = await flow.notified(systemContext(log, 'wechatpay-complaint-notification'), {
        headers: req.headers,
        rawBody: typeof req.body === 'string' ? req.body : '',
      });
      res.status(ack.status).type(ack.contentType).send(ack.body);
    } catch (err) {
      next(err);
    }
  });
  return router;
}
