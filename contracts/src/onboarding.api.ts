import { z } from 'zod';
import { endpoint, merchantCan, platformCan, publicAccess, signedIn } from './endpoint';
import { smsCodeResponseSchema, tokenPairSchema } from './auth';
import { idParamsSchema, idSchema, okSchema, pageOf, pageQuerySchema } from './common';
import { notificationSchema } from './notifications';
import {
  acceptInvitationBodySchema,
  approveBodySchema,
  businessCategorySchema,
  categoryCodeParamsSchema,
  createBusinessCategoryBodySchema,
  createDocumentBodySchema,
  createDocumentTypeBodySchema,
  createInvitationBodySchema,
  createRequirementRuleBodySchema,
  documentTypeParamsSchema,
  documentTypeSchema,
  invitationPreviewSchema,
  invitationSchema,
  invitationTokenParamsSchema,
  onboardingSchema,
  firstStepsSchema,
  qualificationDocumentSchema,
  qualificationFileSchema,
  rejectBodySchema,
  requirementRuleSchema,
  revealSchema,
  reviewDocumentSchema,
  reviewQueueItemSchema,
  reviewQueueQuerySchema,
  signedUrlSchema,
  signupBodySchema,
  signupSmsBodySchema,
  slugAvailabilityQuerySchema,
  slugAvailabilitySchema,
  tenantDetailSchema,
  tenantStatusChangeBodySchema,
  updateBusinessCategoryBodySchema,
  updateDocumentTypeBodySchema,
} from './onboarding';
import { QUALIFICATION_FILE_MAX_BYTES } from './onboarding.constants';

function tenantDocParamsSchema() {
  return z.strictObject({ tenantId: idSchema, id: idSchema });
}

function tenantDocFileParamsSchema() {
  return z.strictObject({ tenantId: idSchema, id: idSchema, fileId: idSchema });
}

