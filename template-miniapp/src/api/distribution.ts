import type {
  Arrival,
  Commission,
  CommissionState,
  DistributionCentre,
  Page,
  TeamMember,
  Withdrawal,
} from '@shopfleet/contracts';
import { shopRequest } from '../request';

/** GET /shops/:shopKey/distribution — the distribution centre: the shop's rules for shoppers, my distributor record and money, my binding. */
export function distributionCentre(): Promise<DistributionCentre> {
  return shopRequest<DistributionCentre>({ method: 'GET', path: '/distribution', auth: true });
}

/** POST /shops/:shopKey/distribution/apply — become a distributor (approved at once when the shop admits everyone). */
export function applyDistributor(): Promise<DistributionCentre> {
  return shopRequest<DistributionCentre>({ method: 'POST', path: '/distribution/apply', auth: true });
}

/** GET /shops/:shopKey/distribution/team — the shoppers bound to me (level 1) or to my distributors (level 2). */
export function myTeam(query: { level: 1 | 2; page: number; pageSize: number }): Promise<Page<TeamMember>> {
  return shopRequest<Page<TeamMember>>({ method: 'GET', path: '/distribution/team', query, auth: true });
}

/** GET /shops/:shopKey/distribution/commissions — my commission by attributed order, newest first. */
export function myCommissions(query: {
  state?: CommissionState;
  page: number;
  pageSize: number;
}): Promise<Page<Commission>> {
  return shopRequest<Page<Commission>>({ method: 'GET', path: '/distribution/commissions', query, auth: true });
}

/** GET /shops/:shopKey/distribution/withdrawals — my withdrawals, newest first. */
export function myWithdrawals(query: { page: number; pageSize: number }): Promise<Page<Withdrawal>> {
  return shopRequest<Page<Withdrawal>>({ method: 'GET', path: '/distribution/withdrawals', query, auth: true });
}

/** POST /shops/:shopKey/distribution/withdrawals — withdraw available commission (201). */
export function requestWithdrawal(amountFen: number): Promise<Withdrawal> {
  return shopRequest<Withdrawal>({
    method: 'POST',
    path: '/distribution/withdrawals',
    body: { amountFen },
    auth: true,
  });
}

/** POST /shops/:shopKey/distribution/arrivals — the shopper arrived through a share: bound to its sharer by the shop's rule. */
export function shareArrival(code: string): Promise<Arrival> {
  return shopRequest<Arrival>({ method: 'POST', path: '/distribution/arrivals', body: { code }, auth: true });
}
