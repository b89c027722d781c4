import type { ProcessorDef } from './processor';
import { maintenanceProcessor } from './maintenance.processor';

/** Every processor the worker process runs. */
export const PROCESSORS: ProcessorDef[] = [maintenanceProcessor];
export type { ProcessorDef };
