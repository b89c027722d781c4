import type {
  AlipaySettingsInput,
  EndpointInput,
  EndpointResponse,
  Page,
  PaymentSettings,
  Refund,
  UnionPaySettingsInput,
  WechatPaySettingsInput,
  merchantApi,
} from '@shopfleet/contracts';
import { merchantHttp, type PageQuery } from './request';

export type PaymentModeBody = EndpointInput<typeof merchantApi.updatePaymentMode>['body'];
export type Discrepancy = EndpointResponse<typeof merchantApi.listDiscrepancies>['items'][number];

export interface DiscrepancyQuery extends PageQuery {
  resolved?: 'true' | 'false';
}

/** GET /merchant-api/v1/payment-settings: how the shop takes payments; secrets are never returned, only whether they are stored. */
export function getPaymentSettings(): Promise<PaymentSettings> {
  return merchantHttp.get<PaymentSettings>('/payment-settings');
}

/** PUT /merchant-api/v1/payment-settings/mode: test mode (the sandbox only, no money moves) or live. */
export function updatePaymentMode(body: PaymentModeBody): Promise<PaymentSettings> {
  return merchantHttp.put<PaymentSettings>('/payment-settings/mode', body);
}

/** PUT /merchant-api/v1/payment-settings/wechat: as a merchant or a sub-merchant; an omitted key keeps the stored one. */
export function updateWechatPaySettings(body: WechatPaySettingsInput): Promise<PaymentSettings> {
  return merchantHttp.put<PaymentSettings>('/payment-settings/wechat', body);
}

/** DELETE /merchant-api/v1/payment-settings/wechat: stop taking WeChat Pay. */
export function deleteWechatPaySettings(): Promise<PaymentSettings> {
  return merchantHttp.delete<PaymentSettings>('/payment-settings/wechat');
}

/** PUT /merchant-api/v1/payment-settings/alipay: an omitted key keeps the stored one. */
export function updateAlipaySettings(body: AlipaySettingsInput): Promise<PaymentSettings> {
  return merchantHttp.put<PaymentSettings>('/payment-settings/alipay', body);
}

/** DELETE /merchant-api/v1/payment-settings/alipay: stop taking Alipay. */
export function deleteAlipaySettings(): Promise<PaymentSettings> {
  return merchantHttp.delete<PaymentSettings>('/payment-settings/alipay');
}

/** PUT /merchant-api/v1/payment-settings/unionpay: the merchant number and, the first time or to replace it, the signing .pfx with its password. */
export function updateUnionPaySettings(body: UnionPaySettingsInput): Promise<PaymentSettings> {
  return merchantHttp.put<PaymentSettings>('/payment-settings/unionpay', body);
}

/** DELETE /merchant-api/v1/payment-settings/unionpay: stop taking UnionPay. */
export function deleteUnionPaySettings(): Promise<PaymentSettings> {
  return merchantHttp.delete<PaymentSettings>('/payment-settings/unionpay');
}

/** GET /merchant-api/v1/payments/discrepancies: what the daily reconciliation found between orders and the providers' records. */
export function listDiscrepancies(query: DiscrepancyQuery): Promise<Page<Discrepancy>> {
  return merchantHttp.get<Page<Discrepancy>>('/payments/discrepancies', { ...query });
}

/** POST /merchant-api/v1/refunds/:id/retry: send a failed refund again under the same refund number (its amount is reserved on the order again). */
export function retryRefund(id: number): Promise<Refund> {
  return merchantHttp.post<Refund>(`/refunds/${id}/retry`);
}
