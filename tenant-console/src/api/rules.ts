import type { BusinessCategory, DocumentType, EndpointInput, RequirementRule, platformApi } from '@shopfleet/contracts';
import { platformHttp } from './request';

export type CreateCategoryBody = EndpointInput<typeof platformApi.createCategory>['body'];
export type UpdateCategoryBody = EndpointInput<typeof platformApi.updateCategory>['body'];
export type CreateDocumentTypeBody = EndpointInput<typeof platformApi.createDocumentType>['body'];
export type UpdateDocumentTypeBody = EndpointInput<typeof platformApi.updateDocumentType>['body'];
export type CreateRequirementRuleBody = EndpointInput<typeof platformApi.createRequirementRule>['body'];

/** GET /platform-api/v1/business-categories */
export function listCategories(): Promise<BusinessCategory[]> {
  return platformHttp.get<BusinessCategory[]>('/business-categories');
}

/** POST /platform-api/v1/business-categories */
export function createCategory(body: CreateCategoryBody): Promise<BusinessCategory> {
  return platformHttp.post<BusinessCategory>('/business-categories', body);
}

/** PATCH /platform-api/v1/business-categories/:code */
export function updateCategory(code: string, body: UpdateCategoryBody): Promise<BusinessCategory> {
  return platformHttp.patch<BusinessCategory>(`/business-categories/${encodeURIComponent(code)}`, body);
}

/** GET /platform-api/v1/document-types */
export function listDocumentTypes(): Promise<DocumentType[]> {
  return platformHttp.get<DocumentType[]>('/document-types');
}

/** POST /platform-api/v1/document-types */
export function createDocumentType(body: CreateDocumentTypeBody): Promise<DocumentType> {
  return platformHttp.post<DocumentType>('/document-types', body);
}

/** PATCH /platform-api/v1/document-types/:code */
export function updateDocumentType(code: string, body: UpdateDocumentTypeBody): Promise<DocumentType> {
  return platformHttp.patch<DocumentType>(`/document-types/${encodeURIComponent(code)}`, body);
}

/** GET /platform-api/v1/requirement-rules */
export function listRequirementRules(): Promise<RequirementRule[]> {
  return platformHttp.get<RequirementRule[]>('/requirement-rules');
}

/** POST /platform-api/v1/requirement-rules */
export function createRequirementRule(body: CreateRequirementRuleBody): Promise<RequirementRule> {
  return platformHttp.post<RequirementRule>('/requirement-rules', body);
}

/** DELETE /platform-api/v1/requirement-rules/:id */
export function deleteRequirementRule(id: number): Promise<{ ok: true }> {
  return platformHttp.delete<{ ok: true }>(`/requirement-rules/${id}`);
}
