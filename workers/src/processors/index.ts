import type { ProcessorDef } from './processor';
import { maintenanceProcessor } from './maintenance.processor';
import { qualificationsProcessor } from './qualifications.processor';
import { catalogImportsProcessor } from './catalog-imports.processor';
import { orderTimeoutsProcessor } from './order-timeouts.processor';
import { paymentsProcessor } from './payments.processor';
import { templateBuildsProcessor } from './template-builds.processor';
import { submissionsProcessor } from './submissions.processor';
import { codeUploadsProcessor } from './code-uploads.processor';
import { afterSalesProcessor } from './after-sales.processor';
import { supportProcessor } from './support.processor';

/** Every processor the worker process runs. */
export const PROCESSORS: ProcessorDef[] = [
  maintenanceProcessor,
  qualificationsProcessor,
  catalogImportsProcessor,
  orderTimeoutsProcessor,
  paymentsProcessor,
  templateBuildsProcessor,
  submissionsProcessor,
  codeUploadsProcessor,
  afterSalesProcessor,
  supportProcessor,
];
export type { ProcessorDef };
