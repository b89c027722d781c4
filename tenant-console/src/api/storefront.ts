import type {
  CreatePageBody,
  DesignPage,
  PageContent,
  PagePreview,
  PageSummary,
  PageVersion,
  DesignTabBar,
  TabBar,
  TabIcon,
} from '@shopfleet/contracts';
import { merchantHttp } from './request';

/** GET /merchant-api/v1/storefront/pages: the home page first, then custom pages by key. */
export function listDesignPages(): Promise<PageSummary[]> {
  return merchantHttp.get<PageSummary[]>('/storefront/pages');
}

/** POST /merchant-api/v1/storefront/pages: a custom page (活动页) with an empty draft. */
export function createDesignPage(body: CreatePageBody): Promise<DesignPage> {
  return merchantHttp.post<DesignPage>('/storefront/pages', body);
}

/** GET /merchant-api/v1/storefront/pages/:id: a page with its draft. */
export function getDesignPage(id: number): Promise<DesignPage> {
  return merchantHttp.get<DesignPage>(`/storefront/pages/${id}`);
}

/** PUT /merchant-api/v1/storefront/pages/:id/draft: save the draft (checked by the server). */
export function saveDesignDraft(id: number, draft: PageContent): Promise<DesignPage> {
  return merchantHttp.put<DesignPage>(`/storefront/pages/${id}/draft`, draft);
}

/** DELETE /merchant-api/v1/storefront/pages/:id: a custom page and its versions. */
export function deleteDesignPage(id: number): Promise<{ ok: true }> {
  return merchantHttp.delete<{ ok: true }>(`/storefront/pages/${id}`);
}

/** POST /merchant-api/v1/storefront/pages/:id/publish: the draft becomes the version shoppers see. */
export function publishDesignPage(id: number): Promise<PageVersion> {
  return merchantHttp.post<PageVersion>(`/storefront/pages/${id}/publish`);
}

/** GET /merchant-api/v1/storefront/pages/:id/versions: newest first. */
export function listDesignVersions(id: number): Promise<PageVersion[]> {
  return merchantHttp.get<PageVersion[]>(`/storefront/pages/${id}/versions`);
}

/** POST /merchant-api/v1/storefront/pages/:id/versions/:version/restore: roll back to that version. */
export function restoreDesignVersion(id: number, version: number): Promise<PageVersion> {
  return merchantHttp.post<PageVersion>(`/storefront/pages/${id}/versions/${version}/restore`);
}

/** POST /merchant-api/v1/storefront/pages/:id/preview: a token that shows the draft on a phone. */
export function previewDesignPage(id: number): Promise<PagePreview> {
  return merchantHttp.post<PagePreview>(`/storefront/pages/${id}/preview`);
}

/** GET /merchant-api/v1/storefront/tab-bar: as set, or the one the appearance implies (`custom` false). */
export function getTabBar(): Promise<DesignTabBar> {
  return merchantHttp.get<DesignTabBar>('/storefront/tab-bar');
}

/** PUT /merchant-api/v1/storefront/tab-bar: the tabs shown, in the template's order. */
export function updateTabBar(body: TabBar): Promise<DesignTabBar> {
  return merchantHttp.put<DesignTabBar>('/storefront/tab-bar', body);
}

/** POST /merchant-api/v1/storefront/tab-icons (multipart `file`): a tab icon, kept as an 81 × 81 PNG. */
export function uploadTabIcon(file: Blob): Promise<TabIcon> {
  return merchantHttp.upload<TabIcon>('/storefront/tab-icons', 'file', file);
}
