import type { ProcessorDef } from './processor';
import { maintenanceProcessor } from './maintenance.processor';
import { qualificationsProcessor } from './qualifications.processor';

/** Every processor the worker process runs. */
export const PROCESSORS: ProcessorDef[] = [maintenanceProcessor, qualificationsProcessor];
export type { ProcessorDef };
