import { z } from 'zod';
import { endpoint, merchantCan, platformCan, publicAccess, signedIn } from './endpoint';
import {
  merchantLoginBodySchema,
  merchantMeSchema,
  logoutBodySchema,
  passwordLoginBodySchema,
  phoneLoginBodySchema,
  platformMeSchema,
  refreshBodySchema,
  shopperMeSchema,
  smsCodeBodySchema,
  smsCodeResponseSchema,
  tokenPairSchema,
  wechatLoginBodySchema,
} from './auth';
import { idParamsSchema, idSchema, okSchema, pageOf, pageQuerySchema, shopParamsSchema } from './common';
import {
  cancelOrderBodySchema,
  checkoutBodySchema,
  checkoutPreviewSchema,
  merchantCancelBodySchema,
  merchantOrderListQuerySchema,
  merchantOrderSchema,
  orderExportQuerySchema,
  orderListQuerySchema,
  orderRemarkBodySchema,
  orderSchema,
  refundOrderBodySchema,
  shipOrderBodySchema,
} from './orders';
import { orderSettingsInputSchema, orderSettingsSchema, shippingTemplateInputSchema, shippingTemplateSchema } from './shipping';
import {
  alipaySettingsInputSchema,
  discrepancySchema,
  payOrderBodySchema,
  payParamsSchema,
  paymentMethodsQuerySchema,
  paymentMethodsSchema,
  paymentModeInputSchema,
  paymentNoParamsSchema,
  paymentSettingsSchema,
  reconciliationQuerySchema,
  refundSchema,
  wechatPaySettingsInputSchema,
} from './payments';
import {
  authorizationLinkBodySchema,
  authorizationLinkSchema,
  auditQuotaSchema,
  bulkReleaseSchema,
  bulkReleaseTargetSchema,
  bulkReleaseTargetsQuerySchema,
  createBulkReleaseBodySchema,
  createTemplateVersionBodySchema,
  miniappReleaseSchema,
  publishReleaseBodySchema,
  startReleaseBodySchema,
  codeUploadKeyInputSchema,
  codeUploadKeySchema,
  codeUploadSchema,
  startCodeUploadBodySchema,
  templateVersionLogSchema,
  templateVersionSchema,
  templateVersionShopSchema,
  tenantPackageSchema,
  wechatAuthorizationSchema,
} from './miniapp';
import {
  hideReviewBodySchema,
  merchantReviewListQuerySchema,
  merchantReviewSchema,
  productReviewsQuerySchema,
  productReviewsSchema,
  replyReviewBodySchema,
  reviewImageSchema,
  reviewInputSchema,
  reviewSchema,
} from './reviews';
import { addCartItemBodySchema, addressInputSchema, addressSchema, cartSchema, selectAllBodySchema, updateCartItemBodySchema } from './cart';
import {
  CATALOG_IMAGE_MAX_BYTES,
  IMPORT_MAX_BYTES,
  batchProductsBodySchema,
  batchResultSchema,
  categoryNodeSchema,
  createCategoryBodySchema,
  exportQuerySchema,
  homeLayoutInputSchema,
  imageSchema,
  merchantProductQuerySchema,
  productInputSchema,
  productPageSchema,
  productSchema,
  productSummarySchema,
  reorderCategoriesBodySchema,
  shopHomeSchema,
  shopProductDetailSchema,
  shopProductListQuerySchema,
  shopProductParamsSchema,
  shopSearchQuerySchema,
  updateCategoryBodySchema,
} from './catalog';
import { importJobSchema, importReportQuerySchema, importTemplateQuerySchema } from './catalog-import';
import {
  QUALIFICATION_FILE_MAX_BYTES,
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
import { notificationSchema } from './notifications';
import {
  auditEntrySchema,
  appearanceBodySchema,
  appearanceSchema,
  publicShopSchema,
  shopPreviewPassSchema,
  shopSettingsSchema,
  shopperSummarySchema,
  staffMemberSchema,
  tenantListQuerySchema,
  tenantSummarySchema,
  updateShopBodySchema,
} from './shop';

function tenantDocParamsSchema() {
  return z.strictObject({ tenantId: idSchema, id: idSchema });
}

function tenantDocFileParamsSchema() {
  return z.strictObject({ tenantId: idSchema, id: idSchema, fileId: idSchema });
}

/** Max size of a shop logo upload. */
export const LOGO_MAX_BYTES = 2 * 1024 * 1024;

/** `/platform-api/v1`: platform staff. */
export const platformApi = {
  login: endpoint({
    method: 'post', path: '/auth/login', summary: 'Sign in as platform staff', tags: ['platform: auth'],
    access: publicAccess, body: passwordLoginBodySchema, response: tokenPairSchema,
  }),
  refresh: endpoint({
    method: 'post', path: '/auth/refresh', summary: 'Rotate a refresh token', tags: ['platform: auth'],
    access: publicAccess, body: refreshBodySchema, response: tokenPairSchema,
  }),
  logout: endpoint({
    method: 'post', path: '/auth/logout', summary: 'Revoke a refresh token and its family', tags: ['platform: auth'],
    access: publicAccess, body: logoutBodySchema, response: okSchema,
  }),
  me: endpoint({
    method: 'get', path: '/me', summary: 'The signed-in staff member', tags: ['platform: auth'],
    access: signedIn('platform'), response: platformMeSchema,
  }),
  queueSession: endpoint({
    method: 'post', path: '/auth/queue-session',
    summary: 'Set a short-lived cookie that opens the queue dashboard (/platform-api/v1/queues) in a browser tab',
    tags: ['platform: auth'], access: platformCan('platform:queue:manage'), response: okSchema,
  }),
  listTenants: endpoint({
    method: 'get', path: '/tenants', summary: 'List tenants', tags: ['platform: tenants'],
    access: platformCan('platform:tenant:read'), query: tenantListQuerySchema, response: pageOf(tenantSummarySchema),
  }),
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
  listAudit: endpoint({
    method: 'get', path: '/audit-log', summary: 'Platform-wide audit log, newest first', tags: ['platform: audit'],
    access: platformCan('platform:audit:read'), query: pageQuerySchema, response: pageOf(auditEntrySchema),
  }),
  listTemplateVersions: endpoint({
    method: 'get', path: '/templates', summary: 'Template versions, newest first, with how many shops run each', tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), query: pageQuerySchema, response: pageOf(templateVersionSchema),
  }),
  createTemplateVersion: endpoint({
    method: 'post', path: '/templates', summary: 'Register the template as it is now as a version and build it once (no build when its sources were built already)',
    tags: ['platform: releases'], access: platformCan('platform:release:manage'), body: createTemplateVersionBodySchema, response: templateVersionSchema, status: 201,
  }),
  retryTemplateVersion: endpoint({
    method: 'post', path: '/templates/:id/retry', summary: 'Build a version whose build failed again', tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), params: idParamsSchema, response: templateVersionSchema,
  }),
  getTemplateVersionLog: endpoint({
    method: 'get', path: '/templates/:id/log', summary: 'The build log of a version', tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), params: idParamsSchema, response: templateVersionLogSchema,
  }),
  listTemplateVersionShops: endpoint({
    method: 'get', path: '/templates/:id/shops', summary: 'The shops whose mini-program runs this version now', tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), params: idParamsSchema, query: pageQuerySchema, response: pageOf(templateVersionShopSchema),
  }),
  getAuditQuota: endpoint({
    method: 'get', path: '/releases/audit-quota', summary: "The third-party platform's WeChat audit quota left this month", tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), response: auditQuotaSchema,
  }),
  listBulkReleases: endpoint({
    method: 'get', path: '/releases/bulk', summary: 'Bulk releases, newest first, with their progress', tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), query: pageQuerySchema, response: pageOf(bulkReleaseSchema),
  }),
  createBulkRelease: endpoint({
    method: 'post', path: '/releases/bulk', summary: 'Release a template version to a canary set of shops, then (on continue) to every active shop or a filtered set',
    tags: ['platform: releases'], access: platformCan('platform:release:manage'), body: createBulkReleaseBodySchema, response: bulkReleaseSchema, status: 201,
  }),
  getBulkRelease: endpoint({
    method: 'get', path: '/releases/bulk/:id', summary: 'A bulk release and its progress', tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), params: idParamsSchema, response: bulkReleaseSchema,
  }),
  listBulkReleaseTargets: endpoint({
    method: 'get', path: '/releases/bulk/:id/targets', summary: 'The shops of a bulk release, each with its state and release', tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), params: idParamsSchema, query: bulkReleaseTargetsQuerySchema, response: pageOf(bulkReleaseTargetSchema),
  }),
  continueBulkRelease: endpoint({
    method: 'post', path: '/releases/bulk/:id/continue', summary: 'After the canary: release to the rest', tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), params: idParamsSchema, response: bulkReleaseSchema,
  }),
  pauseBulkRelease: endpoint({
    method: 'post', path: '/releases/bulk/:id/pause', summary: 'Start no more releases (those in flight carry on)', tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), params: idParamsSchema, response: bulkReleaseSchema,
  }),
  resumeBulkRelease: endpoint({
    method: 'post', path: '/releases/bulk/:id/resume', summary: 'Go on after a pause', tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), params: idParamsSchema, response: bulkReleaseSchema,
  }),
  retryBulkRelease: endpoint({
    method: 'post', path: '/releases/bulk/:id/retry', summary: 'Go on with a bulk release whose dispatcher failed, in the phase it was in', tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), params: idParamsSchema, response: bulkReleaseSchema,
  }),
  stopBulkRelease: endpoint({
    method: 'post', path: '/releases/bulk/:id/stop', summary: 'Stop for good: the shops not started are skipped', tags: ['platform: releases'],
    access: platformCan('platform:release:manage'), params: idParamsSchema, response: bulkReleaseSchema,
  }),
};

