export { AuditModule } from './audit.module';
export { AuditService, Disclosure } from './audit.service';
