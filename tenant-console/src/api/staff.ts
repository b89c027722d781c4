import type { Page, StaffMember } from '@shopfleet/contracts';
import { merchantHttp, type PageQuery } from './request';

/** GET /merchant-api/v1/staff */
export function listStaff(query: PageQuery): Promise<Page<StaffMember>> {
  return merchantHttp.get<Page<StaffMember>>('/staff', { ...query });
}
