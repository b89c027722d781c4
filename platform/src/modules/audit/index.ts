export { auditRepository, type AuditRepository } from './audit.repository';
export { auditService, type AuditService, type AuditEvent } from './audit.service';
