import type { MerchantPermission, PlatformPermission } from '@shopfleet/contracts';

/** Any permission code a console route or button can ask for. */
export type ConsolePermission = MerchantPermission | PlatformPermission;
