import type {
  Commission,
  CommissionEntry,
  CommissionRule,
  CommissionRuleInput,
  CommissionState,
  DistributionOverview,
  DistributionSettings,
  Distributor,
  DistributorStatus,
  Page,
  Withdrawal,
  WithdrawalMethod,
  WithdrawalStatus,
} from '@shopfleet/contracts';
import type { PageQuery } from './request';
import { merchantHttp } from './request';

/** GET /merchant-api/v1/distribution/overview: distributors, bound shoppers, attributed orders, money by state. */
export function getDistributionOverview(): Promise<DistributionOverview> {
  return merchantHttp.get<DistributionOverview>('/distribution/overview');
}

/** GET /merchant-api/v1/distribution/settings: the shop's rules (the defaults until it sets its own). */
export function getDistributionSettings(): Promise<DistributionSettings> {
  return merchantHttp.get<DistributionSettings>('/distribution/settings');
}

/** PUT /merchant-api/v1/distribution/settings: commission already counted keeps its rates. */
export function updateDistributionSettings(body: DistributionSettings): Promise<DistributionSettings> {
  return merchantHttp.put<DistributionSettings>('/distribution/settings', body);
}

/** GET /merchant-api/v1/distributors: newest first, of one status or all, with team, orders and money. */
export function listDistributors(query: PageQuery & { status?: DistributorStatus }): Promise<Page<Distributor>> {
  return merchantHttp.get<Page<Distributor>>('/distributors', { ...query });
}

/** POST /merchant-api/v1/distributors/:id/approve: an application, or a disabled distributor enabled again. */
export function approveDistributor(id: number): Promise<Distributor> {
  return merchantHttp.post<Distributor>(`/distributors/${id}/approve`);
}

/** POST /merchant-api/v1/distributors/:id/reject: an application refused, with a reason. */
export function rejectDistributor(id: number, reason: string): Promise<Distributor> {
  return merchantHttp.post<Distributor>(`/distributors/${id}/reject`, { reason });
}

/** POST /merchant-api/v1/distributors/:id/disable: no more commission (what was earned stays theirs). */
export function disableDistributor(id: number, reason: string): Promise<Distributor> {
  return merchantHttp.post<Distributor>(`/distributors/${id}/disable`, { reason });
}

/** GET /merchant-api/v1/distributors/:id/ledger: the distributor's money moves, newest first. */
export function distributorLedger(id: number, query: PageQuery): Promise<Page<CommissionEntry>> {
  return merchantHttp.get<Page<CommissionEntry>>(`/distributors/${id}/ledger`, { ...query });
}

/** GET /merchant-api/v1/distribution/rules: per-product rates. */
export function listCommissionRules(): Promise<CommissionRule[]> {
  return merchantHttp.get<CommissionRule[]>('/distribution/rules');
}

/** PUT /merchant-api/v1/distribution/rules/:productId: a product's rates. */
export function setCommissionRule(productId: number, body: CommissionRuleInput): Promise<CommissionRule> {
  return merchantHttp.put<CommissionRule>(`/distribution/rules/${productId}`, body);
}

/** DELETE /merchant-api/v1/distribution/rules/:productId: the product earns the default rates again. */
export function deleteCommissionRule(productId: number): Promise<{ ok: true }> {
  return merchantHttp.delete<{ ok: true }>(`/distribution/rules/${productId}`);
}

/** GET /merchant-api/v1/distribution/commissions: newest first, by distributor or state. */
export function listCommissions(
  query: PageQuery & { state?: CommissionState; distributorId?: number },
): Promise<Page<Commission>> {
  return merchantHttp.get<Page<Commission>>('/distribution/commissions', { ...query });
}

/** GET /merchant-api/v1/distribution/withdrawals: newest first, by status. */
export function listWithdrawals(query: PageQuery & { status?: WithdrawalStatus }): Promise<Page<Withdrawal>> {
  return merchantHttp.get<Page<Withdrawal>>('/distribution/withdrawals', { ...query });
}

/** POST /merchant-api/v1/distribution/withdrawals/:id/approve: paid by WeChat Pay's transfer, or marked paid by hand. */
export function approveWithdrawal(id: number, method: WithdrawalMethod): Promise<Withdrawal> {
  return merchantHttp.post<Withdrawal>(`/distribution/withdrawals/${id}/approve`, { method });
}

/** POST /merchant-api/v1/distribution/withdrawals/:id/reject: refused with a reason; the money goes back. */
export function rejectWithdrawal(id: number, reason: string): Promise<Withdrawal> {
  return merchantHttp.post<Withdrawal>(`/distribution/withdrawals/${id}/reject`, { reason });
}
