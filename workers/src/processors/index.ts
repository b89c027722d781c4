import type { ProcessorDef } from './processor';
import { maintenanceProcessor } from './maintenance.processor';
import { qualificationsProcessor } from './qualifications.processor';
import { catalogImportsProcessor } from './catalog-imports.processor';
import { orderTimeoutsProcessor } from './order-timeouts.processor';
import { paymentsProcessor } from './payments.processor';
import { releasesProcessor } from './releases.processor';
import { submissionsProcessor } from './submissions.processor';
import { codeUploadsProcessor } from './code-uploads.processor';

/** Every processor the worker process runs. */
export const PROCESSORS: ProcessorDef[] = [
  maintenanceProcessor,
  qualificationsProcessor,
  catalogImportsProcessor,
  orderTimeoutsProcessor,
  paymentsProcessor,
  releasesProcessor,
  submissionsProcessor,
  codeUploadsProcessor,
];
export type { ProcessorDef };
