import type { ProcessorDef } from './processor';
import { maintenanceProcessor } from './maintenance.processor';
import { qualificationsProcessor } from './qualifications.processor';
import { catalogImportsProcessor } from './catalog-imports.processor';

/** Every processor the worker process runs. */
export const PROCESSORS: ProcessorDef[] = [maintenanceProcessor, qualificationsProcessor, catalogImportsProcessor];
export type { ProcessorDef };
