import type { merchantApi, shopApi } from '@shopfleet/contracts';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { DistributionService } from './distribution.service';

export function merchantDistributionHandlers(distribution: DistributionService) {
  return {
    distributionOverview: (ctx) => distribution.overview(ctx),
    getDistributionSettings: (ctx) => distribution.settings(ctx),
    updateDistributionSettings: (ctx, { body }) => distribution.updateSettings(ctx, body),
    listDistributors: (ctx, { query }) => distribution.distributors(ctx, query),
    approveDistributor: (ctx, { params }) => distribution.approve(ctx, params.id),
    rejectDistributor: (ctx, { params, body }) => distribution.reject(ctx, params.id, body.reason),
    disableDistributor: (ctx, { params, body }) => distribution.disable(ctx, params.id, body.reason),
    distributorLedger: (ctx, { params, query }) => distribution.ledger(ctx, params.id, query.page, query.pageSize),
    listCommissionRules: (ctx) => distribution.rules(ctx),
    setCommissionRule: (ctx, { params, body }) => distribution.setRule(ctx, params.productId, body),
    deleteCommissionRule: (ctx, { params }) => distribution.deleteRule(ctx, params.productId),
    listCommissions: (ctx, { query }) => distribution.commissions(ctx, query),
    listWithdrawals: (ctx, { query }) => distribution.withdrawals(ctx, query),
    approveWithdrawal: (ctx, { params, body }) => distribution.approveWithdrawal(ctx, params.id, body.method),
    rejectWithdrawal: (ctx, { params, body }) => distribution.rejectWithdrawal(ctx, params.id, body.reason),
  } satisfies Partial<Handlers<typeof merchantApi>>;
}

export function shopDistributionHandlers(distribution: DistributionService) {
  return {
    distributionCentre: (ctx) => distribution.centre(ctx),
    applyDistributor: (ctx) => distribution.apply(ctx),
    myTeam: (ctx, { query }) => distribution.team(ctx, query.level, query.page, query.pageSize),
    myCommissions: (ctx, { query }) => distribution.myCommissions(ctx, query),
    myWithdrawals: (ctx, { query }) => distribution.myWithdrawals(ctx, query.page, query.pageSize),
    requestWithdrawal: (ctx, { body }) => distribution.requestWithdrawal(ctx, body.amountFen),
    shareArrival: (ctx, { body }) => distribution.arrive(ctx, body.code),
  } satisfies Partial<Handlers<typeof shopApi>>;
}