/** `/merchant-api/v1`: merchant staff; the tenant comes from the token. */
export const merchantApi = {
  login: endpoint({
    method: 'post', path: '/auth/login', summary: 'Sign in to a shop as its staff', tags: ['merchant: auth'],
    access: publicAccess, body: merchantLoginBodySchema, response: tokenPairSchema,
  }),
  refresh: endpoint({
    method: 'post', path: '/auth/refresh', summary: 'Rotate a refresh token', tags: ['merchant: auth'],
    access: publicAccess, body: refreshBodySchema, response: tokenPairSchema,
  }),
  logout: endpoint({
    method: 'post', path: '/auth/logout', summary: 'Revoke a refresh token and its family', tags: ['merchant: auth'],
    access: publicAccess, body: logoutBodySchema, response: okSchema,
  }),
  me: endpoint({
    method: 'get', path: '/me', summary: 'The signed-in merchant user, role and permissions', tags: ['merchant: auth'],
    access: signedIn('merchant'), response: merchantMeSchema,
  }),
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
  uploadCatalogImage: endpoint({
    method: 'post', path: '/catalog/images', summary: 'Upload a product or category image (JPEG, PNG or WebP); resized to standard sizes',
    tags: ['merchant: catalog'], access: merchantCan('catalog:product:manage'),
    upload: { field: 'file', maxBytes: CATALOG_IMAGE_MAX_BYTES }, response: imageSchema, status: 201,
  }),
  listCategories: endpoint({
    method: 'get', path: '/catalog/categories', summary: 'The category tree', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:read'), response: z.array(categoryNodeSchema),
  }),
  createCategory: endpoint({
    method: 'post', path: '/catalog/categories', summary: 'Add a category (at most 3 levels)', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:manage'), body: createCategoryBodySchema, response: categoryNodeSchema, status: 201,
  }),
  updateCategory: endpoint({
    method: 'patch', path: '/catalog/categories/:id', summary: 'Rename, move or re-icon a category', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:manage'), params: idParamsSchema, body: updateCategoryBodySchema, response: categoryNodeSchema,
  }),
  reorderCategories: endpoint({
    method: 'post', path: '/catalog/categories/reorder', summary: 'Set the order of the children of one parent', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:manage'), body: reorderCategoriesBodySchema, response: z.array(categoryNodeSchema),
  }),
  deleteCategory: endpoint({
    method: 'delete', path: '/catalog/categories/:id', summary: 'Delete an empty category', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:manage'), params: idParamsSchema, response: okSchema,
  }),
  listProducts: endpoint({
    method: 'get', path: '/catalog/products', summary: 'Products, newest first', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:read'), query: merchantProductQuerySchema, response: pageOf(productSummarySchema),
  }),
  getProduct: endpoint({
    method: 'get', path: '/catalog/products/:id', summary: 'One product with its SKUs', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:read'), params: idParamsSchema, response: productSchema,
  }),
  createProduct: endpoint({
    method: 'post', path: '/catalog/products', summary: 'Create a product with its SKU matrix', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:manage'), body: productInputSchema, response: productSchema, status: 201,
  }),
  updateProduct: endpoint({
    method: 'put', path: '/catalog/products/:id', summary: 'Replace a product and its SKU matrix (SKUs matched by spec values)',
    tags: ['merchant: catalog'], access: merchantCan('catalog:product:manage'), params: idParamsSchema, body: productInputSchema, response: productSchema,
  }),
  batchProducts: endpoint({
    method: 'post', path: '/catalog/products/batch', summary: 'Put products on or off sale, or delete them, in one go', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:manage'), body: batchProductsBodySchema, response: batchResultSchema,
  }),
  deleteProduct: endpoint({
    method: 'delete', path: '/catalog/products/:id', summary: 'Delete a product (soft)', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:manage'), params: idParamsSchema, response: okSchema,
  }),
  getHomeLayout: endpoint({
    method: 'get', path: '/catalog/home', summary: 'The shop home layout: banners, shortcuts, lists', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:read'), response: homeLayoutInputSchema,
  }),
  updateHomeLayout: endpoint({
    method: 'put', path: '/catalog/home', summary: 'Set the shop home layout', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:manage'), body: homeLayoutInputSchema, response: homeLayoutInputSchema,
  }),
  startImport: endpoint({
    method: 'post', path: '/catalog/imports', summary: 'Import products from a CSV or XLSX file (a queued job)', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:manage'), upload: { field: 'file', maxBytes: IMPORT_MAX_BYTES }, response: importJobSchema, status: 201,
  }),
  listImports: endpoint({
    method: 'get', path: '/catalog/imports', summary: 'Recent imports', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:read'), response: z.array(importJobSchema),
  }),
  getImport: endpoint({
    method: 'get', path: '/catalog/imports/:id', summary: 'An import: progress and the per-row report', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:read'), params: idParamsSchema, response: importJobSchema,
  }),
  downloadImportReport: endpoint({
    method: 'get', path: '/catalog/imports/:id/report', summary: "An import's rejected rows as a file: each row as uploaded, with its row number and the reason", tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:read'), params: idParamsSchema, query: importReportQuerySchema, response: z.string().meta({ format: 'binary' }),
  }),
  downloadImportTemplate: endpoint({
    method: 'get', path: '/catalog/import-template', summary: 'An empty import file with example rows, with Chinese (prices in yuan) or English headers', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:read'), query: importTemplateQuerySchema, response: z.string().meta({ format: 'binary' }),
  }),
  retryImport: endpoint({
    method: 'post', path: '/catalog/imports/:id/retry', summary: 'Run a failed import again from its checkpoint (the products written before it stopped are not written again)',
    tags: ['merchant: catalog'], access: merchantCan('catalog:product:manage'), params: idParamsSchema, response: importJobSchema,
  }),
  exportProducts: endpoint({
    method: 'get', path: '/catalog/export', summary: 'The catalog as a CSV or XLSX file (the import format)', tags: ['merchant: catalog'],
    access: merchantCan('catalog:product:read'), query: exportQuerySchema, response: z.string().meta({ format: 'binary' }),
  }),
  markNotificationRead: endpoint({
    method: 'post', path: '/notifications/:id/read', summary: 'Mark a notification read', tags: ['merchant: notifications'],
    access: signedIn('merchant'), params: idParamsSchema, response: okSchema,
  }),
  getShop: endpoint({
    method: 'get', path: '/shop', summary: "The shop's settings", tags: ['merchant: shop'],
    access: merchantCan('shop:settings:read'), response: shopSettingsSchema,
  }),
  updateShop: endpoint({
    method: 'patch', path: '/shop', summary: "Change the shop's settings", tags: ['merchant: shop'],
    access: merchantCan('shop:settings:update'), body: updateShopBodySchema, response: shopSettingsSchema,
  }),
  getAppearance: endpoint({
    method: 'get', path: '/shop/appearance', summary: "How the shop's mini-program looks (defaults until edited)", tags: ['merchant: shop'],
    access: merchantCan('shop:settings:read'), response: appearanceSchema,
  }),
  updateAppearance: endpoint({
    method: 'put', path: '/shop/appearance', summary: "Set how the shop's mini-program looks: name, colours, navigation and tab bar, home layout, customer service, sharing",
    tags: ['merchant: shop'], access: merchantCan('shop:settings:update'), body: appearanceBodySchema, response: appearanceSchema,
  }),
  createShopPreviewPass: endpoint({
    method: 'post', path: '/shop/preview-pass', summary: "A short-lived pass to read the shop's own h5 and shop API while it is not open (the appearance editor's preview)",
    tags: ['merchant: shop'], access: merchantCan('shop:settings:read'), response: shopPreviewPassSchema, status: 201,
  }),
  uploadShareImage: endpoint({
    method: 'post', path: '/shop/appearance/share-image', summary: 'Upload the picture of a shared page (JPEG, PNG or WebP; cropped to 5:4)',
    tags: ['merchant: shop'], access: merchantCan('shop:settings:update'),
    upload: { field: 'file', maxBytes: LOGO_MAX_BYTES }, response: appearanceSchema,
  }),
  uploadLogo: endpoint({
    method: 'post', path: '/shop/logo', summary: 'Upload the shop logo (JPEG, PNG or WebP; resized to 256 px)',
    tags: ['merchant: shop'], access: merchantCan('shop:settings:update'),
    upload: { field: 'file', maxBytes: LOGO_MAX_BYTES }, response: shopSettingsSchema,
  }),
  listStaff: endpoint({
    method: 'get', path: '/staff', summary: "The shop's staff", tags: ['merchant: staff'],
    access: merchantCan('staff:member:read'), query: pageQuerySchema, response: pageOf(staffMemberSchema),
  }),
  listShoppers: endpoint({
    method: 'get', path: '/shoppers', summary: "The shop's shoppers", tags: ['merchant: customers'],
    access: merchantCan('customer:shopper:read'), query: pageQuerySchema, response: pageOf(shopperSummarySchema),
  }),
  getShopper: endpoint({
    method: 'get', path: '/shoppers/:id', summary: 'One shopper', tags: ['merchant: customers'],
    access: merchantCan('customer:shopper:read'), params: idParamsSchema, response: shopperSummarySchema,
  }),
  listAudit: endpoint({
    method: 'get', path: '/audit-log', summary: "The shop's audit log, newest first", tags: ['merchant: audit'],
    access: merchantCan('audit:log:read'), query: pageQuerySchema, response: pageOf(auditEntrySchema),
  }),
  listMerchantOrders: endpoint({
    method: 'get', path: '/orders', summary: 'Orders: by state, placed between days, by order number, receiver or product', tags: ['merchant: orders'],
    access: merchantCan('order:order:read'), query: merchantOrderListQuerySchema, response: pageOf(merchantOrderSchema),
  }),
  exportOrders: endpoint({
    method: 'get', path: '/orders/export', summary: 'The filtered orders as an XLSX or CSV file, a row per line', tags: ['merchant: orders'],
    access: merchantCan('order:order:read'), query: orderExportQuerySchema, response: z.string().meta({ format: 'binary' }),
  }),
  getMerchantOrder: endpoint({
    method: 'get', path: '/orders/:id', summary: 'One order with payment, shipment, refunds and timeline', tags: ['merchant: orders'],
    access: merchantCan('order:order:read'), params: idParamsSchema, response: merchantOrderSchema,
  }),
  shipOrder: endpoint({
    method: 'post', path: '/orders/:id/ship', summary: 'Ship a paid order with carrier and tracking number (reported to WeChat for WeChat Pay orders)',
    tags: ['merchant: orders'], access: merchantCan('order:order:manage'), params: idParamsSchema, body: shipOrderBodySchema, response: merchantOrderSchema,
  }),
  remarkOrder: endpoint({
    method: 'put', path: '/orders/:id/remark', summary: "The merchant's own remark on an order (the shopper never sees it)", tags: ['merchant: orders'],
    access: merchantCan('order:order:manage'), params: idParamsSchema, body: orderRemarkBodySchema, response: merchantOrderSchema,
  }),
  cancelMerchantOrder: endpoint({
    method: 'post', path: '/orders/:id/cancel', summary: 'Cancel an order not yet shipped; a paid one is refunded in full and its stock returns',
    tags: ['merchant: orders'], access: merchantCan('order:refund:manage'), params: idParamsSchema, body: merchantCancelBodySchema, response: merchantOrderSchema,
  }),
  refundOrder: endpoint({
    method: 'post', path: '/orders/:id/refunds', summary: 'Refund part or all of what was paid (never more than what is left)', tags: ['merchant: orders'],
    access: merchantCan('order:refund:manage'), params: idParamsSchema, body: refundOrderBodySchema, response: merchantOrderSchema, status: 201,
  }),
  getOrderSettings: endpoint({
    method: 'get', path: '/order-settings', summary: 'Payment window and auto-confirm days', tags: ['merchant: orders'],
    access: merchantCan('order:order:read'), response: orderSettingsSchema,
  }),
  updateOrderSettings: endpoint({
    method: 'put', path: '/order-settings', summary: 'Change the payment window and auto-confirm days (new orders)', tags: ['merchant: orders'],
    access: merchantCan('order:settings:manage'), body: orderSettingsInputSchema, response: orderSettingsSchema,
  }),
  listShippingTemplates: endpoint({
    method: 'get', path: '/shipping-templates', summary: 'Shipping templates, the default first', tags: ['merchant: shipping'],
    access: merchantCan('order:order:read'), response: z.array(shippingTemplateSchema),
  }),
  createShippingTemplate: endpoint({
    method: 'post', path: '/shipping-templates', summary: 'Add a shipping template (flat fee, free above an amount, by region)', tags: ['merchant: shipping'],
    access: merchantCan('order:settings:manage'), body: shippingTemplateInputSchema, response: shippingTemplateSchema, status: 201,
  }),
  updateShippingTemplate: endpoint({
    method: 'put', path: '/shipping-templates/:id', summary: 'Change a shipping template', tags: ['merchant: shipping'],
    access: merchantCan('order:settings:manage'), params: idParamsSchema, body: shippingTemplateInputSchema, response: shippingTemplateSchema,
  }),
  deleteShippingTemplate: endpoint({
    method: 'delete', path: '/shipping-templates/:id', summary: 'Delete a shipping template that is not the default', tags: ['merchant: shipping'],
    access: merchantCan('order:settings:manage'), params: idParamsSchema, response: okSchema,
  }),
  getPaymentSettings: endpoint({
    method: 'get', path: '/payment-settings', summary: 'How the shop takes payments (secrets are never returned)', tags: ['merchant: payments'],
    access: merchantCan('payment:settings:manage'), response: paymentSettingsSchema,
  }),
  updatePaymentMode: endpoint({
    method: 'put', path: '/payment-settings/mode', summary: 'Test mode (sandbox only) or live', tags: ['merchant: payments'],
    access: merchantCan('payment:settings:manage'), body: paymentModeInputSchema, response: paymentSettingsSchema,
  }),
  updateWechatPaySettings: endpoint({
    method: 'put', path: '/payment-settings/wechat', summary: 'WeChat Pay as a merchant or a sub-merchant; keys are stored encrypted', tags: ['merchant: payments'],
    access: merchantCan('payment:settings:manage'), body: wechatPaySettingsInputSchema, response: paymentSettingsSchema,
  }),
  deleteWechatPaySettings: endpoint({
    method: 'delete', path: '/payment-settings/wechat', summary: 'Stop taking WeChat Pay', tags: ['merchant: payments'],
    access: merchantCan('payment:settings:manage'), response: paymentSettingsSchema,
  }),
  updateAlipaySettings: endpoint({
    method: 'put', path: '/payment-settings/alipay', summary: 'Alipay for the web shop; keys are stored encrypted', tags: ['merchant: payments'],
    access: merchantCan('payment:settings:manage'), body: alipaySettingsInputSchema, response: paymentSettingsSchema,
  }),
  deleteAlipaySettings: endpoint({
    method: 'delete', path: '/payment-settings/alipay', summary: 'Stop taking Alipay', tags: ['merchant: payments'],
    access: merchantCan('payment:settings:manage'), response: paymentSettingsSchema,
  }),
  listDiscrepancies: endpoint({
    method: 'get', path: '/payments/discrepancies', summary: "Differences the daily reconciliation found between orders and the providers' records",
    tags: ['merchant: payments'], access: merchantCan('payment:settings:manage'), query: reconciliationQuerySchema, response: pageOf(discrepancySchema),
  }),
  retryRefund: endpoint({
    method: 'post', path: '/refunds/:id/retry', summary: 'Send a failed refund again, under the same refund number (never paid twice); its amount is reserved on the order again',
    tags: ['merchant: orders'], access: merchantCan('order:refund:manage'), params: idParamsSchema, response: refundSchema,
  }),
  listMerchantReviews: endpoint({
    method: 'get', path: '/reviews', summary: 'Reviews of the shop, hidden ones included', tags: ['merchant: reviews'],
    access: merchantCan('review:review:manage'), query: merchantReviewListQuerySchema, response: pageOf(merchantReviewSchema),
  }),
  replyReview: endpoint({
    method: 'post', path: '/reviews/:id/reply', summary: "The shop's public reply (replaces an earlier one)", tags: ['merchant: reviews'],
    access: merchantCan('review:review:manage'), params: idParamsSchema, body: replyReviewBodySchema, response: merchantReviewSchema,
  }),
  hideReview: endpoint({
    method: 'post', path: '/reviews/:id/visibility', summary: 'Hide an abusive review from the shop (or show it again)', tags: ['merchant: reviews'],
    access: merchantCan('review:review:manage'), params: idParamsSchema, body: hideReviewBodySchema, response: merchantReviewSchema,
  }),
  getWechatAuthorization: endpoint({
    method: 'get', path: '/wechat/authorization', summary: "The shop's mini-program as authorized to the platform", tags: ['merchant: mini-program'],
    access: merchantCan('shop:settings:read'), response: wechatAuthorizationSchema,
  }),
  getMiniappPackage: endpoint({
    method: 'get', path: '/miniapp/package', summary: "The shop's mini-program package of the newest template version (made if missing), with a download link",
    tags: ['merchant: mini-program'], access: merchantCan('shop:settings:update'), response: tenantPackageSchema,
  }),
  createWechatAuthorizationLink: endpoint({
    method: 'post', path: '/wechat/authorization/link', summary: "A link to WeChat's page where the merchant authorizes the platform to manage its mini-program",
    tags: ['merchant: mini-program'], access: merchantCan('shop:settings:update'), body: authorizationLinkBodySchema, response: authorizationLinkSchema,
  }),
  listMiniappReleases: endpoint({
    method: 'get', path: '/miniapp/releases', summary: "The shop's mini-program releases, newest first, each with its steps", tags: ['merchant: mini-program'],
    access: merchantCan('shop:settings:read'), query: pageQuerySchema, response: pageOf(miniappReleaseSchema),
  }),
  getMiniappRelease: endpoint({
    method: 'get', path: '/miniapp/releases/:id', summary: 'One release with its steps, audit state and trial QR code', tags: ['merchant: mini-program'],
    access: merchantCan('shop:settings:read'), params: idParamsSchema, response: miniappReleaseSchema,
  }),
  startMiniappRelease: endpoint({
    method: 'post', path: '/miniapp/releases', summary: 'Release a template version to WeChat: domains, privacy settings, commit, trial QR code, audit (one release in flight per shop)',
    tags: ['merchant: mini-program'], access: merchantCan('miniapp:release:manage'), body: startReleaseBodySchema, response: miniappReleaseSchema, status: 201,
  }),
  publishMiniappRelease: endpoint({
    method: 'post', path: '/miniapp/releases/:id/publish', summary: 'Release an audited version to all users, or to a share of them first (gray release; raise it or release fully later)',
    tags: ['merchant: mini-program'], access: merchantCan('miniapp:release:manage'), params: idParamsSchema, body: publishReleaseBodySchema, response: miniappReleaseSchema,
  }),
  rollbackMiniappRelease: endpoint({
    method: 'post', path: '/miniapp/releases/:id/rollback', summary: 'Go back to the version released before this one (the latest release), or withdraw a gray release', tags: ['merchant: mini-program'],
    access: merchantCan('miniapp:release:manage'), params: idParamsSchema, response: miniappReleaseSchema,
  }),
  getCodeUploadKey: endpoint({
    method: 'get', path: '/miniapp/upload-key', summary: "The AppID and key fingerprint of the shop's own code-upload key (the direct path, without authorizing the platform)",
    tags: ['merchant: mini-program'], access: merchantCan('shop:settings:read'), response: codeUploadKeySchema.nullable(),
  }),
  setCodeUploadKey: endpoint({
    method: 'put', path: '/miniapp/upload-key', summary: "Give the mini-program's AppID, code-upload key and AppSecret, for uploads by miniprogram-ci (kept encrypted)",
    tags: ['merchant: mini-program'], access: merchantCan('miniapp:release:manage'), body: codeUploadKeyInputSchema, response: codeUploadKeySchema,
  }),
  removeCodeUploadKey: endpoint({
    method: 'delete', path: '/miniapp/upload-key', summary: 'Forget the code-upload key', tags: ['merchant: mini-program'],
    access: merchantCan('miniapp:release:manage'), response: okSchema,
  }),
  listCodeUploads: endpoint({
    method: 'get', path: '/miniapp/code-uploads', summary: "Uploads made with the shop's own key, newest first", tags: ['merchant: mini-program'],
    access: merchantCan('shop:settings:read'), query: pageQuerySchema, response: pageOf(codeUploadSchema),
  }),
  getCodeUpload: endpoint({
    method: 'get', path: '/miniapp/code-uploads/:id', summary: 'One upload made with the shop\'s own key', tags: ['merchant: mini-program'],
    access: merchantCan('shop:settings:read'), params: idParamsSchema, response: codeUploadSchema,
  }),
  startCodeUpload: endpoint({
    method: 'post', path: '/miniapp/code-uploads', summary: "Upload a template version as the mini-program's development version with its own key (then submit it for review in mp.weixin.qq.com)",
    tags: ['merchant: mini-program'], access: merchantCan('miniapp:release:manage'), body: startCodeUploadBodySchema, response: codeUploadSchema, status: 201,
  }),
  cancelMiniappRelease: endpoint({
    method: 'post', path: '/miniapp/releases/:id/cancel', summary: 'Stop a release in flight (withdraws it from audit when it is under review)', tags: ['merchant: mini-program'],
    access: merchantCan('miniapp:release:manage'), params: idParamsSchema, response: miniappReleaseSchema,
  }),
  retryMiniappRelease: endpoint({
    method: 'post', path: '/miniapp/releases/:id/retry', summary: 'Go on with a failed release from the step it stopped at (the steps done are not repeated; one release in flight per shop)',
    tags: ['merchant: mini-program'], access: merchantCan('miniapp:release:manage'), params: idParamsSchema, response: miniappReleaseSchema,
  }),
};