/** The onboarding endpoints of `/platform-api/v1` (composed in api.ts). */
export const onboardingPlatformEndpoints = {
  getTenant: endpoint({
    method: 'get', path: '/tenants/:id', summary: 'One tenant with its profile and documents', tags: ['platform: tenants'],
    access: platformCan('platform:tenant:read'), params: idParamsSchema, response: tenantDetailSchema,
  }),
  suspendTenant: endpoint({
    method: 'post', path: '/tenants/:id/suspend', summary: 'Suspend a tenant (no new orders or releases)', tags: ['platform: tenants'],
    access: platformCan('platform:tenant:manage'), params: idParamsSchema, body: tenantStatusChangeBodySchema, response: tenantDetailSchema,
  }),
  reinstateTenant: endpoint({
    method: 'post', path: '/tenants/:id/reinstate', summary: 'Reinstate a suspended tenant', tags: ['platform: tenants'],
    access: platformCan('platform:tenant:manage'), params: idParamsSchema, body: tenantStatusChangeBodySchema, response: tenantDetailSchema,
  }),
  reviewQueue: endpoint({
    method: 'get', path: '/reviews', summary: 'Documents to review, oldest submission first', tags: ['platform: review'],
    access: platformCan('platform:review:read'), query: reviewQueueQuerySchema, response: pageOf(reviewQueueItemSchema),
  }),
  getReviewDocument: endpoint({
    method: 'get', path: '/tenants/:tenantId/qualifications/:id', summary: 'A document under review, with its history',
    tags: ['platform: review'], access: platformCan('platform:review:read'), params: tenantDocParamsSchema(), response: reviewDocumentSchema,
  }),
  reviewFileUrl: endpoint({
    method: 'get', path: '/tenants/:tenantId/qualifications/:id/files/:fileId/url',
    summary: 'A short-lived URL to view one file of a document (the view is audited)', tags: ['platform: review'],
    access: platformCan('platform:review:read'), params: tenantDocFileParamsSchema(), response: signedUrlSchema,
  }),
  revealDocument: endpoint({
    method: 'post', path: '/tenants/:tenantId/qualifications/:id/reveal', summary: 'Unmasked sensitive fields (audited)',
    tags: ['platform: review'], access: platformCan('platform:review:decide'), params: tenantDocParamsSchema(), response: revealSchema,
  }),
  approveDocument: endpoint({
    method: 'post', path: '/tenants/:tenantId/qualifications/:id/approve', summary: 'Approve a document',
    tags: ['platform: review'], access: platformCan('platform:review:decide'), params: tenantDocParamsSchema(), body: approveBodySchema,
    response: reviewDocumentSchema,
  }),
  rejectDocument: endpoint({
    method: 'post', path: '/tenants/:tenantId/qualifications/:id/reject', summary: 'Reject a document with a reason',
    tags: ['platform: review'], access: platformCan('platform:review:decide'), params: tenantDocParamsSchema(), body: rejectBodySchema,
    response: reviewDocumentSchema,
  }),
  listCategories: endpoint({
    method: 'get', path: '/business-categories', summary: 'Business categories', tags: ['platform: rules'],
    access: platformCan('platform:tenant:read'), response: z.array(businessCategorySchema),
  }),
  createCategory: endpoint({
    method: 'post', path: '/business-categories', summary: 'Add a business category', tags: ['platform: rules'],
    access: platformCan('platform:rules:manage'), body: createBusinessCategoryBodySchema, response: businessCategorySchema, status: 201,
  }),
  updateCategory: endpoint({
    method: 'patch', path: '/business-categories/:code', summary: 'Change a business category', tags: ['platform: rules'],
    access: platformCan('platform:rules:manage'), params: categoryCodeParamsSchema, body: updateBusinessCategoryBodySchema,
    response: businessCategorySchema,
  }),
  listDocumentTypes: endpoint({
    method: 'get', path: '/document-types', summary: 'Document types', tags: ['platform: rules'],
    access: platformCan('platform:tenant:read'), response: z.array(documentTypeSchema),
  }),
  createDocumentType: endpoint({
    method: 'post', path: '/document-types', summary: 'Add a document type', tags: ['platform: rules'],
    access: platformCan('platform:rules:manage'), body: createDocumentTypeBodySchema, response: documentTypeSchema, status: 201,
  }),
  updateDocumentType: endpoint({
    method: 'patch', path: '/document-types/:code', summary: 'Change a document type', tags: ['platform: rules'],
    access: platformCan('platform:rules:manage'), params: documentTypeParamsSchema, body: updateDocumentTypeBodySchema,
    response: documentTypeSchema,
  }),
  listRequirementRules: endpoint({
    method: 'get', path: '/requirement-rules', summary: 'Which documents which tenants need', tags: ['platform: rules'],
    access: platformCan('platform:tenant:read'), response: z.array(requirementRuleSchema),
  }),
  createRequirementRule: endpoint({
    method: 'post', path: '/requirement-rules', summary: 'Add a requirement rule', tags: ['platform: rules'],
    access: platformCan('platform:rules:manage'), body: createRequirementRuleBodySchema, response: requirementRuleSchema, status: 201,
  }),
  deleteRequirementRule: endpoint({
    method: 'delete', path: '/requirement-rules/:id', summary: 'Remove a requirement rule', tags: ['platform: rules'],
    access: platformCan('platform:rules:manage'), params: idParamsSchema, response: okSchema,
  }),
};

