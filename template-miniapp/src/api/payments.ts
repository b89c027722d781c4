import type { z } from 'zod';
import type { Order, PayOrderBody, PayParams, PaymentClient, paymentMethodsSchema } from '@shopfleet/contracts';
import { shopRequest } from '../request';

export type PaymentMethods = z.infer<typeof paymentMethodsSchema>;

/** GET /shops/:shopKey/payment-methods?client= — how this shop can be paid from this client. */
export function paymentMethods(client: PaymentClient): Promise<PaymentMethods> {
  return shopRequest<PaymentMethods>({ method: 'GET', path: '/payment-methods', query: { client } });
}

/** POST /shops/:shopKey/orders/:id/pay — start paying: wx.requestPayment parameters, a URL, a QR code or a sandbox payment. */
export function payOrder(orderId: number, body: PayOrderBody): Promise<PayParams> {
  return shopRequest<PayParams>({ method: 'POST', path: `/orders/${orderId}/pay`, body: { ...body }, auth: true });
}

/** POST /shops/:shopKey/payments/:paymentNo/sandbox-confirm — test mode: complete a sandbox payment. */
export function confirmSandboxPayment(paymentNo: string): Promise<Order> {
  return shopRequest<Order>({
    method: 'POST',
    path: `/payments/${encodeURIComponent(paymentNo)}/sandbox-confirm`,
    auth: true,
  });
}
