import type {
  MemberDetail,
  MemberLevel,
  MemberLevelInput,
  MemberListQuery,
  MemberSettings,
  MemberSummary,
  Page,
  PointsAdjustBody,
  PointsEntry,
} from '@shopfleet/contracts';
import { merchantHttp, type PageQuery } from './request';

/** A page of members: by nickname or phone digits, by level, in one of the sorts. */
export type MemberQuery = PageQuery & Partial<Pick<MemberListQuery, 'q' | 'levelId' | 'sort'>>;

/** GET /merchant-api/v1/members: level, growth, points, paid orders, spend and last visit of each. */
export function listMembers(query: MemberQuery): Promise<Page<MemberSummary>> {
  return merchantHttp.get<Page<MemberSummary>>('/members', { ...query });
}

/** GET /merchant-api/v1/members/:id (a shopper id): the figures, the sign-in streak and the favourites. */
export function getMember(id: number): Promise<MemberDetail> {
  return merchantHttp.get<MemberDetail>(`/members/${id}`);
}

/** GET /merchant-api/v1/members/:id/points: the points ledger, newest first. */
export function memberPoints(id: number, query: PageQuery): Promise<Page<PointsEntry>> {
  return merchantHttp.get<Page<PointsEntry>>(`/members/${id}/points`, { ...query });
}

/** POST /merchant-api/v1/members/:id/points: add to or take from the available points, with why (409 POINTS_NOT_ENOUGH). */
export function adjustPoints(id: number, body: PointsAdjustBody): Promise<MemberDetail> {
  return merchantHttp.post<MemberDetail>(`/members/${id}/points`, body, { silent: true });
}

/** GET /merchant-api/v1/member-levels: lowest first, with how many members each has. */
export function listMemberLevels(): Promise<MemberLevel[]> {
  return merchantHttp.get<MemberLevel[]>('/member-levels');
}

/** POST /merchant-api/v1/member-levels (201): members are placed again (409 MEMBER_LEVEL_THRESHOLD_TAKEN, MEMBER_LEVELS_FULL). */
export function createMemberLevel(body: MemberLevelInput): Promise<MemberLevel> {
  return merchantHttp.post<MemberLevel>('/member-levels', body);
}

/** PUT /merchant-api/v1/member-levels/:id: members are placed again. */
export function updateMemberLevel(id: number, body: MemberLevelInput): Promise<MemberLevel> {
  return merchantHttp.put<MemberLevel>(`/member-levels/${id}`, body);
}

/** DELETE /merchant-api/v1/member-levels/:id: its members fall to the level below. */
export function deleteMemberLevel(id: number): Promise<{ ok: true }> {
  return merchantHttp.delete<{ ok: true }>(`/member-levels/${id}`);
}

/** GET /merchant-api/v1/member-settings: points, sign-in and growth rules. */
export function getMemberSettings(): Promise<MemberSettings> {
  return merchantHttp.get<MemberSettings>('/member-settings');
}

/** PUT /merchant-api/v1/member-settings: points already earned keep their validity. */
export function updateMemberSettings(body: MemberSettings): Promise<MemberSettings> {
  return merchantHttp.put<MemberSettings>('/member-settings', body);
}
