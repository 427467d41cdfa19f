import { Module } from '@nestjs/common';
import { AuditChainWatch } from './audit-chain.watch';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { IncidentsController } from './incidents.controller';
import { IncidentsRepository } from './incidents.repository';

@Module({
  controllers: [AuditController, IncidentsController],
  providers: [AuditService, AuditRepository, IncidentsRepository, AuditChainWatch],
  exports: [AuditService],
})
export class AuditModule {}
