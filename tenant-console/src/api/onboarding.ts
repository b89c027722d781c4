import type {
  CreateDocumentBody,
  EndpointResponse,
  FirstSteps,
  Onboarding,
  QualificationDocument,
  QualificationFile,
  merchantApi,
} from '@shopfleet/contracts';
import { merchantHttp } from './request';

export type SignedUrl = EndpointResponse<typeof merchantApi.documentFileUrl>;
export type ChecklistItem = Onboarding['checklist'][number];

/** GET /merchant-api/v1/onboarding: the document checklist and the application's status. */
export function getOnboarding(): Promise<Onboarding> {
  return merchantHttp.get<Onboarding>('/onboarding');
}

/** POST /merchant-api/v1/onboarding/submit: hand the application (its draft documents) in for review. */
export function submitOnboarding(): Promise<Onboarding> {
  return merchantHttp.post<Onboarding>('/onboarding/submit');
}

/** POST /merchant-api/v1/qualifications/files (multipart, field `file`): one JPEG, PNG or PDF of at most 10 MB. */
export function uploadQualificationFile(file: Blob, signal?: AbortSignal): Promise<QualificationFile> {
  return merchantHttp.upload<QualificationFile>('/qualifications/files', 'file', file, { signal });
}

/** POST /merchant-api/v1/qualifications: a document, or a new version of one, from uploaded files. */
export function createDocument(body: CreateDocumentBody): Promise<QualificationDocument> {
  return merchantHttp.post<QualificationDocument>('/qualifications', body);
}

/** GET /merchant-api/v1/qualifications/files/:id/url: a short-lived address to view one of the shop's files. */
export function getDocumentFileUrl(fileId: number): Promise<SignedUrl> {
  return merchantHttp.get<SignedUrl>(`/qualifications/files/${fileId}/url`);
}

/** GET /merchant-api/v1/onboarding/first-steps: an approved shop's first steps, each ticked from its data. */
export function getFirstSteps(): Promise<FirstSteps> {
  return merchantHttp.get<FirstSteps>('/onboarding/first-steps');
}
