import type { merchantApi, platformApi } from '@shopfleet/contracts';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { FirstStepsService } from './first-steps.service';
import type { OnboardingService } from './onboarding.service';
import type { QualificationReviewService } from './qualification-review.service';
import type { RulesService } from './rules.service';

export function merchantOnboardingHandlers(onboarding: OnboardingService, firstSteps: FirstStepsService) {
  return {
    slugAvailability: (_ctx, { query }) => onboarding.slugAvailability(query.slug),
    businessCategories: (ctx) => onboarding.activeCategories(ctx),
    signupSmsCode: (ctx, { body }) => onboarding.sendSignupCode(ctx, body.phone),
    signup: (ctx, { body }) => onboarding.signup(ctx, body),
    getOnboarding: (ctx) => onboarding.onboarding(ctx),
    firstSteps: (ctx) => firstSteps.get(ctx),
    submitOnboarding: (ctx) => onboarding.submit(ctx),
    uploadQualificationFile: (ctx, { file }) => onboarding.uploadFile(ctx, file!),
    createDocument: (ctx, { body }) => onboarding.createDocument(ctx, body),
    listDocuments: (ctx) => onboarding.listDocuments(ctx),
    getDocument: (ctx, { params }) => onboarding.getDocument(ctx, params.id),
    documentFileUrl: (ctx, { params }) => onboarding.fileUrl(ctx, params.id),
  } satisfies Partial<Handlers<typeof merchantApi>>;
}

export function platformQualificationReviewHandlers(review: QualificationReviewService, rules: RulesService) {
  return {
    getTenant: (ctx, { params }) => review.detail(ctx, params.id),
    suspendTenant: (ctx, { params, body }) => review.suspend(ctx, params.id, body.reason),
    reinstateTenant: (ctx, { params, body }) => review.reinstate(ctx, params.id, body.reason),
    reviewQueue: (ctx, { query }) => review.queue(ctx, query),
    getReviewDocument: (ctx, { params }) => review.document(ctx, params.tenantId, params.id),
    reviewFileUrl: (ctx, { params }) => review.fileUrl(ctx, params.tenantId, params.id, params.fileId),
    revealDocument: (ctx, { params }) => review.reveal(ctx, params.tenantId, params.id),
    approveDocument: (ctx, { params, body }) => review.approve(ctx, params.tenantId, params.id, body.note),
    rejectDocument: (ctx, { params, body }) => review.reject(ctx, params.tenantId, params.id, body.reason, body.note),
    listCategories: (ctx) => rules.categories(ctx),
    createCategory: (ctx, { body }) => rules.createCategory(ctx, body),
    updateCategory: (ctx, { params, body }) => rules.updateCategory(ctx, params.code, body),
    listDocumentTypes: (ctx) => rules.documentTypes(ctx),
    createDocumentType: (ctx, { body }) => rules.createDocumentType(ctx, body),
    updateDocumentType: (ctx, { params, body }) => rules.updateDocumentType(ctx, params.code, body),
    listRequirementRules: (ctx) => rules.rules(ctx),
    createRequirementRule: (ctx, { body }) => rules.createRule(ctx, body),
    deleteRequirementRule: async (ctx, { params }) => {
      await rules.deleteRule(ctx, params.id);
      return { ok: true as const };
    },
  } satisfies Partial<Handlers<typeof platformApi>>;
}
