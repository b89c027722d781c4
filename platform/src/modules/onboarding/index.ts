export { onboardingService, type OnboardingService } from './onboarding.service';
export { firstStepsService, type FirstStepsService } from './first-steps.service';
export { qualificationReviewService, type QualificationReviewService } from './qualification-review.service';
export { rulesService, type RulesService } from './rules.service';
export { rulesRepository, type RulesRepository } from './rules.repository';
export { documentsRepository, type DocumentsRepository } from './documents.repository';
export { merchantOnboardingHandlers, platformQualificationReviewHandlers } from './onboarding.routes';
export { scheduleExpiryCheck } from './onboarding.jobs';
