export { identityRepository, type IdentityRepository } from './identity.repository';
export { identityService, type IdentityService } from './identity.service';
export { sessionsService, type SessionsService, type SessionSubject } from './sessions.service';
export { sessionsRepository, type SessionsRepository } from './sessions.repository';
export { platformIdentityHandlers, merchantIdentityHandlers, QUEUE_SESSION_COOKIE } from './identity.routes';
export { scheduleTokenPurge } from './identity.jobs';
