import { onboardingState } from './checklist';

const pending = { status: 'pending_review' as const, submitted: false };
const submitted = { status: 'pending_review' as const, submitted: true };

describe('the one state of an application', () => {
  it('is not_started before anything is uploaded, and incomplete while something is missing', () => {
    expect(onboardingState(pending, [null, null])).toBe('not_started');
    expect(onboardingState(pending, ['draft', null])).toBe('incomplete');
    // A document the rules ask for after submission leaves the application incomplete, not in review.
    expect(onboardingState(submitted, ['pending', null])).toBe('incomplete');
  });

  it('is ready_to_submit once every document is there and drafts wait', () => {
    expect(onboardingState(pending, ['draft', 'draft'])).toBe('ready_to_submit');
    expect(onboardingState(submitted, ['approved', 'draft'])).toBe('ready_to_submit');
  });

  it('is in_review while everything is with the reviewers, a re-uploaded rejected document included', () => {
    expect(onboardingState(submitted, ['pending', 'approved'])).toBe('in_review');
    expect(onboardingState(submitted, ['pending'])).toBe('in_review');
  });

  it('asks for changes while a current version is rejected, whatever else is missing', () => {
    expect(onboardingState(submitted, ['rejected', 'pending'])).toBe('changes_requested');
    expect(onboardingState(submitted, ['rejected', null])).toBe('changes_requested');
  });

  it('follows the tenant once it is active or suspended', () => {
    expect(onboardingState({ status: 'active', submitted: true }, ['approved'])).toBe('approved');
    expect(onboardingState({ status: 'suspended', submitted: true }, ['approved'])).toBe('suspended');
  });
});
