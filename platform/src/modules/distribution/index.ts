export { distributionRepository, type DistributionRepository } from './distribution.repository';
export { commissionService, type CommissionService, type PaidLine } from './commission.service';
export {
  distributionService,
  type DistributionService,
  type WalletTransfers,
  type TransferState,
} from './distribution.service';
export { distributionJobs, scheduleDistributionJobs, type DistributionJobs } from './distribution.jobs';
export { merchantDistributionHandlers, shopDistributionHandlers } from './distribution.routes';
