export { AuditModule } from './audit.module';
export type { Disclosure } from './audit.repository';
export { AuditService } from './audit.service';
