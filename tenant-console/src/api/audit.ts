import type { AuditEntry, Page } from '@shopfleet/contracts';
import { merchantHttp, platformHttp, type PageQuery } from './request';

/** GET /merchant-api/v1/audit-log: the shop's own log, newest first. */
export function listShopAudit(query: PageQuery): Promise<Page<AuditEntry>> {
  return merchantHttp.get<Page<AuditEntry>>('/audit-log', { ...query });
}

/** GET /platform-api/v1/audit-log: the platform-wide log, newest first. */
export function listPlatformAudit(query: PageQuery): Promise<Page<AuditEntry>> {
  return platformHttp.get<Page<AuditEntry>>('/audit-log', { ...query });
}