/** The onboarding endpoints of `/merchant-api/v1` (composed in api.ts). */
export const onboardingMerchantEndpoints = {
  slugAvailability: endpoint({
    method: 'get', path: '/auth/slug-availability', summary: 'Is this shop slug free? (checked live during sign-up)',
    tags: ['merchant: sign-up'], access: publicAccess, query: slugAvailabilityQuerySchema, response: slugAvailabilitySchema,
  }),
  businessCategories: endpoint({
    method: 'get', path: '/auth/business-categories', summary: 'Active business categories to choose from',
    tags: ['merchant: sign-up'], access: publicAccess, response: z.array(businessCategorySchema),
  }),
  signupSmsCode: endpoint({
    method: 'post', path: '/auth/signup/sms-code', summary: "Send a code to verify the contact phone",
    tags: ['merchant: sign-up'], access: publicAccess, body: signupSmsBodySchema, response: smsCodeResponseSchema,
  }),
  signup: endpoint({
    method: 'post', path: '/auth/signup', summary: 'Create an account and a shop (pending review) in one step; signs in',
    tags: ['merchant: sign-up'], access: publicAccess, body: signupBodySchema, response: tokenPairSchema, status: 201,
  }),
  invitationPreview: endpoint({
    method: 'get', path: '/auth/invitations/:token', summary: 'What an invitation is for', tags: ['merchant: staff'],
    access: publicAccess, params: invitationTokenParamsSchema, response: invitationPreviewSchema,
  }),
  acceptInvitation: endpoint({
    method: 'post', path: '/auth/invitations/:token/accept', summary: 'Join a shop by invitation; signs in',
    tags: ['merchant: staff'], access: publicAccess, params: invitationTokenParamsSchema, body: acceptInvitationBodySchema,
    response: tokenPairSchema,
  }),
  getOnboarding: endpoint({
    method: 'get', path: '/onboarding', summary: 'The document checklist and application status', tags: ['merchant: onboarding'],
    access: merchantCan('onboarding:document:read'), response: onboardingSchema,
  }),
  firstSteps: endpoint({
    method: 'get', path: '/onboarding/first-steps', summary: "An approved shop's first steps (products, payment, appearance, release), each ticked from the shop's data", tags: ['merchant: onboarding'],
    access: merchantCan('shop:settings:read'), response: firstStepsSchema,
  }),
  submitOnboarding: endpoint({
    method: 'post', path: '/onboarding/submit', summary: 'Submit the application for review', tags: ['merchant: onboarding'],
    access: merchantCan('onboarding:document:manage'), response: onboardingSchema,
  }),
  uploadQualificationFile: endpoint({
    method: 'post', path: '/qualifications/files', summary: 'Upload one file (JPEG, PNG or PDF, at most 10 MB) for a document',
    tags: ['merchant: onboarding'], access: merchantCan('onboarding:document:manage'),
    upload: { field: 'file', maxBytes: QUALIFICATION_FILE_MAX_BYTES }, response: qualificationFileSchema, status: 201,
  }),
  createDocument: endpoint({
    method: 'post', path: '/qualifications', summary: 'Add a document (or a new version of one) from uploaded files',
    tags: ['merchant: onboarding'], access: merchantCan('onboarding:document:manage'), body: createDocumentBodySchema,
    response: qualificationDocumentSchema, status: 201,
  }),
  listDocuments: endpoint({
    method: 'get', path: '/qualifications', summary: 'Every document version, newest first', tags: ['merchant: onboarding'],
    access: merchantCan('onboarding:document:read'), response: z.array(qualificationDocumentSchema),
  }),
  getDocument: endpoint({
    method: 'get', path: '/qualifications/:id', summary: 'One document', tags: ['merchant: onboarding'],
    access: merchantCan('onboarding:document:read'), params: idParamsSchema, response: qualificationDocumentSchema,
  }),
  documentFileUrl: endpoint({
    method: 'get', path: '/qualifications/files/:id/url', summary: 'A short-lived URL to view one of your files',
    tags: ['merchant: onboarding'], access: merchantCan('onboarding:document:read'), params: idParamsSchema, response: signedUrlSchema,
  }),
  listInvitations: endpoint({
    method: 'get', path: '/staff/invitations', summary: 'Invitations, newest first', tags: ['merchant: staff'],
    access: merchantCan('staff:member:manage'), response: z.array(invitationSchema),
  }),
  createInvitation: endpoint({
    method: 'post', path: '/staff/invitations', summary: 'Invite a person by email or phone with a role', tags: ['merchant: staff'],
    access: merchantCan('staff:member:manage'), body: createInvitationBodySchema, response: invitationSchema, status: 201,
  }),
  revokeInvitation: endpoint({
    method: 'delete', path: '/staff/invitations/:id', summary: 'Revoke a pending invitation', tags: ['merchant: staff'],
    access: merchantCan('staff:member:manage'), params: idParamsSchema, response: okSchema,
  }),
  listNotifications: endpoint({
    method: 'get', path: '/notifications', summary: "The shop's notifications, newest first", tags: ['merchant: notifications'],
    access: signedIn('merchant'), query: pageQuerySchema, response: pageOf(notificationSchema).extend({ unread: z.number().int() }),
  }),
  markNotificationRead: endpoint({
    method: 'post', path: '/notifications/:id/read', summary: 'Mark a notification read', tags: ['merchant: notifications'],
    access: signedIn('merchant'), params: idParamsSchema, response: okSchema,
  }),
};