/** `/shop-api/v1`: shoppers; every path names the shop. */
export const shopApi = {
  shop: endpoint({
    method: 'get', path: '/shops/:shopKey', summary: 'Public shop profile', tags: ['shop'],
    access: publicAccess, params: shopParamsSchema, response: publicShopSchema,
  }),
  wechatLogin: endpoint({
    method: 'post', path: '/shops/:shopKey/auth/wechat', summary: 'Sign in with a wx.login() code',
    tags: ['shop: auth'], access: publicAccess, params: shopParamsSchema, body: wechatLoginBodySchema,
    response: tokenPairSchema,
  }),
  smsCode: endpoint({
    method: 'post', path: '/shops/:shopKey/auth/sms-code', summary: 'Send a one-time sign-in code by SMS',
    tags: ['shop: auth'], access: publicAccess, params: shopParamsSchema, body: smsCodeBodySchema,
    response: smsCodeResponseSchema,
  }),
  phoneLogin: endpoint({
    method: 'post', path: '/shops/:shopKey/auth/phone', summary: 'Sign in with phone and one-time code',
    tags: ['shop: auth'], access: publicAccess, params: shopParamsSchema, body: phoneLoginBodySchema,
    response: tokenPairSchema,
  }),
  refresh: endpoint({
    method: 'post', path: '/shops/:shopKey/auth/refresh', summary: 'Rotate a refresh token', tags: ['shop: auth'],
    access: publicAccess, params: shopParamsSchema, body: refreshBodySchema, response: tokenPairSchema,
  }),
  logout: endpoint({
    method: 'post', path: '/shops/:shopKey/auth/logout', summary: 'Revoke a refresh token', tags: ['shop: auth'],
    access: publicAccess, params: shopParamsSchema, body: logoutBodySchema, response: okSchema,
  }),
  me: endpoint({
    method: 'get', path: '/shops/:shopKey/me', summary: 'The signed-in shopper', tags: ['shop: auth'],
    access: signedIn('shopper'), params: shopParamsSchema, response: shopperMeSchema,
  }),
  home: endpoint({
    method: 'get', path: '/shops/:shopKey/home', summary: 'Home: banners, category shortcuts, new / hot / recommended', tags: ['shop: catalog'],
    access: publicAccess, params: shopParamsSchema, response: shopHomeSchema,
  }),
  categories: endpoint({
    method: 'get', path: '/shops/:shopKey/categories', summary: 'The category tree', tags: ['shop: catalog'],
    access: publicAccess, params: shopParamsSchema, response: z.array(categoryNodeSchema),
  }),
  products: endpoint({
    method: 'get', path: '/shops/:shopKey/products', summary: 'Products on sale: by category, facets and price, sorted, by cursor',
    tags: ['shop: catalog'], access: publicAccess, params: shopParamsSchema, query: shopProductListQuerySchema, response: productPageSchema,
  }),
  search: endpoint({
    method: 'get', path: '/shops/:shopKey/search', summary: 'Keyword search (Chinese and English)', tags: ['shop: catalog'],
    access: publicAccess, params: shopParamsSchema, query: shopSearchQuerySchema, response: productPageSchema,
  }),
  listAddresses: endpoint({
    method: 'get', path: '/shops/:shopKey/addresses', summary: "The shopper's addresses, the default first", tags: ['shop: addresses'],
    access: signedIn('shopper'), params: shopParamsSchema, response: z.array(addressSchema),
  }),
  createAddress: endpoint({
    method: 'post', path: '/shops/:shopKey/addresses', summary: 'Add an address', tags: ['shop: addresses'],
    access: signedIn('shopper'), params: shopParamsSchema, body: addressInputSchema, response: addressSchema, status: 201,
  }),
  updateAddress: endpoint({
    method: 'put', path: '/shops/:shopKey/addresses/:id', summary: 'Change an address', tags: ['shop: addresses'],
    access: signedIn('shopper'), params: shopProductParamsSchema, body: addressInputSchema, response: addressSchema,
  }),
  deleteAddress: endpoint({
    method: 'delete', path: '/shops/:shopKey/addresses/:id', summary: 'Delete an address', tags: ['shop: addresses'],
    access: signedIn('shopper'), params: shopProductParamsSchema, response: okSchema,
  }),
  getCart: endpoint({
    method: 'get', path: '/shops/:shopKey/cart', summary: 'The cart, with prices and stock re-checked now', tags: ['shop: cart'],
    access: signedIn('shopper'), params: shopParamsSchema, response: cartSchema,
  }),
  addCartItem: endpoint({
    method: 'post', path: '/shops/:shopKey/cart/items', summary: 'Add a SKU (adds to the line if it is there)', tags: ['shop: cart'],
    access: signedIn('shopper'), params: shopParamsSchema, body: addCartItemBodySchema, response: cartSchema,
  }),
  updateCartItem: endpoint({
    method: 'put', path: '/shops/:shopKey/cart/items/:id', summary: 'Change quantity, selection or SKU of a line (PUT: wx.request has no PATCH)', tags: ['shop: cart'],
    access: signedIn('shopper'), params: shopProductParamsSchema, body: updateCartItemBodySchema, response: cartSchema,
  }),
  removeCartItem: endpoint({
    method: 'delete', path: '/shops/:shopKey/cart/items/:id', summary: 'Remove a line', tags: ['shop: cart'],
    access: signedIn('shopper'), params: shopProductParamsSchema, response: cartSchema,
  }),
  selectAllCartItems: endpoint({
    method: 'post', path: '/shops/:shopKey/cart/select', summary: 'Select or unselect every line', tags: ['shop: cart'],
    access: signedIn('shopper'), params: shopParamsSchema, body: selectAllBodySchema, response: cartSchema,
  }),
  checkoutPreview: endpoint({
    method: 'post', path: '/shops/:shopKey/checkout/preview', summary: 'Price an order before placing it: lines, shipping, total',
    tags: ['shop: orders'], access: signedIn('shopper'), params: shopParamsSchema, body: checkoutBodySchema, response: checkoutPreviewSchema,
  }),
  placeOrder: endpoint({
    method: 'post', path: '/shops/:shopKey/orders',
    summary: 'Place an order (header Idempotency-Key: a retried request returns the same order); stock is reserved at once',
    tags: ['shop: orders'], access: signedIn('shopper'), params: shopParamsSchema, body: checkoutBodySchema, response: orderSchema, status: 201,
  }),
  listOrders: endpoint({
    method: 'get', path: '/shops/:shopKey/orders', summary: "The shopper's orders, newest first", tags: ['shop: orders'],
    access: signedIn('shopper'), params: shopParamsSchema, query: orderListQuerySchema, response: pageOf(orderSchema),
  }),
  getOrder: endpoint({
    method: 'get', path: '/shops/:shopKey/orders/:id', summary: 'One order with its timeline', tags: ['shop: orders'],
    access: signedIn('shopper'), params: shopProductParamsSchema, response: orderSchema,
  }),
  cancelOrder: endpoint({
    method: 'post', path: '/shops/:shopKey/orders/:id/cancel', summary: 'Cancel an unpaid order; its stock returns', tags: ['shop: orders'],
    access: signedIn('shopper'), params: shopProductParamsSchema, body: cancelOrderBodySchema, response: orderSchema,
  }),
  paymentMethods: endpoint({
    method: 'get', path: '/shops/:shopKey/payment-methods', summary: 'How this shop can be paid from this client', tags: ['shop: payments'],
    access: publicAccess, params: shopParamsSchema, query: paymentMethodsQuerySchema, response: paymentMethodsSchema,
  }),
  payOrder: endpoint({
    method: 'post', path: '/shops/:shopKey/orders/:id/pay', summary: 'Start paying an unpaid order: the signed wx.requestPayment parameters, a URL or a QR code',
    tags: ['shop: payments'], access: signedIn('shopper'), params: shopProductParamsSchema, body: payOrderBodySchema, response: payParamsSchema,
  }),
  confirmSandboxPayment: endpoint({
    method: 'post', path: '/shops/:shopKey/payments/:paymentNo/sandbox-confirm',
    summary: 'Test mode: complete a sandbox payment (through the same notification path as a real provider)', tags: ['shop: payments'],
    access: signedIn('shopper'), params: paymentNoParamsSchema, response: orderSchema,
  }),
  confirmReceipt: endpoint({
    method: 'post', path: '/shops/:shopKey/orders/:id/confirm-receipt', summary: 'Confirm a shipped order arrived', tags: ['shop: orders'],
    access: signedIn('shopper'), params: shopProductParamsSchema, response: orderSchema,
  }),
  reviewOrder: endpoint({
    method: 'post', path: '/shops/:shopKey/orders/:id/reviews', summary: 'Rate the lines of a completed order (once)', tags: ['shop: reviews'],
    access: signedIn('shopper'), params: shopProductParamsSchema, body: reviewInputSchema, response: z.array(reviewSchema), status: 201,
  }),
  uploadReviewImage: endpoint({
    method: 'post', path: '/shops/:shopKey/review-images', summary: 'Upload a photo for a review (JPEG, PNG or WebP)', tags: ['shop: reviews'],
    access: signedIn('shopper'), params: shopParamsSchema, upload: { field: 'file', maxBytes: 5 * 1024 * 1024 }, response: reviewImageSchema, status: 201,
  }),
  productReviews: endpoint({
    method: 'get', path: '/shops/:shopKey/products/:id/reviews', summary: "A product's visible reviews and rating summary", tags: ['shop: reviews'],
    access: publicAccess, params: shopProductParamsSchema, query: productReviewsQuerySchema, response: productReviewsSchema,
  }),
  product: endpoint({
    method: 'get', path: '/shops/:shopKey/products/:id', summary: 'Product detail with SKUs, stock state and rating', tags: ['shop: catalog'],
    access: publicAccess, params: shopProductParamsSchema, response: shopProductDetailSchema,
  }),
};

export const API_ROOTS = {
  platform: '/platform-api/v1',
  merchant: '/merchant-api/v1',
  shop: '/shop-api/v1',
} as const;

export const healthSchema = z.object({ status: z.literal('ok') });
export const readinessSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), ms: z.number(), error: z.string().optional() })),
});
